// End to end: the real Terraform binary and the real auth0 provider v1.54.1 (from the local mirror)
// against the local tenant: apply, no drift, login simulation, convergence under injected faults,
// and a destroy that leaves the tenant clean.
import { rmSync } from 'node:fs';
import { simulateLogin } from '@auth0-mfa/local-tenant';
import { AUTH0_PROVIDER, expectExit, type RawTerraform, rawTerraform } from './raw-terraform';
import { startTestTenant, type TestTenant, tempDir } from './test-tenant';

jest.setTimeout(240_000);

const PASSWORD = 'E2e-Passw0rd-Long';
const ACTION_CODE = `exports.onExecutePostLogin = async (event, api) => {
  if (event.transaction && event.transaction.protocol === 'oauth2-refresh-token') return;
  const metadata = event.user.user_metadata || {};
  if (metadata.use_mfa === true) api.multifactor.enable('any', { allowRememberBrowser: false });
};
`;

function config(): object {
  const user = (email: string, useMfa: boolean) => ({
    connection_name: 'Username-Password-Authentication',
    email,
    password: '${var.user_password}',
    user_metadata: JSON.stringify({ use_mfa: useMfa }),
  });
  return {
    ...AUTH0_PROVIDER,
    variable: { user_password: { type: 'string', sensitive: true } },
    resource: {
      auth0_guardian: { mfa: { policy: 'never', otp: true } },
      auth0_action: {
        conditional_mfa: {
          name: 'e2e-conditional-mfa',
          runtime: 'node22',
          deploy: true,
          code: ACTION_CODE,
          supported_triggers: { id: 'post-login', version: 'v3' },
        },
      },
      auth0_trigger_actions: {
        login_flow: {
          trigger: 'post-login',
          actions: [
            {
              id: '${auth0_action.conditional_mfa.id}',
              display_name: '${auth0_action.conditional_mfa.name}',
            },
          ],
        },
      },
      auth0_user: {
        flagged: user('flagged@example.com', true),
        plain: user('plain@example.com', false),
      },
    },
  };
}

let t: TestTenant;
let workDir: string;
let tf: RawTerraform;

const terraform = (...args: string[]) => tf.run(...args);
const expectSuccess = expectExit;

async function tenantContents() {
  const actions = (await t.client.get('/api/v2/actions/actions?per_page=100')).body.actions as Array<{
    name: string;
    deployed_version?: { deployed: boolean; code: string };
  }>;
  const users = (await t.client.get('/api/v2/users?per_page=100')).body as Array<{
    email: string;
    user_metadata?: Record<string, unknown>;
  }>;
  const bindings = (await t.client.get('/api/v2/actions/triggers/post-login/bindings')).body
    .bindings as Array<{
    display_name: string;
  }>;
  const policies = (await t.client.get('/api/v2/guardian/policies')).body as string[];
  const factors = (await t.client.get('/api/v2/guardian/factors')).body as Array<{
    name: string;
    enabled: boolean;
  }>;
  return {
    actions,
    users,
    bindings,
    policies,
    enabledFactors: factors.filter((f) => f.enabled).map((f) => f.name),
  };
}

beforeAll(async () => {
  t = await startTestTenant();
  workDir = tempDir('local-tenant-e2e-');
  tf = rawTerraform(workDir, t.tenant, { TF_VAR_user_password: PASSWORD });
  tf.write(config());
  await expectSuccess(terraform('init'));
});

afterAll(async () => {
  await t?.cleanup();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('the auth0 provider v1.54.1 against the local tenant', () => {
  it('applies guardian, a deployed action, its binding and two users', async () => {
    await expectSuccess(terraform('apply', '-auto-approve'));
    const contents = await tenantContents();
    expect(contents.policies).toEqual([]);
    expect(contents.enabledFactors).toEqual(['otp']);
    expect(contents.actions).toHaveLength(1);
    expect(contents.actions[0]).toMatchObject({
      name: 'e2e-conditional-mfa',
      deployed_version: { deployed: true, code: ACTION_CODE },
    });
    expect(contents.bindings.map((b) => b.display_name)).toEqual(['e2e-conditional-mfa']);
    expect(contents.users.map((u) => [u.email, u.user_metadata]).sort()).toEqual([
      ['flagged@example.com', { use_mfa: true }],
      ['plain@example.com', { use_mfa: false }],
    ]);
  });

  it('plans no change right after the apply (no drift)', async () => {
    await expectSuccess(terraform('plan', '-detailed-exitcode'), 0);
  });

  it('challenges the flagged user only', async () => {
    const flagged = await simulateLogin(t.tenant, { email: 'flagged@example.com', password: PASSWORD });
    expect(flagged).toMatchObject({
      ok: true,
      actionsRun: ['e2e-conditional-mfa'],
      mfa: { required: true, provider: 'any' },
    });
    const plain = await simulateLogin(t.tenant, { email: 'plain@example.com', password: PASSWORD });
    expect(plain).toMatchObject({ ok: true, actionsRun: ['e2e-conditional-mfa'], mfa: { required: false } });
    const refresh = await simulateLogin(t.tenant, {
      email: 'flagged@example.com',
      protocol: 'oauth2-refresh-token',
    });
    expect(refresh.mfa.required).toBe(false);
  });

  it('converges under injected 429s and 503s: destroy, re-apply, no duplicates, no drift', async () => {
    t.tenant.resetStats();
    t.tenant.setFaults({ rateLimitShare: 0.2, serverErrorShare: 0.1, seed: 20240601 });
    try {
      await expectSuccess(terraform('destroy', '-auto-approve'));
      await expectSuccess(terraform('apply', '-auto-approve'));
      await expectSuccess(terraform('plan', '-detailed-exitcode'), 0);
      expect(t.tenant.stats().faultsInjected).toBeGreaterThan(5);
    } finally {
      t.tenant.setFaults({});
    }
    const contents = await tenantContents();
    expect(contents.actions).toHaveLength(1);
    expect(contents.bindings).toHaveLength(1);
    expect(contents.users.map((u) => u.email).sort()).toEqual(['flagged@example.com', 'plain@example.com']);
    expect(contents.enabledFactors).toEqual(['otp']);
  });

  it('destroys everything: policy never, factors off, no actions, bindings or users', async () => {
    await expectSuccess(terraform('destroy', '-auto-approve'));
    const contents = await tenantContents();
    expect(contents).toEqual({ actions: [], users: [], bindings: [], policies: [], enabledFactors: [] });
  });
});
