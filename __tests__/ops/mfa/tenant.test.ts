// The tool in-process against the local tenant: real HTTPS, the real SDK, the tenant's users and stats.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fetchTrusting, type LocalTenant, startLocalTenant } from '@auth0-mfa/local-tenant';
import type { ManagementClient } from 'auth0';
import { createManagementClient, DEFAULT_RETRY_POLICY, type FetchLike } from '../../../ops/management/client';
import { runCli } from '../../../ops/mfa/cli';
import { progressPath } from '../../../ops/mfa/import';
import type { Io } from '../../../ops/mfa/session';
import type { FlagSource } from '../../../ops/mfa/users';
import { captureIo, type TestSeed, tempDir, tenantConfig } from './helpers';

jest.setTimeout(60_000);

const SECOND_CONNECTION = 'Partners';
const PATCH = 'PATCH /api/v2/users/{id}';
const BY_EMAIL = 'GET /api/v2/users-by-email';
const SEARCH = 'GET /api/v2/users';
// Short backoff for 5xx and lost connections; 429s still wait for the tenant's X-RateLimit-Reset.
const RETRY = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 20 };

/** A tenant in a fresh folder, with a second database connection so that one email can exist twice. */
async function startTenant(dir: string, port = 0): Promise<LocalTenant> {
  return startLocalTenant({ dir, port, quiet: true, connections: [SECOND_CONNECTION] });
}

function tenantEnv(tenant: LocalTenant): NodeJS.ProcessEnv {
  return {
    AUTH0_DOMAIN: tenant.domain,
    AUTH0_CLIENT_ID: tenant.clientId,
    AUTH0_CLIENT_SECRET: tenant.clientSecret,
  };
}

/** A Management API client for the test's own set-up and checks. */
const adminOf = (target: LocalTenant, fetch: FetchLike) =>
  createManagementClient({
    domain: target.domain,
    auth: { clientId: target.clientId, clientSecret: target.clientSecret },
    fetch,
  });

const patches = (tenant: LocalTenant) => tenant.stats().byRoute[PATCH] ?? 0;

let tenant: LocalTenant;
let trusted: FetchLike;
let admin: ManagementClient;
let unique = 0;
const tenantDir = tempDir('mfa-tenant-');

beforeAll(async () => {
  tenant = await startTenant(tenantDir);
  trusted = fetchTrusting(readFileSync(tenant.caFile));
  admin = adminOf(tenant, trusted);
});

afterAll(async () => {
  await tenant?.stop();
  // The folder holds the tenant's CA key and client secret.
  rmSync(tenantDir, { recursive: true, force: true });
});

interface NewUser {
  user_metadata?: Record<string, unknown>;
  app_metadata?: Record<string, unknown>;
  connection?: string;
  email?: string;
}

async function createUser(options: NewUser = {}): Promise<{ id: string; email: string }> {
  const email = options.email ?? `user${++unique}@example.com`;
  const created = await admin.users.create({
    connection: options.connection ?? 'Username-Password-Authentication',
    email,
    password: 'correct horse battery staple',
    ...(options.user_metadata ? { user_metadata: options.user_metadata } : {}),
    ...(options.app_metadata ? { app_metadata: options.app_metadata } : {}),
  });
  return { id: created.user_id ?? '', email };
}

async function metadataOf(id: string) {
  const user = await admin.users.get(id);
  return { user_metadata: user.user_metadata, app_metadata: user.app_metadata };
}

/** Runs the CLI in this process against `target` (default: the shared tenant) with its credentials. */
async function mfa(
  args: string[],
  options: {
    source?: FlagSource;
    seeds?: TestSeed[];
    target?: LocalTenant;
    fetch?: FetchLike;
    clock?: Pick<Io, 'sleep' | 'now'>;
  } = {},
) {
  const target = options.target ?? tenant;
  const configDir = tenantConfig(target.domain, options.source ?? 'user_metadata', options.seeds);
  const io = captureIo(tenantEnv(target), {
    fetch: options.fetch ?? trusted,
    retry: RETRY,
    ...options.clock,
  });
  const code = await runCli([...args, '--config-dir', configDir], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** The tool's clock runs ahead of real time by every wait it asked for; the waits themselves end at once. */
function simulatedClock() {
  let ahead = 0;
  return {
    now: () => Date.now() + ahead,
    sleep: async (ms: number) => {
      ahead += Math.max(ms, 0);
      await new Promise((resolve) => setImmediate(resolve));
    },
    waitedMs: () => ahead,
  };
}

function csvFile(rows: string[]): string {
  const file = join(tempDir('mfa-csv-'), 'users.csv');
  writeFileSync(file, ['user,use_mfa', ...rows, ''].join('\n'));
  return file;
}

describe('on, off and status', () => {
  it('set the flag by email and by id and keep every other metadata key', async () => {
    const user = await createUser({
      user_metadata: { theme: 'dark', locale: 'fr' },
      app_metadata: { plan: 'gold' },
    });

    const on = await mfa(['on', user.email]);
    expect(on.code).toBe(0);
    expect(on.stdout).toEqual([`changed ${user.id} <${user.email}>: user_metadata.use_mfa unset -> true`]);
    expect(await metadataOf(user.id)).toEqual({
      user_metadata: { theme: 'dark', locale: 'fr', use_mfa: true },
      app_metadata: { plan: 'gold' },
    });
    expect((await mfa(['status', user.id])).stdout).toEqual([
      `${user.id} <${user.email}>: MFA on (user_metadata.use_mfa=true, app_metadata.use_mfa=unset)`,
    ]);

    const off = await mfa(['off', user.id]);
    expect(off.code).toBe(0);
    expect(await metadataOf(user.id)).toEqual({
      user_metadata: { theme: 'dark', locale: 'fr', use_mfa: false },
      app_metadata: { plan: 'gold' },
    });
    expect((await mfa(['status', user.email.toUpperCase()])).stdout).toEqual([
      `${user.id} <${user.email}>: MFA off (user_metadata.use_mfa=false, app_metadata.use_mfa=unset)`,
    ]);
  });

  it('write app_metadata for "either" and turn off a flag the user set in user_metadata', async () => {
    const user = await createUser({ user_metadata: { use_mfa: true, theme: 'dark' } });
    expect((await mfa(['status', user.id], { source: 'either' })).stdout[0]).toContain('MFA on');

    expect((await mfa(['off', user.email], { source: 'either' })).code).toBe(0);
    expect(await metadataOf(user.id)).toEqual({
      user_metadata: { use_mfa: false, theme: 'dark' },
      app_metadata: { use_mfa: false },
    });
    expect((await mfa(['on', user.email], { source: 'either' })).code).toBe(0);
    expect(await metadataOf(user.id)).toEqual({
      user_metadata: { use_mfa: false, theme: 'dark' },
      app_metadata: { use_mfa: true },
    });
  });

  it('--dry-run shows the change and sends no PATCH', async () => {
    const user = await createUser({ app_metadata: { plan: 'gold' } });
    const file = csvFile([`${user.email},on`]);
    tenant.resetStats();
    const dry = await mfa(['on', user.email, '--dry-run'], { source: 'app_metadata' });
    const dryImport = await mfa(['import', file, '--dry-run'], { source: 'app_metadata' });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toEqual([
      `would change ${user.id} <${user.email}>: app_metadata.use_mfa unset -> true`,
    ]);
    expect(dryImport.stdout[0]).toBe('dry run: would change 1, unchanged 0, failed 0');
    // One batched search each; the dry runs send no PATCH.
    expect(tenant.stats().byRoute[SEARCH]).toBe(2);
    expect(patches(tenant)).toBe(0);
    expect(existsSync(progressPath(file))).toBe(false);
    expect(await metadataOf(user.id)).toEqual({ user_metadata: undefined, app_metadata: { plan: 'gold' } });
  });

  it('fail on unknown and ambiguous identifiers, change nothing for them, and go on with the rest', async () => {
    const email = `shared${++unique}@example.com`;
    const first = await createUser({ email });
    const second = await createUser({ email, connection: SECOND_CONNECTION });
    const fine = await createUser();
    tenant.resetStats();
    const result = await mfa(['on', email, 'nobody@example.com', 'auth0|nobody', fine.email]);
    expect(result.code).toBe(1);
    expect(result.stderr).toEqual([
      expect.stringMatching(/^environment local/),
      `error: ${email}: ${email} is ambiguous: 2 users have it (${first.id} (Username-Password-Authentication), ` +
        `${second.id} (${SECOND_CONNECTION})); name one by its user id`,
      'error: nobody@example.com: no user with email nobody@example.com',
      'error: auth0|nobody: no user with id auth0|nobody',
    ]);
    expect(patches(tenant)).toBe(1);
    expect((await metadataOf(first.id)).user_metadata).toBeUndefined();
    expect((await metadataOf(second.id)).user_metadata).toBeUndefined();
    expect((await metadataOf(fine.id)).user_metadata).toEqual({ use_mfa: true });
  });

  it('refuse seed users of the configuration unless --force', async () => {
    const seed = await createUser({ app_metadata: { use_mfa: false } });
    const seeds = [{ email: seed.email, useMfa: false }];
    tenant.resetStats();
    const refused = await mfa(['on', seed.email], { source: 'app_metadata', seeds });
    expect(refused.code).toBe(1);
    expect(refused.stderr[1]).toMatch(
      /is a seed user of environment local .*the next deploy would set it back.*--force/,
    );
    expect(patches(tenant)).toBe(0);

    const forced = await mfa(['on', seed.id, '--force'], { source: 'app_metadata', seeds });
    expect(forced.code).toBe(0);
    expect(forced.stdout[0]).toContain('(seed user, forced: the next deploy sets it back to false)');
    expect((await metadataOf(seed.id)).app_metadata).toEqual({ use_mfa: true });
  });
});

describe('list', () => {
  it('prints id and email of every user whose flag is the boolean true', async () => {
    const inUser = await createUser({ user_metadata: { use_mfa: true } });
    const inApp = await createUser({ app_metadata: { use_mfa: true } });
    const inBoth = await createUser({ user_metadata: { use_mfa: true }, app_metadata: { use_mfa: true } });
    const asString = await createUser({ app_metadata: { use_mfa: 'true' } });
    const off = await createUser({ user_metadata: { use_mfa: false } });
    const mine = new Set([inUser, inApp, inBoth, asString, off].map((user) => user.id));
    const listed = async (source: FlagSource) => {
      const result = await mfa(['list'], { source });
      expect(result.code).toBe(0);
      return result.stdout.filter((line) => mine.has(line.split('\t')[0])).sort();
    };
    const line = (user: { id: string; email: string }) => `${user.id}\t${user.email}`;
    expect(await listed('user_metadata')).toEqual([line(inUser), line(inBoth)].sort());
    expect(await listed('app_metadata')).toEqual([line(inApp), line(inBoth)].sort());
    expect(await listed('either')).toEqual([line(inUser), line(inApp), line(inBoth)].sort());
  });
});

describe('bulk import', () => {
  it('ends with every row right and nothing applied twice when 429s and 503s start mid-run', async () => {
    const users = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        createUser({ app_metadata: { plan: `p${i}`, use_mfa: i % 4 === 0 } }),
      ),
    );
    const wanted = users.map((_, i) => i % 3 !== 0);
    const file = csvFile(
      users.map((user, i) => `${i % 2 ? user.id : user.email},${wanted[i] ? 'on' : 'off'}`),
    );
    const needChange = users.filter((_, i) => wanted[i] !== (i % 4 === 0)).length;
    // Simulated time: a wait moves the tool's clock on at once, so no real second passes for a reset.
    const clock = simulatedClock();
    let applied = 0;
    // When each request was sent (on the tool's clock) and what the 429s asked to wait for.
    const sent: number[] = [];
    const resets: Array<{ index: number; resetAtMs: number }> = [];
    // Counts PATCHes the tenant carried out (2xx), and switches the faults on after the third.
    const faultSwitch: FetchLike = async (url, init) => {
      sent.push(clock.now());
      const response = await trusted(url, init);
      if (response.status === 429)
        resets.push({
          index: sent.length - 1,
          resetAtMs: Number(response.headers.get('x-ratelimit-reset')) * 1000,
        });
      if (init?.method === 'PATCH' && response.ok && ++applied === 3) {
        tenant.setFaults({ rateLimitShare: 0.15, serverErrorShare: 0.3, seed: 7 });
      }
      return response;
    };
    tenant.resetStats();
    let result: Awaited<ReturnType<typeof mfa>>;
    try {
      // One in flight, so that the seeded faults meet the same calls each run (both a 429 and a 503).
      result = await mfa(['import', file, '--concurrency', '1'], {
        source: 'app_metadata',
        fetch: faultSwitch,
        clock,
      });
    } finally {
      tenant.setFaults({});
    }
    expect(result.stdout[0]).toBe(`changed ${needChange}, unchanged ${12 - needChange}, failed 0`);
    expect(result.code).toBe(0);
    expect(tenant.stats().faultsInjected).toBeGreaterThan(0);
    expect(result.stderr.some((line) => line.startsWith('rate limited (429): waiting'))).toBe(true);
    expect(result.stderr.some((line) => line.startsWith('server error (503): waiting'))).toBe(true);
    expect(applied).toBe(needChange);
    // Each 429 was waited out on the tool's clock: the next request went once the announced reset was due.
    expect(resets.length).toBeGreaterThan(0);
    for (const { index, resetAtMs } of resets) expect(sent[index + 1]).toBeGreaterThanOrEqual(resetAtMs);
    expect(clock.waitedMs()).toBeGreaterThan(0);
    for (const [i, user] of users.entries()) {
      expect((await metadataOf(user.id)).app_metadata).toEqual({ plan: `p${i}`, use_mfa: wanted[i] });
    }
    expect(existsSync(progressPath(file))).toBe(false);
  });

  it('fails bad rows before anything is sent', async () => {
    const user = await createUser();
    const file = csvFile([`${user.email},on`, `${user.id},sometimes`]);
    tenant.resetStats();
    const result = await mfa(['import', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${file}: line 3, column use_mfa: "sometimes" is not one of on, off, true, false`,
    );
    expect(tenant.stats().calls).toBe(0);
  });

  it('resumes after the tenant went away mid-run without redoing finished rows', async () => {
    const dir = tempDir('mfa-resume-');
    let own = await startTenant(dir);
    const port = own.port;
    try {
      // Its own folder, so its own CA; a restart in the same folder keeps CA, credentials and users.
      const ownFetch = fetchTrusting(readFileSync(own.caFile));
      const ownAdmin = adminOf(own, ownFetch);
      const users = [];
      for (let i = 0; i < 10; i++) {
        const email = `resume${i}@example.com`;
        const created = await ownAdmin.users.create({
          connection: 'Username-Password-Authentication',
          email,
          password: 'correct horse battery staple',
        });
        users.push({ id: created.user_id ?? '', email });
      }
      const file = csvFile(users.map((user) => `${user.email},on`));
      let applied = 0;
      const stopAfterFour: FetchLike = async (url, init) => {
        const response = await ownFetch(url, init);
        if (init?.method === 'PATCH' && response.ok && ++applied === 4) await own.stop();
        return response;
      };
      // One request at a time, so that exactly the fifth PATCH meets the stopped tenant.
      const first = await mfa(['import', file, '--concurrency', '1'], {
        source: 'app_metadata',
        target: own,
        fetch: stopAfterFour,
      });
      expect(first.code).toBe(1);
      expect(first.stdout[0]).toBe('stopped: fetch failed (ECONNREFUSED)');
      expect(first.stdout[1]).toBe('changed 4, unchanged 0, failed 1, not attempted 5');
      expect(first.stdout[2]).toMatch(/^ {2}line 6 resume4@example.com: fetch failed \(ECONNREFUSED\)$/);
      expect(existsSync(progressPath(file))).toBe(true);

      own = await startTenant(dir, port);
      const second = await mfa(['import', file], { source: 'app_metadata', target: own, fetch: ownFetch });
      expect(second.code).toBe(0);
      expect(second.stdout[0]).toBe('changed 6, unchanged 0, failed 0, skipped 4 (done in an earlier run)');
      expect(own.stats().byRoute[PATCH]).toBe(6);
      // The 6 rows left are looked up in one search, none by email one by one.
      expect(own.stats().byRoute[SEARCH]).toBe(1);
      expect(own.stats().byRoute[BY_EMAIL]).toBeUndefined();
      for (const user of users) {
        expect((await ownAdmin.users.get(user.id)).app_metadata).toEqual({ use_mfa: true });
      }
      expect(existsSync(progressPath(file))).toBe(false);
    } finally {
      await own.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('reset', () => {
  it('calls the local tenant’s authentication-methods and invalidate-remember-browser endpoints', async () => {
    const user = await createUser();
    tenant.resetStats();
    const dry = await mfa(['reset', user.email, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toEqual([`would reset ${user.id} <${user.email}>: 0 enrolled factor(s)`]);
    const real = await mfa(['reset', user.id]);
    expect(real.code).toBe(0);
    expect(real.stdout[0]).toMatch(/^reset .* removed 0 enrolled factor\(s\) and remembered browsers/);
    const routes = tenant.stats().byRoute;
    expect(routes['DELETE /api/v2/users/{id}/authentication-methods']).toBe(1);
    expect(routes['POST /api/v2/users/{id}/multifactor/actions/invalidate-remember-browser']).toBe(1);
    expect((await mfa(['reset', 'auth0|nobody'])).stderr[1]).toBe(
      'error: auth0|nobody: no user with id auth0|nobody',
    );
  });
});
