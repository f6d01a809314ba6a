// `npm run adopt` in-process: its refusals (one line, no stack trace, nothing written) and --force's diff,
// against the local tenant or a fetch that answers what a real tenant would.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fetchTrusting } from '@auth0-mfa/local-tenant';
import { READ_SCOPES, runCli } from '../../../ops/adopt/cli';
import type { FetchLike } from '../../../ops/management/client';
import type { Io } from '../../../ops/mfa/session';
import { startTestTenant, type TestTenant } from '../../e2e/test-tenant';
import { tempDir } from '../../support/temp-dirs';

const FAST_RETRY = {
  serverErrorRetries: 1,
  rateLimitRetries: 1,
  baseDelayMs: 1,
  maxWaitMs: 5,
  attemptTimeoutMs: 5000,
};

function captured(env: NodeJS.ProcessEnv, fetch?: FetchLike) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: Io = { out: (l) => stdout.push(l), err: (l) => stderr.push(l), env, fetch, retry: FAST_RETRY };
  return { io, stdout, stderr };
}

const CREDENTIALS = { AUTH0_CLIENT_ID: 'id', AUTH0_CLIENT_SECRET: 'secret' };

/** Runs the command and checks the refusal's shape: exit 1, one `error:` line, no trace, the folder unchanged. */
async function refused(
  args: string[],
  env: NodeJS.ProcessEnv,
  dir: string,
  fetch?: FetchLike,
): Promise<string> {
  const before = readdirSync(dir).sort();
  const { io, stdout, stderr } = captured(env, fetch);
  const code = await runCli([...args, '--config-dir', dir], io);
  expect(code).toBe(1);
  expect(stdout).toEqual([]);
  const text = stderr.join('\n');
  expect(text).toMatch(/^error: /);
  expect(text).not.toMatch(/\n\s+at /);
  expect(readdirSync(dir).sort()).toEqual(before);
  return text;
}

describe('npm run adopt refuses, writing nothing', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('adopt-cli-');
  });

  it('a bad environment name', async () => {
    const text = await refused(['Prod!', '--domain', 'acme.eu.auth0.com'], CREDENTIALS, dir);
    expect(text).toContain('environment name "Prod!" must be lower-case letters');
  });

  it('a bad domain', async () => {
    const text = await refused(['prod', '--domain', 'https://acme/'], CREDENTIALS, dir);
    expect(text).toContain('--domain https://acme/: must be a host name');
  });

  it('a domain other than AUTH0_DOMAIN', async () => {
    const env = { ...CREDENTIALS, AUTH0_DOMAIN: 'other.eu.auth0.com' };
    const text = await refused(['prod', '--domain', 'acme.eu.auth0.com'], env, dir);
    expect(text).toContain('AUTH0_DOMAIN is other.eu.auth0.com');
  });

  it('an existing file without --force', async () => {
    writeFileSync(join(dir, 'prod.json'), '{"domain":"acme.eu.auth0.com"}\n');
    const text = await refused(['prod', '--domain', 'acme.eu.auth0.com'], CREDENTIALS, dir);
    expect(text).toContain('prod.json exists: adopting would overwrite it; pass --force');
    expect(readFileSync(join(dir, 'prod.json'), 'utf8')).toBe('{"domain":"acme.eu.auth0.com"}\n');
  });

  it('no credentials in the environment, naming what to set', async () => {
    const text = await refused(['prod', '--domain', 'acme.eu.auth0.com'], {}, dir);
    expect(text).toContain('set AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET');
    expect(text).toContain('or AUTH0_API_TOKEN');
    expect(text).toContain(`application with ${READ_SCOPES}`);
  });

  it('a tenant that cannot be reached', async () => {
    const unreachable: FetchLike = async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    };
    const text = await refused(['prod', '--domain', 'acme.eu.auth0.com'], CREDENTIALS, dir, unreachable);
    expect(text).toContain('cannot reach acme.eu.auth0.com (ECONNREFUSED)');
  });

  it('a tenant that answers 403, naming the scopes', async () => {
    const forbidden: FetchLike = async (url) =>
      String(url).includes('/oauth/token')
        ? Response.json({ access_token: 'token', token_type: 'Bearer', expires_in: 3600 })
        : Response.json(
            { statusCode: 403, error: 'Forbidden', message: 'Insufficient scope' },
            { status: 403 },
          );
    const text = await refused(['prod', '--domain', 'acme.eu.auth0.com'], CREDENTIALS, dir, forbidden);
    expect(text).toContain('acme.eu.auth0.com answered 403');
    expect(text).toContain('read:mfa_policies read:guardian_factors read:actions');
  });

  it('a missing configuration folder', async () => {
    const { io, stderr } = captured(CREDENTIALS);
    const missing = join(dir, 'nope');
    expect(await runCli(['prod', '--domain', 'acme.eu.auth0.com', '--config-dir', missing], io)).toBe(1);
    expect(stderr.join('\n')).toContain('configuration folder not found');
    expect(existsSync(missing)).toBe(false);
  });
});

describe('npm run adopt against the local tenant', () => {
  let tenant: TestTenant;
  let fetch: FetchLike;
  beforeAll(async () => {
    tenant = await startTestTenant();
    fetch = fetchTrusting(readFileSync(tenant.tenant.caFile));
    await tenant.client.call('PUT', '/guardian/policies', ['all-applications']);
    await tenant.client.call('PUT', '/guardian/factors/email', { enabled: true });
  });
  afterAll(() => tenant.cleanup());

  it('refuses credentials the tenant does not accept (401), naming what to check', async () => {
    const dir = tempDir('adopt-cli-');
    const env = { AUTH0_CLIENT_ID: tenant.tenant.clientId, AUTH0_CLIENT_SECRET: 'wrong' };
    const text = await refused(['prod', '--domain', tenant.tenant.domain], env, dir, fetch);
    expect(text).toContain('refused the credentials (401): check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET');
  });

  it('--force replaces an existing file and shows the diff', async () => {
    const dir = tempDir('adopt-cli-');
    const file = join(dir, 'prod.json');
    writeFileSync(
      file,
      `${JSON.stringify({ domain: tenant.tenant.domain, mfa: { factors: ['otp'] } }, null, 2)}\n`,
    );
    const env = { AUTH0_CLIENT_ID: tenant.tenant.clientId, AUTH0_CLIENT_SECRET: tenant.tenant.clientSecret };
    const { io, stdout, stderr } = captured(env, fetch);
    expect(await runCli(['prod', '--domain', tenant.tenant.domain, '--config-dir', dir, '--force'], io)).toBe(
      0,
    );
    expect(stderr).toEqual([]);
    const out = stdout.join('\n');
    expect(out).toContain('-      "otp"');
    expect(out).toContain('+      "email"');
    expect(out).toContain('+  "adopt": true,');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      domain: tenant.tenant.domain,
      adopt: true,
      mfa: { factors: ['email'] },
    });
  });

  it('reads the Duo settings, and the WebAuthn settings (no SDK call) through the client with its token', async () => {
    const dir = tempDir('adopt-cli-');
    await tenant.client.call('PUT', '/guardian/factors/duo/settings', {
      host: 'api-1234.duosecurity.com',
      ikey: 'DIABCDEF',
      skey: 'not-read',
    });
    await tenant.client.call('PUT', '/guardian/factors/webauthn-roaming/settings', {
      userVerification: 'required',
      overrideRelyingParty: true,
      relyingPartyIdentifier: 'acme.example',
    });
    await tenant.client.call('PUT', '/guardian/factors/duo', { enabled: true });
    await tenant.client.call('PUT', '/guardian/factors/webauthn-roaming', { enabled: true });
    const env = { AUTH0_CLIENT_ID: tenant.tenant.clientId, AUTH0_CLIENT_SECRET: tenant.tenant.clientSecret };
    const { io, stdout } = captured(env, fetch);
    expect(await runCli(['dev', '--domain', tenant.tenant.domain, '--config-dir', dir], io)).toBe(0);
    const written = JSON.parse(readFileSync(join(dir, 'dev.json'), 'utf8'));
    expect(written.mfa).toEqual({
      factors: ['email', 'duo', 'webauthn_roaming'],
      duo: { hostname: 'api-1234.duosecurity.com', integrationKey: 'DIABCDEF' },
      webauthnRoaming: { relyingParty: 'acme.example', userVerification: 'required' },
    });
    expect(JSON.stringify(written)).not.toContain('not-read');
    expect(stdout.join('\n')).toContain("export the tenant's current secrets: TF_VAR_duo_secret_key");
  });
});
