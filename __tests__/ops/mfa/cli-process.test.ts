// The real command (`node --import tsx ops/mfa/main.ts`, what `npm run mfa` runs) as a child process
// with the local tenant's connection environment, NODE_EXTRA_CA_CERTS included.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fetchTrusting, type LocalTenant, startLocalTenant } from '@auth0-mfa/local-tenant';
import type { ManagementClient } from 'auth0';
import { createManagementClient } from '../../../ops/management/client';
import { PROJECT_ROOT } from '../../../src/paths';
import { tempDir, tenantConfig } from './helpers';

jest.setTimeout(60_000);

const execFileAsync = promisify(execFile);

let tenant: LocalTenant;
let admin: ManagementClient;
let configDir: string;
const tenantDir = tempDir('mfa-cli-tenant-');

beforeAll(async () => {
  tenant = await startLocalTenant({ dir: tenantDir, port: 0, quiet: true });
  admin = createManagementClient({
    domain: tenant.domain,
    auth: { clientId: tenant.clientId, clientSecret: tenant.clientSecret },
    fetch: fetchTrusting(readFileSync(tenant.caFile)),
  });
  configDir = tenantConfig(tenant.domain, 'app_metadata');
});

afterAll(async () => {
  await tenant?.stop();
  // The folder holds the tenant's CA key and client secret.
  rmSync(tenantDir, { recursive: true, force: true });
});

/** The parent's environment without any Auth0 variable, plus `env`: a developer's shell must not leak in. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('AUTH0_')),
  );
  return { ...clean, ...env };
}

/** Async on purpose: the tenant answers from this process, so a synchronous child would deadlock it. */
async function mfa(args: string[], env: Record<string, string> = tenant.env) {
  try {
    const { stdout, stderr } = await execFileAsync(
      process.execPath,
      ['--import', 'tsx', 'ops/mfa/main.ts', ...args, '--config-dir', configDir],
      { cwd: PROJECT_ROOT, env: childEnv(env) },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

async function createUser(email: string): Promise<string> {
  const created = await admin.users.create({
    connection: 'Username-Password-Authentication',
    email,
    password: 'correct horse battery staple',
    app_metadata: { plan: 'gold' },
  });
  return created.user_id ?? '';
}

describe('npm run mfa', () => {
  it('turns MFA on and reads it back, with the tenant picked by AUTH0_DOMAIN', async () => {
    const id = await createUser('child-on@example.com');
    const on = await mfa(['on', 'child-on@example.com']);
    expect(on).toMatchObject({
      code: 0,
      stdout: `changed ${id} <child-on@example.com>: app_metadata.use_mfa unset -> true\n`,
    });
    expect(on.stderr).toContain(`environment local (${tenant.domain}), flag source app_metadata`);
    expect(on.stdout + on.stderr).not.toContain(tenant.clientSecret);
    const status = await mfa(['status', id]);
    expect(status.code).toBe(0);
    expect(status.stdout).toBe(
      `${id} <child-on@example.com>: MFA on (user_metadata.use_mfa=unset, app_metadata.use_mfa=true)\n`,
    );
    expect((await admin.users.get(id)).app_metadata).toEqual({ plan: 'gold', use_mfa: true });
  });

  it('exits 1 on missing credentials, names the variables and calls nothing', async () => {
    tenant.resetStats();
    const { AUTH0_CLIENT_SECRET: _secret, ...withoutSecret } = tenant.env;
    const result = await mfa(['on', 'anyone@example.com'], withoutSecret);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Missing Auth0 credentials \(AUTH0_CLIENT_SECRET is not set\)/);
    expect(tenant.stats().calls).toBe(0);
  });

  it('stops at refused credentials without printing the secret', async () => {
    const wrong = 'wrong-secret-0123456789';
    const result = await mfa(['on', 'a@example.com', 'b@example.com'], {
      ...tenant.env,
      AUTH0_CLIENT_SECRET: wrong,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /\nerror: Auth0 answered 401: Unauthorized \(check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, or AUTH0_API_TOKEN\)\nstopped: 2 more not attempted\n$/,
    );
    expect(result.stdout + result.stderr).not.toContain(wrong);
  });

  it('exits 1 for an unknown user and changes nothing', async () => {
    tenant.resetStats();
    const result = await mfa(['off', 'auth0|does-not-exist']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: auth0|does-not-exist: no user with id auth0|does-not-exist');
    expect(tenant.stats().byRoute['PATCH /api/v2/users/{id}']).toBeUndefined();
  });

  it('imports a CSV, shows progress on stderr, ends with the summary and exits 1 if a row failed', async () => {
    const id = await createUser('child-import@example.com');
    const file = join(tempDir('mfa-cli-csv-'), 'users.csv');
    writeFileSync(file, `user,use_mfa\n${id},on\nghost@example.com,off\n`);
    const result = await mfa(['import', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[1/2] line 2: changed');
    expect(result.stderr).toContain(
      '[2/2] line 3: ghost@example.com: failed: no user with email ghost@example.com',
    );
    expect(result.stdout.split('\n')).toEqual([
      'changed 1, unchanged 0, failed 1',
      '  line 3 ghost@example.com: no user with email ghost@example.com',
      `progress is kept in ${file}.progress.jsonl: run the same import again to do only the rows not yet done`,
      '',
    ]);
  });
});
