// The local tenant's write cost against its size: PATCHes of one user's metadata (what `npm run mfa`
// sends) on tenants of 100, 10,000 and 100,000 users, each as a ratio of the 100-user cost measured
// in the same run. Every user is enrolled in MFA (a TOTP factor and a recovery code, kept in the
// tenant's `auth` section, as after real logins), so a write that copied or serialized the whole
// tenant shows here. Also the cost of one batched lookup (`email:("a" OR "b" ...)`) at each size, and
// the longest event-loop stall while the log is folded into a new snapshot, against the same at 100 users.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fetchTrusting, startLocalTenant, TenantClient, TenantStore } from '@auth0-mfa/local-tenant';
import { runPool } from '../../ops/management/pool';
import { median } from './measure';

const CONNECTION = 'Username-Password-Authentication';

/** A tenant directory holding `count` MFA-enrolled users `user<i>@example.com` (`auth0|bench<i>`), written through the store (no HTTP, no hashing). */
export function seedUsers(dir: string, count: number): void {
  const store = TenantStore.open(dir);
  const now = new Date().toISOString();
  store.transaction((d) => {
    for (let i = 0; i < count; i++) {
      d.auth.authenticators[`auth0|bench${i}`] = [
        {
          id: `totp|dev_bench${i}`,
          type: 'otp',
          confirmed: true,
          created_at: now,
          secret: 'JBSWY3DPEHPK3PXP',
        },
        {
          id: `recovery-code|dev_bench${i}`,
          type: 'recovery-code',
          confirmed: true,
          created_at: now,
          code_hash: '0'.repeat(64),
        },
      ];
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

/** Writes sent with this many in flight, as `npm run mfa` sends them (its default --concurrency). */
const IN_FLIGHT = 8;

interface SizeCost {
  users: number;
  /** Writes per second with IN_FLIGHT in flight over kept connections, client included. */
  writesPerSecond: number;
  /** Wall time of one call, client included (median, one at a time). */
  writeMs: number;
  lookupMs: number;
  /** `app_metadata.use_mfa:true` (the flagged users, as `npm run mfa` lists them): time in the handler. */
  flaggedHandlerMs: number;
  flagged: number;
  /** Time in the tenant's handler per call (mean): the tenant's own cost. */
  writeHandlerMs: number;
  lookupHandlerMs: number;
}

async function measure(users: number, writes: number): Promise<SizeCost> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-tenant-'));
  try {
    seedUsers(dir, users);
    const tenant = await startLocalTenant({ dir, port: 0, quiet: true });
    try {
      const token = await new TenantClient(tenant).token();
      // Over kept connections, as the mfa tool's fetch talks to Auth0.
      const fetchKept = fetchTrusting(readFileSync(tenant.caFile));
      const call = async (method: string, path: string, body?: unknown) => {
        const reply = await fetchKept(`${tenant.baseUrl}/api/v2${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (!reply.ok) throw new Error(`${method} ${path}: ${reply.status} ${await reply.text()}`);
        return reply.json();
      };
      const patch = (i: number) =>
        call('PATCH', `/users/${encodeURIComponent(`auth0|bench${pick(i)}`)}`, {
          app_metadata: { use_mfa: i % 2 === 0 },
        });
      const pick = (i: number) => (i * 7919) % users;
      const handlerMs = () => {
        const stats = tenant.stats();
        tenant.resetStats();
        return stats.handlerMs / stats.calls;
      };
      await timed(50, (i) => patch(i + 1)); // warm-up: the first size would otherwise pay for the JIT
      tenant.resetStats();
      const writeMs = await timed(writes, patch);
      const writeHandlerMs = handlerMs();
      const started = performance.now();
      await runPool(
        Array.from({ length: writes * 3 }, (_, i) => i),
        (i) => patch(writes + i).then(() => undefined),
        {
          concurrency: IN_FLIGHT,
        },
      );
      const writesPerSecond = (writes * 3) / ((performance.now() - started) / 1000);
      tenant.resetStats();
      const lookupMs = await timed(20, (i) => {
        const emails = Array.from({ length: 50 }, (_, k) => `"user${pick(i * 50 + k)}@example.com"`);
        const q = encodeURIComponent(`email:(${emails.join(' OR ')})`);
        return call('GET', `/users?q=${q}&search_engine=v3&per_page=100&include_totals=true`);
      });
      const lookupHandlerMs = handlerMs();
      let flagged = 0;
      await timed(20, async () => {
        const q = encodeURIComponent('app_metadata.use_mfa:true');
        const page = (await call(
          'GET',
          `/users?q=${q}&search_engine=v3&per_page=100&include_totals=true`,
        )) as {
          total: number;
        };
        flagged = page.total;
      });
      const flaggedHandlerMs = handlerMs();
      return {
        users,
        writesPerSecond,
        writeMs,
        lookupMs,
        writeHandlerMs,
        lookupHandlerMs,
        flaggedHandlerMs,
        flagged,
      };
    } finally {
      await tenant.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface FoldStall {
  users: number;
  /** The longest the event loop was blocked while the fold ran, writes going on meanwhile. */
  stallMs: number;
  /** The same without a fold: the writes alone, for as long (garbage collection and the machine's noise). */
  floorMs: number;
  foldMs: number;
  snapshotMB: number;
  writesDuring: number;
}

/**
 * The longest event-loop block while `until` runs, with one write per turn of the event loop meanwhile
 * (as requests come), and how many writes went through.
 */
async function stallWhile(
  store: TenantStore,
  users: number,
  until: () => Promise<unknown>,
): Promise<{ stallMs: number; writes: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let writing = true;
  let writes = 0;
  const writer = (async () => {
    while (writing) {
      const id = `auth0|bench${(writes * 7919) % users}`;
      store.transaction((d) => {
        const user = d.users.get(id);
        if (user) user.app_metadata = { use_mfa: writes % 2 === 0 };
      });
      writes++;
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  delay.enable();
  await until();
  delay.disable();
  writing = false;
  await writer;
  return { stallMs: delay.max / 1e6, writes };
}

/** A fold of a `users`-user tenant (every user enrolled in MFA) while writes go on, and the same time without. */
async function measureFold(users: number): Promise<FoldStall> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-fold-'));
  try {
    seedUsers(dir, users);
    const store = TenantStore.open(dir);
    try {
      const started = performance.now();
      const fold = await stallWhile(store, users, () => store.fold());
      const foldMs = performance.now() - started;
      const floor = await stallWhile(
        store,
        users,
        () => new Promise((resolve) => setTimeout(resolve, foldMs)),
      );
      const snapshotMB = statSync(store.file).size / 1e6;
      return {
        users,
        stallMs: fold.stallMs,
        floorMs: floor.stallMs,
        foldMs,
        snapshotMB,
        writesDuring: fold.writes,
      };
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchFold(sizes: number[]): Promise<void> {
  console.log(
    '  fold of the log into a new snapshot, writes going on (stall = longest event-loop block; floor = the same writes as long without a fold, same run):',
  );
  for (const users of sizes) {
    const f = await measureFold(users);
    console.log(
      `  ${String(f.users).padStart(7)} users: stall ${f.stallMs.toFixed(1)} ms, floor ${f.floorMs.toFixed(1)} ms, ` +
        `x${(f.stallMs / f.floorMs).toFixed(2)}; fold ${f.foldMs.toFixed(0)} ms for ${f.snapshotMB.toFixed(1)} MB, ` +
        `${f.writesDuring} writes during it`,
    );
  }
}

export async function benchTenant(sizes = [100, 10_000, 100_000], writes = 300): Promise<void> {
  console.log(
    'local tenant: cost of a user write (PATCH), of a 50-email lookup and of listing the flagged users against its size (users enrolled in MFA)',
  );
  const costs: SizeCost[] = [];
  for (const users of sizes) costs.push(await measure(users, writes));
  const floor = costs[0];
  const ratio = (value: number, base: number) => `x${(value / base).toFixed(2)}`;
  console.log(
    `  (tenant = time in the tenant's handler per call; wall = one call at a time; writes/s = ${IN_FLIGHT} in flight;` +
      ` ratios: cost against ${floor.users} users, same run)`,
  );
  for (const c of costs) {
    console.log(
      `  ${String(c.users).padStart(7)} users: write ${c.writeHandlerMs.toFixed(3)} ms tenant ` +
        `${ratio(c.writeHandlerMs, floor.writeHandlerMs)}, ${c.writeMs.toFixed(1)} ms wall ${ratio(c.writeMs, floor.writeMs)}, ` +
        `${c.writesPerSecond.toFixed(0)} writes/s ${ratio(floor.writesPerSecond, c.writesPerSecond)}; ` +
        `lookup ${c.lookupHandlerMs.toFixed(3)} ms tenant ${ratio(c.lookupHandlerMs, floor.lookupHandlerMs)}, ` +
        `${c.lookupMs.toFixed(1)} ms wall ${ratio(c.lookupMs, floor.lookupMs)}; ` +
        `flagged (${c.flagged}) ${c.flaggedHandlerMs.toFixed(3)} ms tenant ${ratio(c.flaggedHandlerMs, floor.flaggedHandlerMs)}`,
    );
  }
  await benchFold([sizes[0], sizes[sizes.length - 1]]);
}
