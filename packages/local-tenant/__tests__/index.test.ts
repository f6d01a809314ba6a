import { execFile } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readConnectionEnv, startLocalTenant } from '../src';
import { TenantClient } from '../src/client';
import { PACKAGE_ROOT, startTestTenant, tempDir, useTestTenant } from './support/tenant';

const run = promisify(execFile);

describe('startLocalTenant', () => {
  const t = useTestTenant();

  it('answers the documented contract', () => {
    const { tenant } = t;
    expect(tenant.port).toBeGreaterThan(0);
    expect(tenant.domain).toBe(`localhost:${tenant.port}`);
    expect(tenant.baseUrl).toBe(`https://localhost:${tenant.port}`);
    expect(tenant.caFile).toBe(join(t.dir, 'ca.crt'));
    expect(tenant.connectionEnvFile).toBe(join(t.dir, 'connection.env'));
    expect(tenant.clientId).toMatch(/^[\w-]{16,}$/);
    expect(tenant.clientSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('writes connection.env (mode 0600) with the same variables as env', () => {
    const fromFile = readConnectionEnv(t.tenant.connectionEnvFile);
    expect(fromFile).toEqual(t.tenant.env);
    expect(fromFile).toMatchObject({
      AUTH0_DOMAIN: t.tenant.domain,
      AUTH0_CLIENT_ID: t.tenant.clientId,
      AUTH0_CLIENT_SECRET: t.tenant.clientSecret,
      SSL_CERT_FILE: join(t.dir, 'ca-bundle.pem'),
      NODE_EXTRA_CA_CERTS: t.tenant.caFile,
    });
    expect(statSync(t.tenant.connectionEnvFile).mode & 0o077).toBe(0);
  });

  it('refuses a second tenant on the same directory while the first runs', async () => {
    let error: unknown;
    try {
      const intruder = await startLocalTenant({ dir: t.dir, port: 0, quiet: true });
      await intruder.stop();
    } catch (e) {
      error = e;
    }
    expect(String(error)).toMatch(/already running/);
    expect((await t.client.get('/api/v2/guardian/policies')).status).toBe(200);
  });

  it('is all curl needs: sourcing connection.env', async () => {
    const script = `set -a; . '${t.tenant.connectionEnvFile}'; set +a
      token=$(curl -sS --fail "https://$AUTH0_DOMAIN/oauth/token" -d grant_type=client_credentials \\
        -d client_id="$AUTH0_CLIENT_ID" -d client_secret="$AUTH0_CLIENT_SECRET" -d audience="https://$AUTH0_DOMAIN/api/v2/" \\
        | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')
      curl -sS --fail -H "Authorization: Bearer $token" "https://$AUTH0_DOMAIN/api/v2/guardian/policies"`;
    const { stdout } = await run('bash', ['-c', script], { env: { PATH: process.env.PATH ?? '' } });
    expect(stdout.trim()).toBe('[]');
  });

  it('is all the official Node SDK needs: the variables of connection.env', async () => {
    const script = `
      const { ManagementClient } = require('auth0');
      (async () => {
        const m = new ManagementClient({
          domain: process.env.AUTH0_DOMAIN,
          clientId: process.env.AUTH0_CLIENT_ID,
          clientSecret: process.env.AUTH0_CLIENT_SECRET,
        });
        const created = await m.users.create({
          connection: 'Username-Password-Authentication',
          email: 'sdk@example.com',
          password: 'Sdk-Passw0rd-1',
          user_metadata: { use_mfa: true },
        });
        const found = await m.users.getAll({ q: 'user_metadata.use_mfa:true', search_engine: 'v3', include_totals: true });
        const factors = await m.guardian.getFactors();
        console.log(JSON.stringify({ id: created.data.user_id, total: found.data.total, factors: factors.data.length }));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const { stdout } = await run(process.execPath, ['-e', script], {
      cwd: PACKAGE_ROOT,
      env: { PATH: process.env.PATH ?? '', ...t.tenant.env },
    });
    const out = JSON.parse(stdout);
    expect(out).toEqual({ id: expect.stringMatching(/^auth0\|/), total: 1, factors: 8 });
  });
});

describe('several tenants', () => {
  it('runs two tenants in two directories on two ports at once, each with its own data', async () => {
    const a = await startTestTenant();
    const b = await startTestTenant();
    try {
      expect(a.tenant.port).not.toBe(b.tenant.port);
      expect(a.tenant.clientSecret).not.toBe(b.tenant.clientSecret);
      await a.client.createUser('only-in-a@example.com');
      expect((await a.client.get('/api/v2/users-by-email?email=only-in-a%40example.com')).body).toHaveLength(
        1,
      );
      expect((await b.client.get('/api/v2/users-by-email?email=only-in-a%40example.com')).body).toEqual([]);
    } finally {
      await a.cleanup();
      await b.cleanup();
    }
  });

  it('takes the port from LOCAL_TENANT_PORT when none is given', async () => {
    const dir = tempDir();
    const saved = process.env.LOCAL_TENANT_PORT;
    process.env.LOCAL_TENANT_PORT = '0';
    try {
      const tenant = await startLocalTenant({ dir, quiet: true });
      expect(tenant.port).not.toBe(8443);
      expect(tenant.port).toBeGreaterThan(0);
      await tenant.stop();
      process.env.LOCAL_TENANT_PORT = 'not-a-port';
      await expect(startLocalTenant({ dir, quiet: true })).rejects.toThrow(/LOCAL_TENANT_PORT/);
    } finally {
      if (saved === undefined) delete process.env.LOCAL_TENANT_PORT;
      else process.env.LOCAL_TENANT_PORT = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never writes the client secret to its log', async () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const dir = tempDir();
    try {
      const tenant = await startLocalTenant({ dir, port: 0 });
      const client = new TenantClient(tenant);
      await client.get('/api/v2/guardian/policies');
      await tenant.stop();
      const log = lines.join('');
      expect(log).toContain(tenant.domain);
      expect(log).not.toContain(tenant.clientSecret);
      expect(readFileSync(tenant.connectionEnvFile, 'utf8')).toContain(tenant.clientSecret);
    } finally {
      spy.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
