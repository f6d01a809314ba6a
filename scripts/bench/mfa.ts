// The mfa tool's bulk import at a rate limit: the local tenant paces like Auth0 (a token bucket with
// X-RateLimit-* headers and 429 when empty), the tool imports a CSV, and the floor is a client measured in
// the same run that knows the limit in advance and sends one PATCH per row at exactly that rate.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fetchTrusting, type LocalTenant, startLocalTenant, TenantClient } from '@auth0-mfa/local-tenant';
import type { FetchLike } from '../../ops/management/client';
import { runCli } from '../../ops/mfa/cli';
import { runPool } from '../../ops/mfa/pool';

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

export async function benchMfa(cases: MfaBenchCase[]): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bench-mfa-'));
  const tenant = await startLocalTenant({ dir: join(work, 'tenant'), port: 0, quiet: true });
  const http = new TenantClient(tenant);
  const trusted = fetchTrusting(readFileSync(tenant.caFile));
  const configDir = join(work, 'config');
  mkdirSync(configDir);
  writeFileSync(
    join(configDir, 'bench.json'),
    JSON.stringify({ domain: tenant.domain, action: { flagSource: 'app_metadata' } }),
  );
  try {
    console.log('mfa import against the local tenant at a rate limit (token bucket, burst = rate)');
    console.log(
      `  ${'case'.padEnd(22)} ${'tool'.padStart(8)} ${'rows/s'.padStart(8)} ${'calls/row'.padStart(9)} ${'429s'.padStart(5)} ` +
        `${'ideal rows/s'.padStart(12)} ${'floor'.padStart(8)} ${'tool/floor'.padStart(10)}`,
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
      const file = join(work, `rows-${index}.csv`);
      writeFileSync(file, ['user,use_mfa', ...emails.map((email) => `${email},on`), ''].join('\n'));

      await http.token(); // fetched before the limit applies, as the tool's own token is cached too
      tenant.setRateLimit({ perSecond: bench.perSecond, burst: bench.perSecond });
      await new Promise((resolve) => setTimeout(resolve, 1100)); // a full bucket for each measurement
      const floor = await floorSeconds(http, ids, bench);
      await new Promise((resolve) => setTimeout(resolve, 1100));

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
      const calls = managementCalls(tenant);
      const callsPerRow = calls / bench.rows;
      const ideal = bench.perSecond / callsPerRow;
      const rowsPerSecond = bench.rows / seconds;
      console.log(
        `  ${`${bench.rows} rows at ${bench.perSecond}/s`.padEnd(22)} ${`${seconds.toFixed(2)} s`.padStart(8)} ` +
          `${rowsPerSecond.toFixed(1).padStart(8)} ${callsPerRow.toFixed(3).padStart(9)} ${String(refused).padStart(5)} ` +
          `${ideal.toFixed(1).padStart(12)} ${`${floor.toFixed(2)} s`.padStart(8)} ${(seconds / floor).toFixed(2).padStart(10)}`,
      );
      for (const limit of [16, 2]) {
        const hours = (100_000 * callsPerRow * (seconds / floor)) / limit / 3600;
        console.log(
          `    100,000 rows at ${limit} requests/s: ${hours.toFixed(1)} h (same calls/row and tool/floor)`,
        );
      }
      tenant.setRateLimit({ perSecond: 1000, burst: 1000 });
    }
  } finally {
    await tenant.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
