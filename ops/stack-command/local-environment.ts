// The `local` environment (config/local.json) is the local tenant's: npm start deploys it, and
// `npm run plan|deploy|drift -- local` work on it without the user hunting for its seed password.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Environment } from '../../src/config/load';
import { PROJECT_ROOT } from '../../src/paths';
import { EnvironmentError } from './environment';

export const LOCAL_ENVIRONMENT = 'local';
/**
 * The tenant's data, CA, connection.env, Terraform state and seed password (git-ignored); LOCAL_TENANT_DIR
 * moves it, as it moves `npm run local-tenant`'s, so both keep serving the same tenant.
 */
export const LOCAL_TENANT_DIR = resolve(process.env.LOCAL_TENANT_DIR || join(PROJECT_ROOT, '.local-tenant'));
const SEED_PASSWORD_VARIABLE = 'TF_VAR_seed_user_password';

/**
 * The local tenant's package, loaded only when the local environment needs it: loading it costs
 * plan, deploy and drift of every other environment about a second of start-up.
 */
function localTenant(): typeof import('@auth0-mfa/local-tenant') {
  return require('@auth0-mfa/local-tenant');
}

/**
 * The local seed users' password, never committed or printed: TF_VAR_seed_user_password when set;
 * otherwise one made once and kept in the tenant's folder (0600), so that the next run plans no change.
 */
export function localSeedPassword(dir: string = LOCAL_TENANT_DIR): string {
  const fromEnv = process.env[SEED_PASSWORD_VARIABLE];
  if (fromEnv) return fromEnv;
  const file = join(dir, localTenant().SEED_PASSWORD_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true });
  // Letters, digits and symbols: satisfies Auth0's default "fair" password policy.
  const password = `Lt-${randomBytes(18).toString('base64url')}-9a`;
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/**
 * For the local environment, puts its seed password in this process's environment (Terraform
 * inherits it, the scrubber knows it). Other environments get their secrets from the user or CI.
 */
export function provideLocalSecrets(environment: Environment, dir: string = LOCAL_TENANT_DIR): void {
  if (environment.name !== LOCAL_ENVIRONMENT || environment.config.users.length === 0) return;
  process.env[SEED_PASSWORD_VARIABLE] = localSeedPassword(dir);
}

/**
 * The port the local tenant must listen on: the one in the environment's domain, which is where
 * the provider calls. LOCAL_TENANT_PORT, when set, must say the same: a different port would start
 * a tenant the deploy never reaches, so it is refused rather than silently ignored.
 */
export function localTenantPort(environment: Environment, env: NodeJS.ProcessEnv = process.env): number {
  const domain = environment.config.domain;
  const port = Number(domain.split(':')[1] ?? 443);
  const fromEnv = env.LOCAL_TENANT_PORT?.trim();
  if (fromEnv && Number(fromEnv) !== port) {
    throw new EnvironmentError(
      `LOCAL_TENANT_PORT=${fromEnv}, but ${environment.file} deploys to ${domain}: the tenant must listen where the provider calls. Unset LOCAL_TENANT_PORT, or change "domain" in ${environment.file} to "localhost:${fromEnv}" (the file decides; the variable may only agree).`,
    );
  }
  return port;
}
