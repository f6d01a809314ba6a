// The cdktf app: one tenant stack per environment, synthesized into `outdir`. main.ts runs it for
// `cdktf synth` and `npm run synth`; the stack commands (plan, deploy, drift, start) run it in their
// own process, on the configuration they have loaded and checked: no second Node, no second reading.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import { ActionBuildError } from './action-build/build';
import { ConfigError, type Environment, loadEnvironments } from './config/load';
import { conditionalMfaCode } from './stack/conditional-mfa-action';
import { actionSettings, TenantStack } from './stack/tenant-stack';

export interface AppOptions {
  configDir: string;
  /** Only these environments (default: every file of the folder). */
  environments?: string[];
  /** Default: cdktf's own ($CDKTF_OUTDIR, else cdktf.out). */
  outdir?: string;
}

/**
 * Builds every stack before anything is written, so that bad input leaves no partial output behind.
 * Throws ConfigError (a configuration file) or ActionBuildError (the Action's source) for what a user wrote.
 */
export function synthesize({ configDir, environments, outdir }: AppOptions): void {
  synthesizeEnvironments(loadEnvironments(configDir, environments), outdir);
}

/** `synthesize` of environments already loaded (and checked) by the caller: they are not read again. */
export function synthesizeEnvironments(loaded: Environment[], outdir?: string): void {
  // The App writes its folders when created: build each Action first (cached), so a broken source writes none.
  for (const { config } of loaded) conditionalMfaCode(actionSettings(config));
  const app = new App(outdir ? { outdir } : {});
  for (const environment of loaded) new TenantStack(app, environment);
  app.synth();
  keepOneFormat(app.outdir);
}

// `cdktf synth --hcl` writes cdk.tf, a JSON synth cdk.tf.json, and neither removes the other's file: with both
// in a stack folder Terraform reads both ("Duplicate provider configuration"). The older of the two goes.
function keepOneFormat(outdir: string): void {
  const stacks = join(outdir, 'stacks');
  if (!existsSync(stacks)) return;
  for (const name of readdirSync(stacks)) {
    const [json, hcl] = ['cdk.tf.json', 'cdk.tf'].map((file) => join(stacks, name, file));
    if (!existsSync(json) || !existsSync(hcl)) continue;
    rmSync(statSync(json).mtimeMs < statSync(hcl).mtimeMs ? json : hcl);
  }
}

/** An error in what a user wrote, to report by its message alone (no stack trace). */
export function isUserInputError(error: unknown): error is ConfigError | ActionBuildError {
  return error instanceof ConfigError || error instanceof ActionBuildError;
}
