// Plain Terraform configurations (main.tf.json, no CDKTF) run by the real Terraform and the real auth0
// provider from the local mirror against a local tenant: for the provider's own behaviour.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalTenant } from '@auth0-mfa/local-tenant';
import { PROJECT_ROOT } from '../../src/paths';

const ENV_SH = join(PROJECT_ROOT, '.tools', 'env.sh');

export interface Run {
  code: number | null;
  output: string;
}

export interface RawTerraform {
  /** Writes the configuration (replacing the previous one). */
  write(config: object): void;
  run(...args: string[]): Promise<Run>;
}

/** The environment of a shell that sourced .tools/env.sh (the provider mirror and terraform). */
function mirrorEnvironment(): NodeJS.ProcessEnv {
  if (!existsSync(ENV_SH)) {
    throw new Error(
      `${ENV_SH} is missing: run \`bash scripts/provider/install.sh\` once to install the provider mirror`,
    );
  }
  const dump = execFileSync('bash', ['-c', `set -a; . "${ENV_SH}"; env -0`], { encoding: 'utf8' });
  const env: NodeJS.ProcessEnv = {};
  for (const entry of dump.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

/** Terraform in `workDir` with the provider pointed at `tenant`; `extraEnv` adds TF_VAR_s and the like. */
export function rawTerraform(
  workDir: string,
  tenant: LocalTenant,
  extraEnv: Record<string, string> = {},
): RawTerraform {
  const mirror = mirrorEnvironment();
  const binary = mirror.TERRAFORM_BINARY_NAME || 'terraform';
  const env: NodeJS.ProcessEnv = {
    ...mirror,
    AUTH0_DOMAIN: tenant.env.AUTH0_DOMAIN,
    AUTH0_CLIENT_ID: tenant.env.AUTH0_CLIENT_ID,
    AUTH0_CLIENT_SECRET: tenant.env.AUTH0_CLIENT_SECRET,
    SSL_CERT_FILE: tenant.env.SSL_CERT_FILE,
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1',
    ...extraEnv,
  };
  return {
    write(config) {
      writeFileSync(join(workDir, 'main.tf.json'), `${JSON.stringify(config, null, 2)}\n`);
    },
    run: (...args) =>
      new Promise((resolve, reject) => {
        const child = spawn(binary, [...args, '-no-color', '-input=false'], { cwd: workDir, env });
        let output = '';
        child.stdout.on('data', (c: Buffer) => {
          output += c.toString();
        });
        child.stderr.on('data', (c: Buffer) => {
          output += c.toString();
        });
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, output }));
      }),
  };
}

/** The run's output when it exited `expectedCode`; else an error carrying the output. */
export async function expectExit(run: Promise<Run>, expectedCode = 0): Promise<string> {
  const { code, output } = await run;
  if (code !== expectedCode)
    throw new Error(`terraform exited ${code} (expected ${expectedCode}):\n${output}`);
  return output;
}

/** The provider block every raw configuration starts with. */
export const AUTH0_PROVIDER = {
  terraform: { required_providers: { auth0: { source: 'auth0/auth0', version: '1.54.1' } } },
  provider: { auth0: {} },
};
