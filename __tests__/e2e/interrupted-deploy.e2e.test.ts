// A deploy interrupted mid-apply, as a cancelled CI job or a Ctrl+C does it, and the next deploy.
// Deterministic without timing: the local tenant holds the answers of chosen calls (the call is
// carried out, its answer waits), so the test knows Terraform is in the middle of the apply, with
// objects created in the tenant that it has not recorded yet, when it interrupts or kills it.

import { stackName } from '../../src/config/vocabulary';
import { descendantsNamed, listModes, startCommand } from './command-process';
import { type E2eEnvironment, startE2e, viewTenant } from './harness';
import {
  expectConverged as converged,
  expectRecovered,
  expectSuccess,
  finished,
  type InterruptedEnvironment,
  interruptedEnvironment,
  killTerraform,
  stateResources,
  USERS,
} from './interruption';

jest.setTimeout(300_000);

interface Fixture extends InterruptedEnvironment {
  e2e: E2eEnvironment;
}

async function fixture(environment: string, config: Record<string, unknown> = {}): Promise<Fixture> {
  const e2e = await startE2e(environment);
  return { e2e, ...interruptedEnvironment(environment, e2e.tenant.domain, config, e2e.tenant.env) };
}

const deploy = (f: Fixture) =>
  startCommand(['run', 'deploy', '--', f.environment, '--config-dir', f.configDir], f.env);

/** The command's private folders (plan files) in its TMPDIR. */
const planFolders = (f: Fixture) =>
  listModes(f.tmp).filter((entry) => entry.path.includes(`/${stackName(f.environment)}-`));

const expectConverged = (f: Fixture) => converged(f, f.e2e.api);

describe('SIGTERM to `npm run deploy` mid-apply', () => {
  let f: Fixture;

  beforeAll(async () => {
    f = await fixture('interrupt');
  });
  afterAll(async () => {
    await f?.e2e.tenant.stop();
  });

  it('reaches Terraform, which saves its state; the deploy fails saying so and leaves no plan file', async () => {
    const hold = f.e2e.tenant.holdResponses(['POST /api/v2/users']);
    const run = deploy(f);
    // Both users are created in the tenant; Terraform waits for the answers.
    await hold.reached(USERS.length);

    const folders = planFolders(f);
    const planFile = folders.find((entry) => entry.path.endsWith('/tfplan'));
    expect(planFile?.mode.toString(8)).toBe('600');
    expect(folders.filter((e) => e.directory && /auth0-interrupt-[^/]+$/.test(e.path))).toEqual([
      expect.objectContaining({ mode: 0o700 }),
    ]);

    // A plain `kill`, as a cancelled CI job sends it: to npm, not to its children.
    run.child.kill('SIGTERM');
    await run.waitForOutput(/Interrupt received/);
    hold.release();

    const code = await finished(run);
    expect(code).not.toBe(0);
    expect(run.output()).toMatch(/Interrupted by SIGTERM: Terraform was asked to stop gracefully/);
    // Terraform finished what it had started and wrote its state.
    expect(stateResources(f)).toEqual(expect.arrayContaining(['auth0_guardian']));
    expect(planFolders(f)).toEqual([]);
    expect(descendantsNamed(process.pid, 'terraform')).toEqual([]);
  });

  it('the next deploy finishes the job, and then nothing is left to change', async () => {
    await expectSuccess(deploy(f));
    await expectConverged(f);
    expect(planFolders(f)).toEqual([]);
  });
});

describe('Terraform killed (SIGKILL) mid-apply, then deployed again', () => {
  it('with the Action and the users created but not recorded: the next deploy imports them', async () => {
    const f = await fixture('killed');
    try {
      const hold = f.e2e.tenant.holdResponses(['POST /api/v2/actions/actions', 'POST /api/v2/users']);
      const first = deploy(f);
      await hold.reached(1 + USERS.length);
      killTerraform(first);
      const code = await finished(first);
      hold.release();
      expect(code).not.toBe(0);
      expect(planFolders(f)).toEqual([]);
      const left = await viewTenant(f.e2e.api);
      expect(left.actions).toHaveLength(1);
      expect(left.users).toHaveLength(USERS.length);
      const stateBefore = stateResources(f);
      expect(stateBefore).not.toContain('auth0_user');

      // A plan shows the imports it would do, and changes nothing.
      f.e2e.tenant.resetStats();
      const preview = startCommand(['run', 'plan', '--', f.environment, '--config-dir', f.configDir], f.env);
      await expectSuccess(preview);
      expect(preview.output()).toMatch(/recover: 3 of 4 object\(s\) to create already existed/);
      expect(preview.output()).toMatch(/import/i);
      const writes = Object.keys(f.e2e.tenant.stats().byRoute).filter(
        (route) => !route.startsWith('GET ') && route !== 'POST /oauth/token',
      );
      expect(writes).toEqual([]);
      expect(stateResources(f)).toEqual(stateBefore);

      await expectRecovered(deploy(f));
      await expectConverged(f);
      const tenant = await viewTenant(f.e2e.api);
      expect(tenant.actions[0].id).toBe(left.actions[0].id);
      expect(tenant.users.map((u) => u.user_id).sort()).toEqual(left.users.map((u) => u.user_id).sort());
    } finally {
      await f.e2e.tenant.stop();
    }
  });

  it.each([
    ['trigger-actions', 'PATCH /api/v2/actions/triggers/{triggerId}/bindings'],
    ['trigger-action', 'PATCH /api/v2/actions/triggers/{triggerId}/bindings'],
  ])('with the binding (%s) made but not recorded: the next deploy imports it', async (mode, route) => {
    const f = await fixture(`killed-${mode}`, { binding: { mode } });
    try {
      const hold = f.e2e.tenant.holdResponses([route]);
      const first = deploy(f);
      await hold.reached(1);
      killTerraform(first);
      const code = await finished(first);
      hold.release();
      expect(code).not.toBe(0);
      expect((await viewTenant(f.e2e.api)).bindings).toHaveLength(1);

      const second = deploy(f);
      await expectSuccess(second);
      expect(second.output()).toMatch(
        /recover: post-login binding of "conditional-mfa" exists in the tenant/,
      );
      await expectConverged(f);
    } finally {
      await f.e2e.tenant.stop();
    }
  });
});
