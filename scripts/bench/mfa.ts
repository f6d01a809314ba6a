// The mfa tool's bulk import at a rate limit: the local tenant paces like Auth0 (a token bucket with
// X-RateLimit-* headers and 429 when empty), the tool imports a CSV, and the floor is a client measured in
// the same run that knows the limit in advance and sends one PATCH per row at exactly that rate.
// Then the import against the tenant's size: 10,000 rows on a 10,000-user tenant against 1,000 rows on a
// 1,000-user tenant (the floor), with no rate limit in the way, so that only the tenant's own cost shows.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  DEFAULT_RATE_LIMIT,
  fetchTrusting,
  type LocalTenant,
  startLocalTenant,
  TenantClient,
} from '@auth0-mfa/local-tenant';
import type { FetchLike } from '../../ops/management/client';
import { runPool } from '../../ops/management/pool';
import { runCli } from '../../ops/mfa/cli';
import { seedUsers } from './tenant';

export interface MfaBenchCase {
  rows: number;
  /** Requests per second the tenant refills with; its burst is the same number, as Auth0's 50/50. */
  perSecond: number;
}

const managementCalls = (tenant: LocalTenant) =>
  Object.entries(tenant.stats().byRoute)
    .filter(([route]) => route.includes('/api/v2/'))
    .reduce((sum, [, count]) => sum + count, 0);

async function createUsers(http: TenantClient, prefix: string, count: number): Promise<string[]> {
  const emails = Array.from({ length: count }, (_, i) => `${prefix}${i}@bench.example`);
  await runPool(
    emails,
    async (email) => {
      await http.call('POST', '/users', {
        connection: 'Username-Password-Authentication',
        email,
        password: 'Bench-Passw0rd!',
      });
    },
    { concurrency: 8 },
  );
  return emails;
}

/** A client that knows the limit: after the burst, one PATCH every 1/perSecond s, nothing looked up. */
async function floorSeconds(http: TenantClient, ids: string[], bench: MfaBenchCase): Promise<number> {
  const start = performance.now();
  await runPool(
    ids,
    async (id, index) => {
      const due = index < bench.perSecond ? 0 : ((index - bench.perSecond + 1) * 1000) / bench.perSecond;
      const wait = start + due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      for (;;) {
        const reply = await http.patch(`/api/v2/users/${encodeURIComponent(id)}`, {
          app_metadata: { bench_floor: true },
        });
        if (reply.status === 200) return;
        if (reply.status !== 429) throw new Error(`floor client: PATCH answered ${reply.status}`);
        await new Promise((resolve) => setTimeout(resolve, 1000 / bench.perSecond));
      }
    },
    { concurrency: 8 },
  );
  return (performance.now() - start) / 1000;
}

export interface MfaBenchOptions {
  cases: MfaBenchCase[];
  /** Rows (and users) of the large import against the tenant's size; 0 leaves that part out. */
  scaleRows: number;
}

/** The rows of the scale part's floor: the same import on a tenant a tenth of the size (at most). */
const SCALE_FLOOR_ROWS = 1000;

function writeConfig(dir: string, domain: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'bench.json'), JSON.stringify({ domain, action: { flagSource: 'app_metadata' } }));
  return dir;
}

function writeCsv(file: string, emails: string[]): string {
  writeFileSync(file, ['user,use_mfa', ...emails.map((email) => `${email},on`), ''].join('\n'));
  return file;
}

interface ImportRun {
  seconds: number;
  /** Management API calls the tenant counted, 429s included. */
  calls: number;
  refused: number;
}

/** `npm run mfa -- import FILE` in this process against `tenant`, timed. */
async function importRows(tenant: LocalTenant, configDir: string, file: string): Promise<ImportRun> {
  const trusted = fetchTrusting(readFileSync(tenant.caFile));
  let refused = 0;
  const counting: FetchLike = async (url, init) => {
    const response = await trusted(url, init);
    if (response.status === 429) refused += 1;
    return response;
  };
  const io = {
    out: () => undefined,
    err: () => undefined,
    env: {
      AUTH0_DOMAIN: tenant.domain,
      AUTH0_CLIENT_ID: tenant.clientId,
      AUTH0_CLIENT_SECRET: tenant.clientSecret,
    },
    fetch: counting,
  };
  tenant.resetStats();
  const start = performance.now();
  const code = await runCli(['import', file, '--config-dir', configDir], io);
  const seconds = (performance.now() - start) / 1000;
  if (code !== 0) throw new Error(`mfa import exited ${code}`);
  return { seconds, calls: managementCalls(tenant), refused };
}

const hours = (rows: number, rowsPerSecond: number) => `${(rows / rowsPerSecond / 3600).toFixed(1)} h`;

async function benchRateLimits(work: string, cases: MfaBenchCase[]): Promise<void> {
  const tenant = await startLocalTenant({ dir: join(work, 'tenant'), port: 0, quiet: true });
  const http = new TenantClient(tenant);
  const configDir = writeConfig(join(work, 'config'), tenant.domain);
  const projections: string[] = [];
  try {
    console.log('mfa import against the local tenant at a rate limit (token bucket, burst = rate)');
    console.log(
      '  (ideal = limit / calls per row; floor = a client that knows the limit, one PATCH per row)',
    );
    console.log(
      `  ${'case'.padEnd(22)} ${'tool'.padStart(8)} ${'rows/s'.padStart(8)} ${'calls/row'.padStart(9)} ${'429s'.padStart(5)} ` +
        `${'ideal rows/s'.padStart(12)} ${'of ideal'.padStart(8)} ${'floor'.padStart(8)} ${'tool/floor'.padStart(10)}`,
    );
    for (const [index, bench] of cases.entries()) {
      const emails = await createUsers(http, `b${index}u`, bench.rows);
      const ids = await Promise.all(
        emails.map(async (email) => {
          const [user] = await http.call<Array<{ user_id: string }>>(
            'GET',
            `/users-by-email?email=${encodeURIComponent(email)}`,
          );
          return user.user_id;
        }),
      );
      const file = writeCsv(join(work, `rows-${index}.csv`), emails);

      await http.token(); // fetched before the limit applies, as the tool's own token is cached too
      tenant.setRateLimit({ perSecond: bench.perSecond, burst: bench.perSecond });
      await new Promise((resolve) => setTimeout(resolve, 1100)); // a full bucket for each measurement
      const floor = await floorSeconds(http, ids, bench);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const run = await importRows(tenant, configDir, file);
      tenant.setRateLimit(DEFAULT_RATE_LIMIT);

      const callsPerRow = run.calls / bench.rows;
      const ideal = bench.perSecond / callsPerRow;
      const rowsPerSecond = bench.rows / run.seconds;
      console.log(
        `  ${`${bench.rows} rows at ${bench.perSecond}/s`.padEnd(22)} ${`${run.seconds.toFixed(2)} s`.padStart(8)} ` +
          `${rowsPerSecond.toFixed(1).padStart(8)} ${callsPerRow.toFixed(3).padStart(9)} ${String(run.refused).padStart(5)} ` +
          `${ideal.toFixed(1).padStart(12)} ${(rowsPerSecond / ideal).toFixed(2).padStart(8)} ` +
          `${`${floor.toFixed(2)} s`.padStart(8)} ${(run.seconds / floor).toFixed(2).padStart(10)}`,
      );
      // A long run is at the refill rate (the burst is a vanishing share): limit / calls per row, slowed
      // as much as this run was slower than its floor (a floor slowed by a loaded machine lifts nothing).
      const longRun = ideal / Math.max(run.seconds / floor, 1);
      projections.push(
        `  100,000 rows at ${bench.perSecond} requests/s: ${hours(100_000, longRun)} ` +
          `(${longRun.toFixed(1)} rows/s: ideal rows/s / tool/floor of this run)`,
      );
    }
    for (const line of projections) console.log(line);
  } finally {
    await tenant.stop();
  }
}

/** One import of every user of a tenant of `rows` users, with the tenant's default (non-binding) limit. */
async function importOnTenantOfSize(work: string, rows: number): Promise<ImportRun> {
  const dir = join(work, `size-${rows}`);
  seedUsers(dir, rows);
  const tenant = await startLocalTenant({ dir, port: 0, quiet: true });
  try {
    const configDir = writeConfig(join(dir, 'config'), tenant.domain);
    const emails = Array.from({ length: rows }, (_, i) => `user${i}@example.com`);
    return await importRows(tenant, configDir, writeCsv(join(dir, 'rows.csv'), emails));
  } finally {
    await tenant.stop();
  }
}

async function benchTenantSize(work: string, rows: number): Promise<void> {
  const floorRows = Math.min(SCALE_FLOOR_ROWS, rows);
  console.log(
    `mfa import against the tenant's size, no rate limit in the way (floor: ${floorRows} rows on a ${floorRows}-user tenant, same run)`,
  );
  const floor = await importOnTenantOfSize(work, floorRows);
  const large = await importOnTenantOfSize(work, rows);
  for (const [count, run] of [
    [floorRows, floor],
    [rows, large],
  ] as const) {
    console.log(
      `  ${`${count} rows on ${count} users`.padEnd(26)} ${`${run.seconds.toFixed(2)} s`.padStart(9)} ` +
        `${(count / run.seconds).toFixed(1).padStart(7)} rows/s ${(run.calls / count).toFixed(3).padStart(6)} calls/row`,
    );
  }
  const ratio = large.seconds / rows / (floor.seconds / floorRows);
  console.log(`  time per row, ${rows} against ${floorRows}: x${ratio.toFixed(2)}`);
}

export async function benchMfa(options: MfaBenchOptions): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bench-mfa-'));
  try {
    if (options.cases.length > 0) await benchRateLimits(work, options.cases);
    if (options.scaleRows > 0) {
      if (options.cases.length > 0) console.log('');
      await benchTenantSize(work, options.scaleRows);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
