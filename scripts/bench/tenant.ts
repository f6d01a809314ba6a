// The local tenant's write cost against its size: PATCHes of one user's metadata (what `npm run mfa`
// sends) on tenants of 100, 10,000 and 100,000 users, each as a ratio of the 100-user cost measured
// in the same run. Also the cost of one batched lookup (`email:("a" OR "b" ...)`) at each size.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startLocalTenant, TenantClient, TenantStore } from '@auth0-mfa/local-tenant';
import { median } from './measure';

const CONNECTION = 'Username-Password-Authentication';

/** A tenant directory holding `count` users, written through the store (no HTTP, no hashing). */
function seed(dir: string, count: number): void {
  const store = TenantStore.open(dir);
  const now = new Date().toISOString();
  store.transaction((d) => {
    for (let i = 0; i < count; i++) {
      d.users.insert({
        user_id: `auth0|bench${i}`,
        connection: CONNECTION,
        email: `user${i}@example.com`,
        email_verified: true,
        name: `user${i}@example.com`,
        nickname: `user${i}`,
        created_at: now,
        updated_at: now,
      });
    }
  });
  store.close();
}

async function timed(rounds: number, call: (i: number) => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await call(i);
    times.push(performance.now() - start);
  }
  return median(times);
}

interface SizeCost {
  users: number;
  /** Wall time of one call, TLS and client included (median). */
  writeMs: number;
  lookupMs: number;
  /** Time in the tenant's handler per call (mean): the tenant's own cost. */
  writeHandlerMs: number;
  lookupHandlerMs: number;
}

async function measure(users: number, writes: number): Promise<SizeCost> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-tenant-'));
  try {
    seed(dir, users);
    const tenant = await startLocalTenant({ dir, port: 0, quiet: true });
    try {
      const client = new TenantClient(tenant);
      await client.token();
      const pick = (i: number) => (i * 7919) % users;
      const handlerMs = () => {
        const stats = tenant.stats();
        tenant.resetStats();
        return stats.handlerMs / stats.calls;
      };
      tenant.resetStats();
      const writeMs = await timed(writes, (i) =>
        client.call('PATCH', `/users/${encodeURIComponent(`auth0|bench${pick(i)}`)}`, {
          app_metadata: { use_mfa: i % 2 === 0 },
        }),
      );
      const writeHandlerMs = handlerMs();
      const lookupMs = await timed(20, (i) => {
        const emails = Array.from({ length: 50 }, (_, k) => `"user${pick(i * 50 + k)}@example.com"`);
        const q = encodeURIComponent(`email:(${emails.join(' OR ')})`);
        return client.call('GET', `/users?q=${q}&search_engine=v3&per_page=100&include_totals=true`);
      });
      return { users, writeMs, lookupMs, writeHandlerMs, lookupHandlerMs: handlerMs() };
    } finally {
      await tenant.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchTenant(sizes = [100, 10_000, 100_000], writes = 300): Promise<void> {
  console.log('local tenant: cost of a user write (PATCH) and of a 50-email lookup against its size');
  const costs: SizeCost[] = [];
  for (const users of sizes) costs.push(await measure(users, writes));
  const floor = costs[0];
  const ratio = (value: number, base: number) => `x${(value / base).toFixed(2)}`;
  console.log(
    `  (tenant = time in the tenant's handler per call; ratios against ${floor.users} users, same run)`,
  );
  for (const c of costs) {
    console.log(
      `  ${String(c.users).padStart(7)} users: write ${c.writeHandlerMs.toFixed(3)} ms tenant ` +
        `${ratio(c.writeHandlerMs, floor.writeHandlerMs)}, ${c.writeMs.toFixed(1)} ms wall ${ratio(c.writeMs, floor.writeMs)}; ` +
        `lookup ${c.lookupHandlerMs.toFixed(3)} ms tenant ${ratio(c.lookupHandlerMs, floor.lookupHandlerMs)}, ` +
        `${c.lookupMs.toFixed(1)} ms wall ${ratio(c.lookupMs, floor.lookupMs)}`,
    );
  }
}

if (require.main === module) {
  benchTenant().catch((error: Error) => {
    console.error(`bench tenant: ${error.message}`);
    process.exit(1);
  });
}
