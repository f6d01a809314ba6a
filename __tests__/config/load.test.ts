import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadEnvironments, parseEnvironment, parseEnvironmentList } from '../../src/config/load';
import { MAX_SEED_USERS } from '../../src/config/schema';
import { tempDir } from '../support/temp-dirs';

const DOMAIN = 'tenant.eu.auth0.com';
const TWILIO_SID = `AC${'a'.repeat(32)}`;
const SNS = {
  region: 'eu-west-1',
  apnsPlatformApplicationArn: 'arn:aws:sns:eu-west-1:123456789012:app/APNS/guardian',
  gcmPlatformApplicationArn: 'arn:aws:sns:eu-west-1:123456789012:app/GCM/guardian',
};

function problemsOf(config: unknown): string[] {
  return parseEnvironment('config/x.json', JSON.stringify(config)).problems;
}

function configDir(files: Record<string, unknown>): string {
  const dir = tempDir('config-');
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

describe('environment configuration', () => {
  it('fills the recipe defaults from a minimal file', () => {
    const { config, problems } = parseEnvironment('config/x.json', JSON.stringify({ domain: DOMAIN }));
    expect(problems).toEqual([]);
    expect(config).toEqual({
      domain: DOMAIN,
      mfa: { factors: ['otp'], provider: 'any', allowRememberBrowser: false, challenge: 'any' },
      action: { name: 'conditional-mfa', runtime: 'node22', flagSource: 'user_metadata' },
      binding: { mode: 'trigger-actions', before: [], after: [] },
      users: [],
      backend: { type: 'local' },
      adopt: false,
    });
  });

  it('defaults a seed user connection and password variable', () => {
    const { config } = parseEnvironment(
      'config/x.json',
      JSON.stringify({ domain: DOMAIN, users: [{ email: 'a@example.com', useMfa: true }] }),
    );
    expect(config?.users).toEqual([
      {
        email: 'a@example.com',
        useMfa: true,
        connection: 'Username-Password-Authentication',
        passwordVariable: 'seed_user_password',
      },
    ]);
  });

  it.each([
    [
      'unknown top-level key',
      { domain: DOMAIN, polcy: 'never' },
      'config/x.json: (top level): unknown key "polcy"',
    ],
    [
      'unknown nested key',
      { domain: DOMAIN, mfa: { factor: ['otp'] } },
      'config/x.json: mfa: unknown key "factor"',
    ],
    [
      'unknown factor',
      { domain: DOMAIN, mfa: { factors: ['otp', 'sms'] } },
      'config/x.json: mfa.factors[1]: unknown factor',
    ],
    ['no factor', { domain: DOMAIN, mfa: { factors: [] } }, 'config/x.json: mfa.factors: enables no factor'],
    [
      'duplicate factor',
      { domain: DOMAIN, mfa: { factors: ['otp', 'otp'] } },
      'mfa.factors[1]: "otp" is listed twice',
    ],
    ['missing domain', {}, 'config/x.json: domain: is required'],
    ['bad domain', { domain: 'https://tenant.auth0.com/' }, 'config/x.json: domain: must be a host name'],
    [
      'port 0',
      { domain: 'localhost:0' },
      'config/x.json: domain: port 0 is out of range: a port is 1 to 65535',
    ],
    ['port 99999', { domain: 'localhost:99999' }, 'config/x.json: domain: port 99999 is out of range'],
    ['port 65536', { domain: 'tenant.example:65536' }, 'config/x.json: domain: port 65536 is out of range'],
    [
      `more than ${MAX_SEED_USERS} seed users`,
      {
        domain: DOMAIN,
        users: Array.from({ length: MAX_SEED_USERS + 1 }, (_, i) => ({
          email: `u${i}@example.com`,
          useMfa: false,
        })),
      },
      `config/x.json: users: more than ${MAX_SEED_USERS} seed users: seed users are test accounts; flag real users with \`npm run mfa -- import\``,
    ],
    ['unknown runtime', { domain: DOMAIN, action: { runtime: 'node20' } }, 'config/x.json: action.runtime:'],
    [
      'unknown flag source',
      { domain: DOMAIN, action: { flagSource: 'metadata' } },
      'config/x.json: action.flagSource:',
    ],
    ['unknown binding mode', { domain: DOMAIN, binding: { mode: 'append' } }, 'config/x.json: binding.mode:'],
    [
      'before/after with trigger-action',
      {
        domain: DOMAIN,
        binding: {
          mode: 'trigger-action',
          before: [{ id: '6a8c3f5e-1b2d-4c3e-9f8a-7b6c5d4e3f2a', displayName: 'x' }],
        },
      },
      'config/x.json: binding: before/after lists only apply',
    ],
    [
      'an Action id to take over without adopt',
      { domain: DOMAIN, action: { id: '6a8c3f5e-1b2d-4c3e-9f8a-7b6c5d4e3f2a' } },
      'config/x.json: action.id: applies only with "adopt": true',
    ],
    [
      'an Action id that is not one',
      { domain: DOMAIN, adopt: true, action: { id: 'conditional-mfa' } },
      'config/x.json: action.id: must be an Action id',
    ],
    [
      'kept binding without a valid id',
      { domain: DOMAIN, binding: { before: [{ id: 'abc', displayName: 'x' }] } },
      'config/x.json: binding.before[0].id: must be an Action id',
    ],
    [
      'bad email',
      { domain: DOMAIN, users: [{ email: 'not-an-email', useMfa: true }] },
      'config/x.json: users[0].email: must be a valid email address',
    ],
    [
      'duplicate user (case-insensitive email)',
      {
        domain: DOMAIN,
        users: [
          { email: 'a@example.com', useMfa: true },
          { email: 'A@example.com', useMfa: false },
        ],
      },
      'config/x.json: users[1].email: duplicates users[0]',
    ],
    [
      'string use_mfa',
      { domain: DOMAIN, users: [{ email: 'a@example.com', useMfa: 'true' }] },
      'config/x.json: users[0].useMfa: must be true or false',
    ],
    [
      'missing use_mfa',
      { domain: DOMAIN, users: [{ email: 'a@example.com' }] },
      'config/x.json: users[0].useMfa: must be true or false',
    ],
    [
      'bad password variable name',
      { domain: DOMAIN, users: [{ email: 'a@example.com', useMfa: true, passwordVariable: 'TF-VAR' }] },
      'config/x.json: users[0].passwordVariable: must be a Terraform variable name',
    ],
    [
      'unknown backend',
      { domain: DOMAIN, backend: { type: 'consul' } },
      'config/x.json: backend.type: type must be one of',
    ],
    [
      'pg backend with a connection string in the file',
      { domain: DOMAIN, backend: { type: 'pg', schemaName: 's', connStr: 'postgres://u:p@h/db' } },
      'config/x.json: backend: unknown key "connStr"',
    ],
    [
      'duo without settings',
      { domain: DOMAIN, mfa: { factors: ['duo'] } },
      'config/x.json: mfa.duo: is required',
    ],
    [
      'a challenge factor that is not enabled',
      { domain: DOMAIN, mfa: { factors: ['otp'], challenge: ['otp', 'email'] } },
      'config/x.json: mfa.challenge[1]: "email" needs the email factor, which mfa.factors does not enable',
    ],
    [
      'an unknown challenge factor type',
      { domain: DOMAIN, mfa: { challenge: ['sms'] } },
      'config/x.json: mfa.challenge[0]: unknown factor type; expected one of otp, email, webauthn-roaming',
    ],
    [
      'an empty challenge list',
      { domain: DOMAIN, mfa: { challenge: [] } },
      'config/x.json: mfa.challenge: lists no factor',
    ],
    [
      'a challenge listed twice',
      { domain: DOMAIN, mfa: { challenge: ['otp', 'otp'] } },
      'config/x.json: mfa.challenge[1]: "otp" is listed twice',
    ],
    [
      'a provider with a list of challenge factors',
      { domain: DOMAIN, mfa: { challenge: ['otp'], provider: 'guardian' } },
      'config/x.json: mfa.provider: applies only with challenge "any"',
    ],
    [
      'remember-browser with a list of challenge factors',
      { domain: DOMAIN, mfa: { challenge: ['otp'], allowRememberBrowser: true } },
      'config/x.json: mfa.allowRememberBrowser: applies only with challenge "any"',
    ],
    [
      'applications with both only and except',
      { domain: DOMAIN, mfa: { applications: { only: ['a'], except: ['b'] } } },
      'config/x.json: mfa.applications: give either "only"',
    ],
    [
      'applications with neither',
      { domain: DOMAIN, mfa: { applications: {} } },
      'config/x.json: mfa.applications: give either "only"',
    ],
    [
      'an empty application list',
      { domain: DOMAIN, mfa: { applications: { only: [] } } },
      'config/x.json: mfa.applications.only: lists no application',
    ],
    [
      'a client id with spaces',
      { domain: DOMAIN, mfa: { applications: { except: ['my app'] } } },
      'config/x.json: mfa.applications.except[0]: must be an application (client) id',
    ],
    [
      'twilio without its settings',
      { domain: DOMAIN, mfa: { factors: ['phone'], phone: { provider: 'twilio' } } },
      'config/x.json: mfa.phone.twilio: is required with provider "twilio": the account SID ("sid") and "from" or "messagingServiceSid" (the auth token comes from TF_VAR_twilio_auth_token)',
    ],
    [
      'twilio settings without a sender',
      {
        domain: DOMAIN,
        mfa: { factors: ['phone'], phone: { provider: 'twilio', twilio: { sid: TWILIO_SID } } },
      },
      'config/x.json: mfa.phone.twilio: give either "from" (a phone number) or "messagingServiceSid", not both',
    ],
    [
      'a bad Twilio account SID',
      {
        domain: DOMAIN,
        mfa: {
          factors: ['phone'],
          phone: { provider: 'twilio', twilio: { sid: 'AC1', from: '+14155550100' } },
        },
      },
      'config/x.json: mfa.phone.twilio.sid: must be a Twilio account SID',
    ],
    [
      'a sender that is not an E.164 number',
      {
        domain: DOMAIN,
        mfa: {
          factors: ['phone'],
          phone: { provider: 'twilio', twilio: { sid: TWILIO_SID, from: '0155 555' } },
        },
      },
      'config/x.json: mfa.phone.twilio.from: must be a phone number in E.164 form',
    ],
    [
      'twilio settings with another provider',
      {
        domain: DOMAIN,
        mfa: { factors: ['phone'], phone: { twilio: { sid: TWILIO_SID, from: '+14155550100' } } },
      },
      'config/x.json: mfa.phone.twilio: applies only with provider "twilio"',
    ],
    [
      'sns without its settings',
      { domain: DOMAIN, mfa: { factors: ['push'], push: { provider: 'sns' } } },
      'config/x.json: mfa.push.sns: is required with provider "sns": region and the APNs and GCM platform application ARNs (the AWS keys come from TF_VAR_sns_aws_access_key_id and TF_VAR_sns_aws_secret_access_key)',
    ],
    [
      'an SNS ARN that is not one',
      {
        domain: DOMAIN,
        mfa: {
          factors: ['push'],
          push: { provider: 'sns', sns: { ...SNS, gcmPlatformApplicationArn: 'gcm' } },
        },
      },
      'config/x.json: mfa.push.sns.gcmPlatformApplicationArn: must be the ARN of an SNS platform application',
    ],
    [
      'an AWS key in the file',
      {
        domain: DOMAIN,
        mfa: { factors: ['push'], push: { provider: 'sns', sns: { ...SNS, awsSecretAccessKey: 'x' } } },
      },
      'config/x.json: mfa.push.sns: unknown key "awsSecretAccessKey"',
    ],
    [
      'settings of a factor that is off',
      { domain: DOMAIN, mfa: { factors: ['otp'], webauthnRoaming: { relyingParty: 'example.com' } } },
      'config/x.json: mfa.webauthnRoaming: configures the webauthn_roaming factor, which mfa.factors does not enable',
    ],
    [
      'a relying party that is not a domain',
      {
        domain: DOMAIN,
        mfa: { factors: ['webauthn_platform'], webauthnPlatform: { relyingParty: 'https://x.example/' } },
      },
      'config/x.json: mfa.webauthnPlatform.relyingParty: must be a domain name',
    ],
    [
      'an unknown user verification',
      {
        domain: DOMAIN,
        mfa: { factors: ['webauthn_roaming'], webauthnRoaming: { userVerification: 'always' } },
      },
      'config/x.json: mfa.webauthnRoaming.userVerification:',
    ],
  ])('refuses %s', (_name, config, message) => {
    const problems = problemsOf(config);
    expect(problems.join('\n')).toContain(message);
  });

  it.each(['localhost:1', 'localhost:8443', 'tenant.example:65535'])('accepts the port of %s', (domain) => {
    expect(problemsOf({ domain })).toEqual([]);
  });

  it(`accepts ${MAX_SEED_USERS} seed users`, () => {
    const users = Array.from({ length: MAX_SEED_USERS }, (_, i) => ({
      email: `u${i}@example.com`,
      useMfa: false,
    }));
    expect(problemsOf({ domain: DOMAIN, users })).toEqual([]);
  });

  it('accepts factor choice, application scope and the provider settings of factors', () => {
    const { config, problems } = parseEnvironment(
      'config/x.json',
      JSON.stringify({
        domain: DOMAIN,
        mfa: {
          factors: ['otp', 'phone', 'push', 'webauthn_roaming', 'webauthn_platform'],
          challenge: ['webauthn-roaming', 'otp', 'phone', 'push-notification'],
          applications: { only: ['AbC123xyz'] },
          phone: {
            provider: 'twilio',
            twilio: { sid: TWILIO_SID, messagingServiceSid: `MG${'b'.repeat(32)}` },
          },
          push: { provider: 'sns', sns: SNS },
          webauthnRoaming: { relyingParty: 'login.example.com', userVerification: 'required' },
          webauthnPlatform: { relyingParty: 'example.com' },
        },
      }),
    );
    expect(problems).toEqual([]);
    expect(config?.mfa.challenge).toEqual(['webauthn-roaming', 'otp', 'phone', 'push-notification']);
  });

  it('refuses malformed JSON naming the file', () => {
    expect(parseEnvironment('config/x.json', '{"domain": ').problems[0]).toMatch(
      /^config\/x\.json: not valid JSON/,
    );
  });
});

describe('loadEnvironments', () => {
  it('loads every environment, sorted, as auth0-<name> stacks', () => {
    const dir = configDir({ 'prod.json': { domain: DOMAIN }, 'dev.json': { domain: `dev.${DOMAIN}` } });
    const environments = loadEnvironments(dir);
    expect(environments.map((e) => [e.name, e.stackName, e.config.domain])).toEqual([
      ['dev', 'auth0-dev', `dev.${DOMAIN}`],
      ['prod', 'auth0-prod', DOMAIN],
    ]);
  });

  it('is all or nothing: one bad file fails the whole load and names it', () => {
    const dir = configDir({
      'good.json': { domain: DOMAIN },
      'bad.json': { domain: DOMAIN, mfa: { factors: [] } },
    });
    expect(() => loadEnvironments(dir)).toThrow(ConfigError);
    expect(() => loadEnvironments(dir)).toThrow(/bad\.json: mfa\.factors: enables no factor/);
  });

  it('refuses an environment name that is not a valid stack name', () => {
    const dir = configDir({ 'Prod EU.json': { domain: DOMAIN } });
    expect(() => loadEnvironments(dir)).toThrow(/environment name "Prod EU" must be lower-case/);
  });

  it('refuses an unknown environment in the filter', () => {
    const dir = configDir({ 'dev.json': { domain: DOMAIN } });
    expect(() => loadEnvironments(dir, ['staging'])).toThrow(/staging\.json: no such environment file/);
  });

  it('refuses a missing or empty folder', () => {
    expect(() => loadEnvironments('/nonexistent/config')).toThrow(/configuration folder not found/);
    expect(() => loadEnvironments(configDir({}))).toThrow(/no environment files/);
  });

  it('refuses an environment asked for twice', () => {
    const dir = configDir({ 'local.json': { domain: DOMAIN } });
    expect(() => loadEnvironments(dir, ['local', 'local'])).toThrow(
      /local\.json: environment "local" is asked for twice/,
    );
  });

  it('refuses a directory named like an environment file, naming it', () => {
    const dir = configDir({ 'dev.json': { domain: DOMAIN } });
    mkdirSync(join(dir, 'x.json'));
    expect(() => loadEnvironments(dir)).toThrow(ConfigError);
    expect(() => loadEnvironments(dir)).toThrow(
      `${join(dir, 'x.json')}: is a directory, not an environment file`,
    );
    expect(loadEnvironments(dir, ['dev']).map((e) => e.name)).toEqual(['dev']);
  });

  it('refuses a file given as the configuration folder', () => {
    const dir = configDir({ 'dev.json': { domain: DOMAIN } });
    expect(() => loadEnvironments(join(dir, 'dev.json'))).toThrow(
      /dev\.json: is a file, not the configuration folder/,
    );
  });
});

describe('parseEnvironmentList (ENVIRONMENTS)', () => {
  it('reads a comma-separated list, and nothing as all environments', () => {
    expect(parseEnvironmentList('dev, prod')).toEqual(['dev', 'prod']);
    expect(parseEnvironmentList('')).toBeUndefined();
    expect(parseEnvironmentList(undefined)).toBeUndefined();
  });

  it('refuses a name listed twice, naming the variable', () => {
    expect(() => parseEnvironmentList('local,local')).toThrow(ConfigError);
    expect(() => parseEnvironmentList('local,prod,local')).toThrow('ENVIRONMENTS: "local" is listed twice');
  });
});
