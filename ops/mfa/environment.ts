// Which stack configuration (config/<env>.json) the tool acts for, and so which tenant, flag source and
// seed users. The credentials and the configuration must belong to the same tenant: a flag written with
// another environment's flag source would be one the deployed Action never reads.
import { type Environment, loadEnvironments } from '../../src/config/load';
import { UsageError } from '../management/errors';

export interface Target {
  environment: Environment;
  /** Where the Management API is called: the configuration's domain, which AUTH0_DOMAIN must match. */
  domain: string;
}

const sameDomain = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function listEnvironments(environments: Environment[]): string {
  return environments.map((env) => `${env.name} (${env.config.domain})`).join(', ');
}

/**
 * `--env NAME` picks config/NAME.json; without it, the environment whose domain is AUTH0_DOMAIN.
 * ConfigError from the loader (bad file, unknown name) is passed on: its message names file and field.
 */
export function selectTarget(configDir: string, envName: string | undefined, auth0Domain?: string): Target {
  const domain = auth0Domain?.trim() || undefined;
  if (envName) {
    const [environment] = loadEnvironments(configDir, [envName]);
    if (domain && !sameDomain(domain, environment.config.domain)) {
      throw new UsageError(
        `environment ${envName} is for ${environment.config.domain}, but AUTH0_DOMAIN is ${domain}: ` +
          'the credentials and the configuration must belong to the same tenant',
      );
    }
    return { environment, domain: environment.config.domain };
  }
  const environments = loadEnvironments(configDir);
  if (!domain) {
    throw new UsageError(
      `AUTH0_DOMAIN is not set: set it to the tenant's domain, or choose an environment with --env NAME ` +
        `(${listEnvironments(environments)})`,
    );
  }
  const matches = environments.filter((env) => sameDomain(env.config.domain, domain));
  if (matches.length === 1) return { environment: matches[0], domain: matches[0].config.domain };
  if (matches.length === 0) {
    throw new UsageError(
      `no environment in ${configDir} has the domain AUTH0_DOMAIN=${domain}; ` +
        `environments: ${listEnvironments(environments)}. Choose one with --env NAME`,
    );
  }
  throw new UsageError(
    `several environments have the domain ${domain}: ${listEnvironments(matches)}. Choose one with --env NAME`,
  );
}
