// The environment a stack command works on, read from its configuration file, and the rules on
// where its state may live that only hold when a command runs (not when a stack is synthesized).
import { ConfigError, type Environment, loadEnvironments } from '../../src/config/load';
import { configFolder } from '../../src/paths';
// Not ../management/client: that one loads the auth0 SDK, which plan and deploy load only to recover.
import { findCredentials } from '../management/credentials';

export class EnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvironmentError';
  }
}

/** CI=true (GitHub Actions, .ci/run), CI=1; not CI=false or unset. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env.CI ?? '').trim().toLowerCase();
  return value !== '' && value !== '0' && value !== 'false';
}

/** Loads one environment's configuration; a bad file is an EnvironmentError naming file and field. */
export function loadEnvironment(name: string, configDir?: string): Environment {
  try {
    const [environment] = loadEnvironments(configFolder(configDir), [name]);
    return environment;
  } catch (error) {
    if (error instanceof ConfigError) throw new EnvironmentError(error.message);
    throw error;
  }
}

/**
 * Refuses state that would be lost or cannot be reached: a `local` backend in CI (the runner and
 * its state file are thrown away after the job, so the next deploy would create everything again),
 * unless the environment says it wants exactly that; a `pg` backend without PG_CONN_STR.
 */
export function checkStateBackend(environment: Environment, env: NodeJS.ProcessEnv = process.env): void {
  const { backend } = environment.config;
  const where = `${environment.file}: backend`;
  if (backend.type === 'local' && inCi(env) && !backend.allowLocalInCi) {
    throw new EnvironmentError(
      `${where}: "${environment.name}" keeps its Terraform state in a local file, and this runs in CI (CI=${env.CI}), where the file is gone after the job: the next run would plan to create everything again. Give ${environment.name} a shared backend (s3, hcp, gcs or pg: README, "Shared state"), or, if throwaway state is really meant, set "backend": { "type": "local", "allowLocalInCi": true }.`,
    );
  }
  if (backend.type === 'pg' && !env.PG_CONN_STR) {
    throw new EnvironmentError(
      `${where}: "${environment.name}" keeps its state in PostgreSQL, and PG_CONN_STR is not set: export the connection string (in CI, the environment's PG_CONN_STR secret).`,
    );
  }
}

/**
 * Refuses to plan without Auth0 credentials (by the rule the Management client reads them with). The
 * provider would say "AUTH0_DOMAIN is required", which misleads: the domain comes from the configuration;
 * what is missing is the credentials.
 */
export function checkCredentials(environment: Environment, env: NodeJS.ProcessEnv = process.env): void {
  const found = findCredentials(env);
  if (found.auth) return;
  const missing = found.missing ? `${found.missing} is not set` : 'no Auth0 credentials are set';
  throw new EnvironmentError(
    `${environment.file}: ${missing}: export AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET (a Machine-to-Machine application of ${environment.config.domain}), or AUTH0_API_TOKEN. AUTH0_DOMAIN is not needed: the domain comes from ${environment.file}.`,
  );
}
