import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PipelineAction, runPostLoginPipeline } from '../../src/actions-runtime/pipeline';
import type { WireFlowState } from '../../src/actions-runtime/protocol';
import { ActionRuntimeError } from '../../src/actions-runtime/runtimes';
import { ActionWorkers } from '../../src/actions-runtime/workers';
import { newWireFlowState } from '../../src/login/api';

const workers = new ActionWorkers();
afterAll(() => workers.close());

function state(userMetadata: Record<string, unknown> = {}): WireFlowState {
  return newWireFlowState(userMetadata, {});
}

let versions = 0;
function action(code: string, runtime = 'node22', name = 'test-action'): PipelineAction {
  return { versionId: `v${++versions}`, name, runtime, code, secrets: { KEY: 'value' } };
}

const event = (s: WireFlowState, secrets: Record<string, string>) => ({
  user: { user_id: 'auth0|1', user_metadata: s.userMetadata, app_metadata: s.appMetadata },
  secrets,
  transaction: { protocol: 'oidc-basic-profile' },
});

const run = (actions: PipelineAction[], timeLimitMs?: number, initial = state()) =>
  runPostLoginPipeline(workers, { actions, state: initial, event, timeLimitMs });

describe('the post-login pipeline in Action workers', () => {
  it.each([
    ['node18', 'v18.'],
    ['node22', 'v22.'],
  ])('runs a %s Action in a Node of that major, in another process', async (runtime, prefix) => {
    const result = await run([
      action(
        'exports.onExecutePostLogin = async (event, api) => { console.log(process.version, process.pid); api.idToken.setCustomClaim("node", process.version); };',
        runtime,
      ),
    ]);
    expect(result.failure).toBeUndefined();
    expect(String(result.state.idTokenClaims.node)).toMatch(new RegExp(`^${prefix.replace('.', '\\.')}`));
    const pid = Number(result.logs[0].split(' ').pop());
    expect(pid).not.toBe(process.pid);
  });

  it('runs the Actions in order, each seeing the metadata the earlier ones set', async () => {
    const first = action(
      'exports.onExecutePostLogin = async (e, api) => { api.user.setUserMetadata("step", 1); };',
      'node22',
      'first',
    );
    const second = action(
      'exports.onExecutePostLogin = async (e, api) => { api.user.setAppMetadata("saw", e.user.user_metadata.step); api.multifactor.enable("any", { allowRememberBrowser: true }); };',
      'node18',
      'second',
    );
    const result = await run([first, second]);
    expect(result.actionsRun).toEqual(['first', 'second']);
    expect(result.state.userMetadataUpdates).toEqual({ step: 1 });
    expect(result.state.appMetadataUpdates).toEqual({ saw: 1 });
    expect(result.state.mfa).toEqual({
      provider: 'any',
      options: { allowRememberBrowser: true },
      action: 'second',
    });
  });

  it('gives the Action its secrets and none of the tenant environment', async () => {
    process.env.TENANT_ONLY_SECRET = 'leak';
    const result = await run([
      action(
        'exports.onExecutePostLogin = async (e, api) => { api.idToken.setCustomClaim("s", e.secrets.KEY); api.idToken.setCustomClaim("env", process.env.TENANT_ONLY_SECRET ?? null); };',
      ),
    ]);
    delete process.env.TENANT_ONLY_SECRET;
    expect(result.state.idTokenClaims).toEqual({ s: 'value', env: null });
  });

  it('stops at a denial: later Actions do not run', async () => {
    const deny = action(
      'exports.onExecutePostLogin = async (e, api) => { api.access.deny("no entry"); };',
      'node22',
      'deny',
    );
    const after = action('exports.onExecutePostLogin = async (e, api) => {};', 'node22', 'after');
    const result = await run([deny, after]);
    expect(result.actionsRun).toEqual(['deny']);
    expect(result.state.denied).toEqual({ reason: 'no entry', action: 'deny' });
  });

  it('reports an Action that throws, with its message, and keeps nothing it changed', async () => {
    const result = await run([
      action(
        'exports.onExecutePostLogin = async (e, api) => { api.user.setUserMetadata("x", 1); throw new Error("boom"); };',
        'node22',
        'thrower',
      ),
    ]);
    expect(result.failure).toEqual({ action: 'thrower', kind: 'error', message: 'boom' });
  });

  it('kills an Action that runs past the flow time limit, and the next login gets a fresh worker', async () => {
    const loop = action('exports.onExecutePostLogin = async () => { for (;;) {} };', 'node22', 'loop');
    const started = workers.stats().started;
    const result = await run([loop], 500);
    expect(result.failure).toEqual({
      action: 'loop',
      kind: 'timeout',
      message: 'Script execution time exceeded',
    });
    const again = await run([{ ...loop, code: 'exports.onExecutePostLogin = async () => {};' }], 5000);
    expect(again.failure).toBeUndefined();
    expect(workers.stats().started).toBe(started + 2);
  });

  it('keeps a worker warm: module state survives between logins of the same version', async () => {
    const counter = action(
      'let n = 0; exports.onExecutePostLogin = async (e, api) => { api.idToken.setCustomClaim("n", ++n); };',
    );
    const started = workers.stats().started;
    const one = await run([counter]);
    const two = await run([counter]);
    expect([one.state.idTokenClaims.n, two.state.idTokenClaims.n]).toEqual([1, 2]);
    expect(workers.stats().started).toBe(started + 1);
  });

  it('reports an Action that kills its own worker as a failed login, and replaces the worker', async () => {
    const exits = action('exports.onExecutePostLogin = async () => { process.exit(3); };', 'node22', 'exits');
    const result = await run([exits]);
    expect(result.failure).toEqual({
      action: 'exits',
      kind: 'error',
      message: expect.stringMatching(/worker process exited/),
    });
    const again = await run([{ ...exits, code: 'exports.onExecutePostLogin = async () => {};' }]);
    expect(again.failure).toBeUndefined();
  });

  it('refuses requiring packages that are not installed, as a failed Action', async () => {
    const result = await run([
      action('const x = require("left-pad"); exports.onExecutePostLogin = async () => {};', 'node22', 'deps'),
    ]);
    expect(result.failure?.message).toMatch(/Cannot find module 'left-pad'/);
  });

  it('names the install command when a runtime is missing', async () => {
    const empty = new ActionWorkers({ runtimesDir: mkdtempSync(join(tmpdir(), 'no-runtimes-')) });
    await expect(
      runPostLoginPipeline(empty, { actions: [action('')], state: state(), event }),
    ).rejects.toBeInstanceOf(ActionRuntimeError);
    await expect(
      runPostLoginPipeline(empty, { actions: [action('')], state: state(), event }),
    ).rejects.toThrow(/the node22 runtime is not installed .* npm run install-runtimes/);
    empty.close();
  });

  it('refuses runtimes Auth0 retired', async () => {
    await expect(run([action('', 'node12')])).rejects.toThrow(/runtime "node12" cannot run here/);
  });
});
