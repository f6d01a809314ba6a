// `npm run adopt` against a tenant set up by hand: the file it writes plans, with the real Terraform and provider,
// only what the recipe requires (policy never, our Action created and bound after the existing one, the imports);
// the apply makes it so, and the next plan changes nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PlanResourceChange, parsePlanJson } from '../../ops/stack-command/plan-json';
import { run } from '../../ops/stack-command/terraform';
import { PROJECT_ROOT } from '../../src/paths';
import { livePlan, postLoginBindings, setUpByHand } from '../ops/plan/live';
import { tempDir } from '../support/temp-dirs';
import { type E2eEnvironment, startE2e, viewTenant } from './harness';

jest.setTimeout(300_000);

/** `npm run adopt` as a person runs it, with the tenant's connection variables. */
const runAdopt = (e2e: E2eEnvironment, args: string[]) =>
  run('npm', ['run', '--silent', 'adopt', '--', ...args], { cwd: PROJECT_ROOT, env: e2e.tenant.env });

/** `npm run adopt -- <environment>` into configDir, which must succeed quietly: its stdout and the file it wrote. */
async function adoptOk(e2e: E2eEnvironment, environment: string, configDir: string) {
  const result = await runAdopt(e2e, [environment, '--domain', e2e.tenant.domain, '--config-dir', configDir]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const written = JSON.parse(readFileSync(join(configDir, `${environment}.json`), 'utf8'));
  return { stdout: result.stdout, written };
}

/** Synthesizes the written file, runs the first plan, and lists its resources as [type, actions, import id]. */
async function firstPlan(e2e: E2eEnvironment, config: Record<string, unknown>) {
  e2e.synth(config);
  await e2e.tf(['init', '-input=false', '-no-color']);
  const plan = await livePlan(e2e);
  expect(plan.code).toBe(2);
  const changes = (parsePlanJson(plan.json).resource_changes ?? []) as PlanResourceChange[];
  const summary = changes
    .map((c) => [c.type, c.change.actions.join(','), c.change.importing?.id ?? null])
    .sort();
  return { changes, summary };
}

describe('npm run adopt, then plan and apply what it wrote', () => {
  let e2e: E2eEnvironment;
  let configDir: string;
  let existingId: string;
  const adopt = (args: string[]) => runAdopt(e2e, args);

  beforeAll(async () => {
    e2e = await startE2e('adopted');
    const setUp = { policies: ['all-applications'], factors: ['otp', 'email'], bound: ['geo-block'] };
    existingId = (await setUpByHand(e2e.api, setUp))['geo-block'];
    configDir = tempDir('adopt-config-');
  });

  afterAll(async () => {
    await e2e?.tenant.stop();
  });

  it('writes config/<env>.json with adopt on, the factors and the existing binding, and prints the required changes', async () => {
    const before = await viewTenant(e2e.api);
    const { stdout, written } = await adoptOk(e2e, 'adopted', configDir);
    expect(written).toEqual({
      domain: e2e.tenant.domain,
      adopt: true,
      mfa: { factors: ['otp', 'email'] },
      binding: { before: [{ id: existingId, displayName: 'geo-block' }] },
    });
    expect(stdout).toContain('guardian policy: all-applications -> never');
    expect(stdout).toContain('Action conditional-mfa: created (post-login v3) and deployed');
    expect(stdout).toContain('conditional-mfa bound at the end of the Login flow, after geo-block');
    // Reading changed nothing.
    expect(await viewTenant(e2e.api)).toEqual(before);
  });

  it('a second run refuses to overwrite the file and writes nothing', async () => {
    const file = join(configDir, 'adopted.json');
    const text = readFileSync(file, 'utf8');
    const result = await adopt(['adopted', '--domain', e2e.tenant.domain, '--config-dir', configDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('adopted.json exists');
    expect(result.stderr).toContain('--force');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('the first plan changes only the policy, creates and binds our Action, and imports the rest', async () => {
    const { changes, summary } = await firstPlan(
      e2e,
      JSON.parse(readFileSync(join(configDir, 'adopted.json'), 'utf8')),
    );
    expect(summary).toEqual([
      ['auth0_action', 'create', null],
      ['auth0_guardian', 'update', 'guardian'],
      ['auth0_trigger_actions', 'update', 'post-login'],
    ]);

    const guardian = changes.find((c) => c.type === 'auth0_guardian');
    const { policy: policyBefore, ...restBefore } = guardian?.change.before as Record<string, unknown>;
    const { policy: policyAfter, ...restAfter } = guardian?.change.after as Record<string, unknown>;
    expect([policyBefore, policyAfter]).toEqual(['all-applications', 'never']);
    expect(restAfter).toEqual(restBefore);

    const bindings = changes.find((c) => c.type === 'auth0_trigger_actions');
    expect(bindings?.change.before).toMatchObject({
      actions: [{ id: existingId, display_name: 'geo-block' }],
    });
    expect(bindings?.change.after).toMatchObject({
      actions: [{ id: existingId, display_name: 'geo-block' }, { display_name: 'conditional-mfa' }],
    });
  });

  it('apply adopts the tenant, and the next plan changes nothing', async () => {
    await e2e.tf(['apply', '-input=false', '-no-color', 'tfplan']);
    const after = await viewTenant(e2e.api);
    expect(after.policies).toEqual([]);
    expect(after.enabledFactors).toEqual(['email', 'otp']);
    const ours = after.actions.find((a) => a.name === 'conditional-mfa');
    expect(await postLoginBindings(e2e.api)).toEqual([
      { id: existingId, displayName: 'geo-block' },
      { id: ours?.id, displayName: 'conditional-mfa' },
    ]);
    expect((await livePlan(e2e)).code).toBe(0);
  });
});

describe('npm run adopt on a tenant where our Action is already bound between two others', () => {
  let e2e: E2eEnvironment;
  let configDir: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    e2e = await startE2e('rebound');
    // An earlier, hand-made install of the recipe: policy never, otp and SMS (the Phone Consolidated Experience,
    // Auth0's default, where the phone provider cannot be set through MFA), our Action in the middle of the flow.
    const setUp = { factors: ['otp', 'sms'], bound: ['geo-block', 'conditional-mfa', 'enrich'] };
    Object.assign(ids, await setUpByHand(e2e.api, setUp));
    configDir = tempDir('adopt-config-');
  });

  afterAll(async () => {
    await e2e?.tenant.stop();
  });

  it('takes our Action over by id, keeps the order, and the plan only updates its code', async () => {
    const { stdout, written } = await adoptOk(e2e, 'rebound', configDir);
    expect(written).toEqual({
      domain: e2e.tenant.domain,
      adopt: true,
      mfa: { factors: ['phone', 'otp'], phone: { messageTypes: ['sms'] } },
      action: { id: ids['conditional-mfa'] },
      binding: {
        before: [{ id: ids['geo-block'], displayName: 'geo-block' }],
        after: [{ id: ids.enrich, displayName: 'enrich' }],
      },
    });
    expect(stdout).toContain('conditional-mfa stays bound in its place (after geo-block, before enrich)');

    const { summary } = await firstPlan(e2e, written);
    expect(summary).toEqual([
      ['auth0_action', 'update', ids['conditional-mfa']],
      ['auth0_guardian', 'no-op', 'guardian'],
      ['auth0_trigger_actions', 'no-op', 'post-login'],
    ]);

    await e2e.tf(['apply', '-input=false', '-no-color', 'tfplan']);
    const after = await viewTenant(e2e.api);
    const ours = after.actions.find((a) => a.name === 'conditional-mfa');
    expect(ours?.id).toBe(ids['conditional-mfa']);
    expect(ours?.deployed_version?.code).toContain('createPostLoginHandler');
    expect((await postLoginBindings(e2e.api)).map((b) => b.displayName)).toEqual([
      'geo-block',
      'conditional-mfa',
      'enrich',
    ]);
    expect((await livePlan(e2e)).code).toBe(0);
  });
});
