// The real command (`node scripts/app/run.mjs ops/mfa/main.ts`, what `npm run mfa` runs) as a child process
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
      ['scripts/app/run.mjs', 'ops/mfa/main.ts', ...args, '--config-dir', configDir],
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

// --role and --organization against the tenant's roles and organizations: the real command, the real SDK 7
// calls (roles by name_filter, role users and members by checkpoint), dry run first, then --yes.
describe('npm run mfa on --role / --organization', () => {
  const PATCH = 'PATCH /api/v2/users/{id}';
  let admins: string[];
  let members: string[];
  let outsider: string;

  const flagOf = async (id: string) => (await admin.users.get(id)).app_metadata?.use_mfa;

  beforeAll(async () => {
    admins = [await createUser('role-admin-1@example.com'), await createUser('role-admin-2@example.com')];
    members = [await createUser('org-member-1@example.com'), admins[0]];
    outsider = await createUser('outsider@example.com');
    const role = await admin.roles.create({ name: 'Admins' });
    await admin.roles.create({ name: 'Billing Admins' });
    await admin.roles.users.assign(role.id ?? '', { users: admins });
    const organization = await admin.organizations.create({ name: 'acme', display_name: 'Acme' });
    await admin.organizations.members.create(organization.id ?? '', { members });
  });

  it('counts and dry-runs a role without --yes, changing nothing', async () => {
    tenant.resetStats();
    const result = await mfa(['on', '--role', 'Admins']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('--role "Admins": 2 users, 2 to turn MFA on');
    expect(lines.slice(1, -1).sort()).toEqual(
      [
        `would change ${admins[0]} <role-admin-1@example.com>: app_metadata.use_mfa unset -> true`,
        `would change ${admins[1]} <role-admin-2@example.com>: app_metadata.use_mfa unset -> true`,
      ].sort(),
    );
    expect(lines.at(-1)).toBe('dry run: would change 2, refused 0. Nothing changed; add --yes to write');
    expect(tenant.stats().byRoute[PATCH]).toBeUndefined();
    expect(tenant.stats().byRoute['GET /api/v2/roles/{id}/users']).toBe(1);
    for (const id of [...admins, outsider]) expect(await flagOf(id)).toBeUndefined();
  });

  it('flags exactly the role’s users with --yes; a second run changes nothing', async () => {
    const result = await mfa(['on', '--role', 'Admins', '--yes']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('changed 2, unchanged 0, failed 0');
    for (const id of admins) expect(await flagOf(id)).toBe(true);
    expect(await flagOf(outsider)).toBeUndefined();
    expect(await flagOf(members[0])).toBeUndefined();
    const again = await mfa(['on', '--role', 'Admins', '--yes']);
    expect(again.stdout).toContain('--role "Admins": 2 users, 0 to turn MFA on');
  });

  it('dry-runs then flags an organization’s members, and only them', async () => {
    tenant.resetStats();
    const dry = await mfa(['on', '--organization', 'acme']);
    expect(dry.code).toBe(0);
    // admins[0] is a member too, already on since the role's run.
    expect(dry.stdout).toContain('--organization "acme": 2 users, 1 to turn MFA on');
    expect(dry.stdout).toContain(`would change ${members[0]} <org-member-1@example.com>`);
    expect(tenant.stats().byRoute[PATCH]).toBeUndefined();
    expect(await flagOf(members[0])).toBeUndefined();

    const real = await mfa(['on', '--organization', 'acme', '--yes']);
    expect(real.code).toBe(0);
    expect(real.stdout).toContain('changed 1, unchanged 0, failed 0');
    expect(await flagOf(members[0])).toBe(true);
    expect(await flagOf(admins[1])).toBe(true);
    expect(await flagOf(outsider)).toBeUndefined();
  });

  it('turns off the users with both the role and the membership', async () => {
    const result = await mfa(['off', '--role', 'Admins', '--organization', 'acme', '--yes']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--role "Admins" --organization "acme": 1 user, 1 to turn MFA off');
    expect(await flagOf(admins[0])).toBe(false);
    expect(await flagOf(admins[1])).toBe(true);
    expect(await flagOf(members[0])).toBe(true);
  });

  it('names the near misses of a role that does not exist, and an unknown organization, changing nothing', async () => {
    tenant.resetStats();
    const role = await mfa(['on', '--role', 'Admin', '--yes']);
    expect(role.code).not.toBe(0);
    expect(role.stderr).toContain('no role named "Admin" (roles with similar names: Admins, Billing Admins)');
    const organization = await mfa(['on', '--organization', 'nobody', '--yes']);
    expect(organization.code).not.toBe(0);
    expect(organization.stderr).toContain('no organization named "nobody"');
    expect(tenant.stats().byRoute[PATCH]).toBeUndefined();
  });
});
