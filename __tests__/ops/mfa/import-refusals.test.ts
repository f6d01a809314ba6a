// `import` checks every cell, and finds every duplicate, before its first write: a bad file changes nothing.
// Set-up goes through the tenant's own HTTP client, so that these tests do not depend on the SDK's API.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fetchTrusting, type LocalTenant, startLocalTenant, TenantClient } from '@auth0-mfa/local-tenant';
import { DEFAULT_RETRY_POLICY } from '../../../ops/management/client';
import { runCli } from '../../../ops/mfa/cli';
import { captureIo, tempDir, tenantConfig } from './helpers';

jest.setTimeout(60_000);

const PATCH = 'PATCH /api/v2/users/{id}';
const tenantDir = tempDir('mfa-refusals-tenant-');
let tenant: LocalTenant;
let http: TenantClient;
let unique = 0;

beforeAll(async () => {
  tenant = await startLocalTenant({ dir: tenantDir, port: 0, quiet: true });
  http = new TenantClient(tenant);
});

afterAll(async () => {
  await tenant?.stop();
  rmSync(tenantDir, { recursive: true, force: true });
});

async function createUser(): Promise<{ id: string; email: string }> {
  const email = `refusal${++unique}@example.com`;
  const user = await http.call<{ user_id: string }>('POST', '/users', {
    connection: 'Username-Password-Authentication',
    email,
    password: 'correct horse battery staple',
  });
  return { id: user.user_id, email };
}

async function importCsv(lines: string[]) {
  const file = join(tempDir('mfa-refusals-csv-'), 'users.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const configDir = tenantConfig(tenant.domain, 'user_metadata');
  const io = captureIo(
    {
      AUTH0_DOMAIN: tenant.domain,
      AUTH0_CLIENT_ID: tenant.clientId,
      AUTH0_CLIENT_SECRET: tenant.clientSecret,
    },
    {
      fetch: fetchTrusting(readFileSync(tenant.caFile)),
      retry: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 20 },
    },
  );
  tenant.resetStats();
  const code = await runCli(['import', file, '--config-dir', configDir], io);
  return { code, stdout: io.stdout, stderr: io.stderr, patches: tenant.stats().byRoute[PATCH] ?? 0 };
}

async function useMfaOf(id: string): Promise<unknown> {
  const user = await http.call<{ user_metadata?: Record<string, unknown> }>(
    'GET',
    `/users/${encodeURIComponent(id)}`,
  );
  return user.user_metadata?.use_mfa;
}

describe('import refuses a file with a bad user cell before any write', () => {
  it.each([
    ['a spreadsheet formula', `"=cmd|' /C calc'!A0"`],
    ['a formula without quotes', '=HYPERLINK("http://x")'],
    ['a quoted value with a comma', '"quoted, comma@x"'],
    ['a value with a space', 'two words@example.com'],
  ])('%s: names line and column, writes nothing', async (_name, cell) => {
    const first = await createUser();
    const last = await createUser();
    const result = await importCsv(['user,use_mfa', `${first.email},on`, `${cell},on`, `${last.email},on`]);
    expect(result.code).toBe(1);
    expect(result.patches).toBe(0);
    expect(result.stderr.join('\n')).toMatch(/line 3, column user: .*neither a user id .*nor an email/);
    expect(result.stderr.join('\n')).toMatch(/nothing changed/);
    expect(await useMfaOf(first.id)).toBeUndefined();
    expect(await useMfaOf(last.id)).toBeUndefined();
  });
});

describe('import treats one user named by id and by email as a duplicate', () => {
  it('refuses the file, names both lines, writes nothing', async () => {
    const before = await createUser();
    const twice = await createUser();
    const result = await importCsv([
      'user,use_mfa',
      `${before.email},on`,
      `${twice.id},on`,
      `${twice.email.toUpperCase()},off`,
    ]);
    expect(result.code).toBe(1);
    expect(result.patches).toBe(0);
    expect(result.stderr.join('\n')).toMatch(
      new RegExp(
        `line 4: ${twice.email.toUpperCase()} is the same user as line 3 \\(${twice.id.replace('|', '\\|')}\\)`,
      ),
    );
    expect(await useMfaOf(before.id)).toBeUndefined();
    expect(await useMfaOf(twice.id)).toBeUndefined();
  });
});
