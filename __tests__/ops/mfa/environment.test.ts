import { selectTarget } from '../../../ops/mfa/environment';
import { ConfigError } from '../../../src/config/load';
import { configDir } from './helpers';

describe('choosing the environment', () => {
  const dir = configDir({
    dev: { domain: 'dev.eu.auth0.com', action: { flagSource: 'app_metadata' } },
    prod: { domain: 'prod.eu.auth0.com' },
    shadow: { domain: 'PROD.eu.auth0.com' },
  });

  it('takes --env, and its domain when AUTH0_DOMAIN is not set', () => {
    const target = selectTarget(dir, 'dev', undefined);
    expect(target.environment.name).toBe('dev');
    expect(target.environment.config.action.flagSource).toBe('app_metadata');
    expect(target.domain).toBe('dev.eu.auth0.com');
  });

  it('picks the environment whose domain is AUTH0_DOMAIN', () => {
    expect(selectTarget(dir, undefined, 'dev.eu.auth0.com').environment.name).toBe('dev');
  });

  it('refuses --env for another tenant than AUTH0_DOMAIN', () => {
    expect(() => selectTarget(dir, 'dev', 'prod.eu.auth0.com')).toThrow(
      'environment dev is for dev.eu.auth0.com, but AUTH0_DOMAIN is prod.eu.auth0.com',
    );
  });

  it('lists the environments when no domain matches or none is given', () => {
    expect(() => selectTarget(dir, undefined, 'other.auth0.com')).toThrow(
      /no environment .* has the domain AUTH0_DOMAIN=other.auth0.com; environments: dev \(dev.eu.auth0.com\), prod \(prod.eu.auth0.com\), shadow \(PROD.eu.auth0.com\)\. Choose one with --env NAME/,
    );
    expect(() => selectTarget(dir, undefined, undefined)).toThrow(
      /AUTH0_DOMAIN is not set.*--env NAME \(dev/,
    );
  });

  it('asks for --env when several environments share the domain', () => {
    expect(() => selectTarget(dir, undefined, 'prod.eu.auth0.com')).toThrow(
      'several environments have the domain prod.eu.auth0.com: prod (prod.eu.auth0.com), shadow (PROD.eu.auth0.com)',
    );
  });

  it('passes on the loader error for an unknown environment', () => {
    expect(() => selectTarget(dir, 'staging', undefined)).toThrow(ConfigError);
    expect(() => selectTarget(dir, 'staging', undefined)).toThrow(/staging.json: no such environment file/);
  });
});
