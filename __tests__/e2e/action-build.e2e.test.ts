// A failed Action build through the real provider: an Action whose dependency does not exist in the
// npm registry makes the apply fail with the provider's own "failed to build" error, binds nothing, and
// a corrected configuration converges (one Action, built and deployed, bound once, then no changes),
// and a real login runs the deployed code, which requires the installed dependency.
// The tenant asks the real npm registry (npm_config_registry, as `npm run` sets it) and installs from it.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { LoginClients, requireActionRuntimes } from './login-clients';
import { AUTH0_PROVIDER, expectExit, type RawTerraform, rawTerraform } from './raw-terraform';
import { startTestTenant, type TestTenant, tempDir } from './test-tenant';

jest.setTimeout(240_000);

const NAME = 'e2e-dependency-check';
// A scope nobody can have published under: the registry answers 404.
const MISSING = { name: '@auth0-mfa-local-tenant-e2e/no-such-package', version: '1.0.0' };
const PUBLISHED = { name: 'lodash', version: '4.17.21' };
const CODE = `const _ = require('lodash');
exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('padded', _.padStart('7', 3, '0') + ':' + _.VERSION);
};
`;

function config(dependency: { name: string; version: string }): object {
  return {
    ...AUTH0_PROVIDER,
    resource: {
      auth0_action: {
        checked: {
          name: NAME,
          runtime: 'node22',
          deploy: true,
          code: CODE,
          supported_triggers: { id: 'post-login', version: 'v3' },
          dependencies: [dependency],
        },
      },
      auth0_trigger_actions: {
        login_flow: {
          trigger: 'post-login',
          actions: [{ id: '${auth0_action.checked.id}', display_name: '${auth0_action.checked.name}' }],
        },
      },
    },
  };
}

interface ActionView {
  id: string;
  name: string;
  status: string;
  deployed_version?: { deployed: boolean; dependencies: unknown[] };
}

let t: TestTenant;
let workDir: string;
let tf: RawTerraform;

async function tenantActions() {
  const actions = (await t.client.get('/api/v2/actions/actions?per_page=100')).body.actions as ActionView[];
  const bindings = (await t.client.get('/api/v2/actions/triggers/post-login/bindings')).body
    .bindings as Array<{
    action: { id: string };
  }>;
  return { actions, boundIds: bindings.map((b) => b.action.id) };
}

beforeAll(async () => {
  requireActionRuntimes();
  // Pending for a moment, as on Auth0: the provider's wait loop runs before the outcome.
  t = await startTestTenant({ buildDelayMs: 300 });
  workDir = tempDir('action-build-e2e-');
  tf = rawTerraform(workDir, t.tenant);
  tf.write(config(MISSING));
  await expectExit(tf.run('init'));
});

afterAll(async () => {
  await t?.cleanup();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('an Action whose dependency cannot be installed, through the auth0 provider v1.54.1', () => {
  it('fails the apply with the provider failed-build error; the tenant says which dependency and binds nothing', async () => {
    const output = await expectExit(tf.run('apply', '-auto-approve'), 1);
    expect(output).toContain(`action "${NAME}" never reached built state`);
    expect(output).toContain(`action "${NAME}" failed to build, check the Auth0 UI for errors`);
    const { actions, boundIds } = await tenantActions();
    expect(actions.map((a) => [a.name, a.status, a.deployed_version])).toEqual([[NAME, 'failed', undefined]]);
    expect(boundIds).toEqual([]);
    const build = await t.client.get(`/local/actions/${actions[0].id}/build`);
    expect(build.body).toEqual({
      status: 'failed',
      errors: [
        {
          id: 'dependency_install_failed',
          msg: expect.stringContaining(
            `dependency "${MISSING.name}@${MISSING.version}": no package "${MISSING.name}"`,
          ),
        },
      ],
    });
  });

  it('converges once the dependency is corrected: one Action, built, deployed with it, bound once, no changes', async () => {
    tf.write(config(PUBLISHED));
    await expectExit(tf.run('apply', '-auto-approve'));
    const { actions, boundIds } = await tenantActions();
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({
      name: NAME,
      status: 'built',
      deployed_version: { deployed: true, dependencies: [PUBLISHED] },
    });
    expect(boundIds).toEqual([actions[0].id]);
    await expectExit(tf.run('plan', '-detailed-exitcode'), 0);
  });

  it('a real login runs the deployed Action, which requires lodash from its installed dependencies', async () => {
    const password = randomBytes(18).toString('base64url');
    await t.client.createUser('dependent@example.com', { password });
    const login = await new LoginClients(t.tenant).passwordRealm('dependent@example.com', password);
    expect(login.tokens?.claims()).toMatchObject({ padded: `007:${PUBLISHED.version}` });
  });
});
