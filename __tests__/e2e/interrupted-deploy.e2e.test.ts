// A deploy interrupted mid-apply, as a cancelled CI job or a Ctrl+C does it, and the next deploy.
// Deterministic without timing: the local tenant holds the answers of chosen calls (the call is
// carried out, its answer waits), so the test knows Terraform is in the middle of the apply, with
// objects created in the tenant that it has not recorded yet, when it interrupts or kills it.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommandProcess, descendantsNamed, listModes, startCommand } from './command-process';
import { type E2eEnvironment, SEED_PASSWORD, startE2e, viewTenant } from './harness';

jest.setTimeout(300_000);

const USERS = [
  { email: 'alice@example.com', name: 'Alice', useMfa: true },
  { email: 'bob@example.com', name: 'Bob', useMfa: false },
];

interface Fixture {
  e2e: E2eEnvironment;
  environment: string;
  configDir: string;
  stateFile: string;
  /** TMPDIR of the commands: where their plan files live. */
  tmp: string;
  env: Record<string, string>;
}

async function fixture(environment: string, config: Record<string, unknown> = {}): Promise<Fixture> {
  const e2e = await startE2e(environment);
  const configDir = mkdtempSync(join(tmpdir(), `${environment}-config-`));
  const stateFile = join(e2e.outdir, `${environment}.tfstate`);
  const full = {
    domain: e2e.tenant.domain,
    mfa: { factors: ['otp'] },
    users: USERS,
    // The commands run under CI=true in .ci/run: this throwaway state is allowed there on purpose.
    backend: { type: 'local', path: stateFile, allowLocalInCi: true },
    ...config,
  };
  writeFileSync(join(configDir, `${environment}.json`), JSON.stringify(full));
  const tmp = mkdtempSync(join(tmpdir(), `${environment}-tmp-`));
  const env = { ...e2e.tenant.env, TF_VAR_seed_user_password: SEED_PASSWORD, TMPDIR: tmp };
  return { e2e, environment, configDir, stateFile, tmp, env };
}

const deploy = (f: Fixture) =>
  startCommand(['run', 'deploy', '--', f.environment, '--config-dir', f.configDir], f.env);

async function finished(command: CommandProcess): Promise<number | null> {
  const { code } = await command.exited;
  return code;
}

/** Exit 0, or the output in the failure message. */
async function expectSuccess(command: CommandProcess): Promise<void> {
  const code = await finished(command);
  expect({ code, output: code === 0 ? '' : command.output().slice(-6000) }).toEqual({ code: 0, output: '' });
}

/** The command's private folders (plan files) in its TMPDIR. */
const planFolders = (f: Fixture) =>
  listModes(f.tmp).filter((entry) => entry.path.includes(`/auth0-${f.environment}-`));

function stateResources(f: Fixture): string[] {
  // Terraform creates the file empty when it takes the lock and fills it after the first resource.
  const text = existsSync(f.stateFile) ? readFileSync(f.stateFile, 'utf8') : '';
  if (text.trim() === '') return [];
  const state = JSON.parse(text) as {
    resources: Array<{ type: string; instances: unknown[] }>;
  };
  return state.resources.flatMap((r) => r.instances.map(() => r.type)).sort();
}

async function expectConverged(f: Fixture): Promise<void> {
  const tenant = await viewTenant(f.e2e.api);
  expect(tenant.actions.map((a) => a.name)).toEqual(['conditional-mfa']);
  expect(tenant.bindings.map((b) => b.action.id)).toEqual([tenant.actions[0].id]);
  expect(tenant.users.map((u) => u.email)).toEqual(['alice@example.com', 'bob@example.com']);
  const plan = startCommand(
    ['run', 'plan', '--', f.environment, '--config-dir', f.configDir, '--detailed-exitcode'],
    f.env,
  );
  await expectSuccess(plan);
}

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

/** SIGKILL to the Terraform that `run` started: no chance to save anything. */
function killTerraform(run: CommandProcess): void {
  const pids = descendantsNamed(run.child.pid ?? -1, 'terraform');
  expect(pids).toHaveLength(1);
  process.kill(pids[0], 'SIGKILL');
}

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

      const second = deploy(f);
      await expectSuccess(second);
      const output = second.output();
      expect(output).toMatch(
        /recover: Action "conditional-mfa" exists in the tenant \(\S+\) but not in the state/,
      );
      for (const user of USERS) {
        expect(output).toContain(`recover: user ${user.email} in Username-Password-Authentication exists`);
      }
      expect(output).not.toMatch(/409|already exists/);
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
