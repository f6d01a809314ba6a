// What the interrupted-command tests share (`npm run deploy` and `npm start` stopped mid-apply): an
// environment with seed users in its own config folder and state file, the command's exit, and what
// "converged" means afterwards: one Action, one binding to it, each seed user once, a plan with no change.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TenantClient } from '@auth0-mfa/local-tenant';
import { tempDir } from '../support/temp-dirs';
import { type CommandProcess, descendantsNamed, startCommand } from './command-process';
import { SEED_PASSWORD, viewTenant } from './harness';

export const USERS = [
  { email: 'alice@example.com', name: 'Alice', useMfa: true },
  { email: 'bob@example.com', name: 'Bob', useMfa: false },
];

export interface InterruptedEnvironment {
  environment: string;
  configDir: string;
  stateFile: string;
  /** TMPDIR of the commands: where their plan files live. */
  tmp: string;
  /** What the commands run with (besides this process's environment). */
  env: Record<string, string>;
}

/** config/<environment>.json in a folder of its own, with the seed users and a throwaway local state. */
export function interruptedEnvironment(
  environment: string,
  domain: string,
  config: Record<string, unknown> = {},
  env: Record<string, string> = {},
): InterruptedEnvironment {
  const configDir = tempDir(`${environment}-config-`);
  const stateDir = tempDir(`${environment}-state-`);
  const stateFile = join(stateDir, `${environment}.tfstate`);
  const full = {
    domain,
    mfa: { factors: ['otp'] },
    users: USERS,
    // The commands run under CI=true in .ci/run: this throwaway state is allowed there on purpose.
    backend: { type: 'local', path: stateFile, allowLocalInCi: true },
    ...config,
  };
  writeFileSync(join(configDir, `${environment}.json`), JSON.stringify(full));
  const tmp = tempDir(`${environment}-tmp-`);
  return {
    environment,
    configDir,
    stateFile,
    tmp,
    env: { ...env, TF_VAR_seed_user_password: SEED_PASSWORD, TMPDIR: tmp },
  };
}

export async function finished(command: CommandProcess): Promise<number | null> {
  const { code } = await command.exited;
  return code;
}

/** Exit 0, or the output in the failure message. */
export async function expectSuccess(command: CommandProcess): Promise<void> {
  const code = await finished(command);
  expect({ code, output: code === 0 ? '' : command.output().slice(-6000) }).toEqual({ code: 0, output: '' });
}

/**
 * The command succeeds, importing the Action and every seed user that an interrupted run created and
 * did not record, without a single duplicate (no 409).
 */
export async function expectRecovered(command: CommandProcess): Promise<void> {
  await expectSuccess(command);
  const output = command.output();
  expect(output).toMatch(
    /recover: Action "conditional-mfa" exists in the tenant \(\S+\) but not in the state/,
  );
  for (const user of USERS) {
    expect(output).toContain(`recover: user ${user.email} in Username-Password-Authentication exists`);
  }
  // A conflict as the provider reports it ("409 Conflict: …already exists"); the bare digits would
  // also match inside a random hex user id (auth0|…a40900…), which failed a run.
  expect(output).not.toMatch(/\b409\b|already exists/);
}

/** SIGKILL to the Terraform that `run` started: no chance to save anything. */
export function killTerraform(run: CommandProcess): void {
  const pids = descendantsNamed(run.child.pid ?? -1, 'terraform');
  expect(pids).toHaveLength(1);
  process.kill(pids[0], 'SIGKILL');
}

/** The resource types in the state file, one per instance. */
export function stateResources(e: InterruptedEnvironment): string[] {
  // Terraform creates the file empty when it takes the lock and fills it after the first resource.
  const text = existsSync(e.stateFile) ? readFileSync(e.stateFile, 'utf8') : '';
  if (text.trim() === '') return [];
  const state = JSON.parse(text) as {
    resources: Array<{ type: string; instances: unknown[] }>;
  };
  return state.resources.flatMap((r) => r.instances.map(() => r.type)).sort();
}

/** One Action, bound once, each seed user once, and `npm run plan --detailed-exitcode` finds nothing to do. */
export async function expectConverged(e: InterruptedEnvironment, api: TenantClient): Promise<void> {
  const tenant = await viewTenant(api);
  expect(tenant.actions.map((a) => a.name)).toEqual(['conditional-mfa']);
  expect(tenant.bindings.map((b) => b.action.id)).toEqual([tenant.actions[0].id]);
  expect(tenant.users.map((u) => u.email)).toEqual(USERS.map((u) => u.email));
  const plan = startCommand(
    ['run', 'plan', '--', e.environment, '--config-dir', e.configDir, '--detailed-exitcode'],
    e.env,
  );
  await expectSuccess(plan);
}
