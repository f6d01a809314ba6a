// The stack deployed for real: Terraform (or OpenTofu) and the real auth0 provider v1.54.1
// against the local tenant, from empty to destroyed.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulateLogin } from '@auth0-mfa/local-tenant';
import { DEFAULT_SETTINGS } from '../../actions/conditional-mfa';
import { ACTION_SOURCE, conditionalMfaCode } from '../../src/stack/conditional-mfa-action';
import { tempDir } from '../support/temp-dirs';
import { apply, destroy, type E2eEnvironment, init, plan, startE2e, viewTenant } from './harness';

jest.setTimeout(300_000);

const USERS = [
  { email: 'alice@example.com', name: 'Alice', useMfa: true },
  { email: 'bob@example.com', name: 'Bob', useMfa: false },
];
const BASE = { mfa: { factors: ['otp'] }, users: USERS };

async function mfaFor(e2e: E2eEnvironment, email: string) {
  return (await simulateLogin(e2e.tenant, { email })).mfa;
}

describe('the stack against the local tenant', () => {
  let e2e: E2eEnvironment;

  beforeAll(async () => {
    e2e = await startE2e();
  });
  afterAll(async () => {
    await e2e?.tenant.stop();
  });

  it('1. deploys from empty: policy never, factor on, Action built, deployed and bound, seed users flagged', async () => {
    e2e.synth(BASE);
    await init(e2e);
    await apply(e2e);
    const tenant = await viewTenant(e2e.api);
    expect(tenant.policies).toEqual([]);
    expect(tenant.enabledFactors).toEqual(['otp']);
    expect(tenant.actions).toHaveLength(1);
    const [action] = tenant.actions;
    expect(action).toMatchObject({ name: 'conditional-mfa', status: 'built' });
    expect(action.deployed_version).toMatchObject({
      deployed: true,
      code: conditionalMfaCode(DEFAULT_SETTINGS),
    });
    expect(tenant.bindings.map((b) => [b.display_name, b.action.id])).toEqual([
      ['conditional-mfa', action.id],
    ]);
    expect(tenant.users.map((u) => [u.email, u.user_metadata?.use_mfa])).toEqual([
      ['alice@example.com', true],
      ['bob@example.com', false],
    ]);
    expect(await mfaFor(e2e, 'alice@example.com')).toEqual({
      required: true,
      provider: 'any',
      options: { allowRememberBrowser: false },
    });
    expect((await mfaFor(e2e, 'bob@example.com')).required).toBe(false);
  });

  it('2. plans no change right after the deploy, and nothing drifted', async () => {
    const { code, changes, drift } = await plan(e2e);
    expect(changes).toEqual([]);
    // Not even a change invisible to people (null read back as []): an empty plan then needs no `terraform show`.
    expect(drift.map((d) => d.address)).toEqual([]);
    expect(code).toBe(0);
  });

  it('3. plans exactly a flag and a factor change, applies them, and logins follow', async () => {
    e2e.synth({
      mfa: { factors: ['otp', 'email'] },
      users: [USERS[0], { ...USERS[1], useMfa: true }],
    });
    const { code, changes } = await plan(e2e);
    expect(code).toBe(2);
    expect(changes.map((c) => [c.type, c.change.actions])).toEqual(
      expect.arrayContaining([
        ['auth0_guardian', ['update']],
        ['auth0_user', ['update']],
      ]),
    );
    expect(changes).toHaveLength(2);
    const user = changes.find((c) => c.type === 'auth0_user');
    expect(user?.change.before?.email).toBe('bob@example.com');
    expect(user?.change.after?.user_metadata).toBe('{"use_mfa":true}');
    expect(changes.find((c) => c.type === 'auth0_guardian')?.change.after?.email).toBe(true);

    await apply(e2e);
    expect((await viewTenant(e2e.api)).enabledFactors).toEqual(['email', 'otp']);
    expect((await mfaFor(e2e, 'bob@example.com')).required).toBe(true);
  });

  it('4. a change of the Action source is an in-place update, deployed and still bound', async () => {
    const dir = tempDir('action-');
    const changed = join(dir, 'conditional-mfa.ts');
    copyFileSync(ACTION_SOURCE, changed);
    copyFileSync(join(ACTION_SOURCE, '..', 'types.ts'), join(dir, 'types.ts'));
    writeFileSync(changed, `${readFileSync(changed, 'utf8')}\nexport const REVISION = 2;\n`);
    const config = { mfa: { factors: ['otp', 'email'] }, users: [USERS[0], { ...USERS[1], useMfa: true }] };
    e2e.synth(config, { actionSourceFile: changed });

    const { code, changes } = await plan(e2e);
    expect(code).toBe(2);
    expect(changes.map((c) => [c.type, c.change.actions])).toEqual([['auth0_action', ['update']]]);
    const before = (await viewTenant(e2e.api)).actions[0];

    await apply(e2e);
    const tenant = await viewTenant(e2e.api);
    expect(tenant.actions).toHaveLength(1);
    expect(tenant.actions[0].id).toBe(before.id);
    expect(tenant.actions[0].deployed_version?.code).toContain('exports.REVISION = REVISION;');
    expect(tenant.bindings.map((b) => b.action.id)).toEqual([before.id]);
    expect((await mfaFor(e2e, 'alice@example.com')).required).toBe(true);
    expect((await plan(e2e)).code).toBe(0);
    e2e.synth(config); // back to the real source for the next steps
    await apply(e2e);
  });

  it('5. reports drift made behind Terraform’s back', async () => {
    const alice = (await viewTenant(e2e.api)).users.find((u) => u.email === 'alice@example.com');
    await e2e.api.call('PATCH', `/users/${encodeURIComponent(alice?.user_id ?? '')}`, {
      user_metadata: { use_mfa: false },
    });
    await e2e.api.call('PUT', '/guardian/factors/email', { enabled: false });

    const { code, changes, drift } = await plan(e2e);
    expect(code).toBe(2);
    expect(drift.map((d) => d.type).sort()).toEqual(['auth0_guardian', 'auth0_user']);
    expect(changes.map((c) => [c.type, c.change.actions]).sort()).toEqual([
      ['auth0_guardian', ['update']],
      ['auth0_user', ['update']],
    ]);
    await apply(e2e);
    expect((await plan(e2e)).code).toBe(0);
  });

  it('6. with 429s and 5xx answers a deploy from empty still converges, nothing duplicated', async () => {
    await destroy(e2e);
    e2e.synth(BASE);
    e2e.tenant.setFaults({ rateLimitShare: 0.2, serverErrorShare: 0.1, seed: 7 });
    try {
      await apply(e2e);
      expect(e2e.tenant.stats().faultsInjected).toBeGreaterThan(0);
    } finally {
      e2e.tenant.setFaults({});
    }
    const tenant = await viewTenant(e2e.api);
    expect(tenant.actions).toHaveLength(1);
    expect(tenant.bindings).toHaveLength(1);
    expect(tenant.users.map((u) => u.email)).toEqual(['alice@example.com', 'bob@example.com']);
    expect((await plan(e2e)).code).toBe(0);
  });

  it('7. destroy leaves the tenant as a new one', async () => {
    await destroy(e2e);
    const tenant = await viewTenant(e2e.api);
    expect(tenant.policies).toEqual([]);
    expect(tenant.enabledFactors).toEqual([]);
    expect(tenant.actions).toEqual([]);
    expect(tenant.bindings).toEqual([]);
    expect(tenant.users).toEqual([]);
  });
});
