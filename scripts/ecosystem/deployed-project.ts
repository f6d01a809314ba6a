// The project's own `local` environment deployed with the JSON stack to a fresh local tenant: the state that
// another way of writing the same stack (exported HCL, CDK Terrain) must plan no changes against.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LocalTenant, startLocalTenant } from '@auth0-mfa/local-tenant';
import { privateFolder } from '../../ops/stack-command/interrupts';
import { stackDir, synth, terraform, terraformOk } from '../../ops/stack-command/terraform';
import { stackName } from '../../src/config/vocabulary';
import { PROJECT_ROOT } from '../../src/paths';

export const ENVIRONMENT = 'local';
export const STACK = stackName(ENVIRONMENT);

export interface DeployedProject {
  tenant: LocalTenant;
  /** A private folder for this run (state, config, outputs). */
  work: string;
  /** config/ with local.json pointed at this tenant and at a state file in `work`. */
  configDir: string;
  /** The JSON synth that was deployed (cdktf.out layout). */
  outdir: string;
  /** What Terraform needs for this tenant (credentials, CA, seed password). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function deployProject(): Promise<DeployedProject> {
  const { path: work, remove } = privateFolder('ecosystem-');
  const tenant = await startLocalTenant({ dir: join(work, 'tenant'), port: 0, quiet: true });
  const stop = async () => {
    await tenant.stop();
    remove();
  };
  try {
    const configDir = join(work, 'config');
    mkdirSync(configDir);
    const config = JSON.parse(readFileSync(join(PROJECT_ROOT, 'config', `${ENVIRONMENT}.json`), 'utf8'));
    config.domain = tenant.domain;
    config.backend = { type: 'local', path: join(work, 'terraform.tfstate') };
    writeFileSync(join(configDir, `${ENVIRONMENT}.json`), JSON.stringify(config, null, 2));
    // Not a secret: a throwaway tenant's seed users, gone with `work`.
    const env = { ...tenant.env, TF_VAR_seed_user_password: 'Ecosystem-Check-Passw0rd!' };
    const outdir = join(work, 'json');
    await synth({ outdir, configDir });
    const dir = stackDir(outdir, STACK);
    await terraformOk(dir, ['init', '-input=false', '-no-color'], { env });
    await terraformOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color'], { env });
    return { tenant, work, configDir, outdir, env, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface NoChangeResult {
  /** terraform plan -detailed-exitcode: 0 no changes, 2 changes. */
  code: number;
  output: string;
}

/** init and a detailed-exitcode plan in a stack folder written some other way, against the deployed state. */
export async function planAgainstState(dir: string, env: Record<string, string>): Promise<NoChangeResult> {
  await terraformOk(dir, ['init', '-input=false', '-no-color'], { env });
  const plan = await terraform(dir, ['plan', '-detailed-exitcode', '-input=false', '-no-color'], { env });
  if (plan.code === 1) throw new Error(`terraform plan failed in ${dir}:\n${plan.stderr}${plan.stdout}`);
  return { code: plan.code, output: plan.stdout };
}
