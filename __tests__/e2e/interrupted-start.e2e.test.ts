// `npm start` killed mid-apply (kill -9 of its program: the in-process tenant, Terraform and the
// provider), then `npm start` again: the same recovery layer as deploy imports what the first run
// created and did not record. Deterministic without timing: the first run's tenant starts with
// LOCAL_TENANT_HOLD, so the Action and the users are created and their answers held, and the test
// sees it through GET /local/holds before it kills.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readConnectionEnv, startLocalTenant, TenantClient } from '@auth0-mfa/local-tenant';
import { tempDir } from '../support/temp-dirs';
import { type CommandProcess, descendants, descendantsNamed, startCommand } from './command-process';
import { freePort, requireTools } from './harness';
import {
  expectConverged,
  expectRecovered,
  finished,
  type InterruptedEnvironment,
  interruptedEnvironment,
  USERS,
} from './interruption';

jest.setTimeout(420_000);

const HELD = ['POST /api/v2/actions/actions', 'POST /api/v2/users'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The client of the tenant that `npm start` runs, once it has written connection.env. */
async function clientOfRunningTenant(tenantDir: string, run: CommandProcess): Promise<TenantClient> {
  const file = join(tenantDir, 'connection.env');
  while (!existsSync(file)) {
    if (run.child.exitCode !== null) throw new Error(`npm start ended first:\n${run.output().slice(-4000)}`);
    await sleep(100);
  }
  const env = readConnectionEnv(file);
  return new TenantClient({
    domain: env.AUTH0_DOMAIN,
    port: Number(env.AUTH0_DOMAIN.split(':')[1]),
    clientId: env.AUTH0_CLIENT_ID,
    clientSecret: env.AUTH0_CLIENT_SECRET,
    caFile: env.NODE_EXTRA_CA_CERTS,
  });
}

/** Resolves once the tenant holds `count` answers of the routes it was started to hold. */
async function heldAnswers(client: TenantClient, count: number, run: CommandProcess): Promise<void> {
  for (;;) {
    if (run.child.exitCode !== null) throw new Error(`npm start ended first:\n${run.output().slice(-4000)}`);
    const { holds } = (await client.get('/local/holds')).body as { holds: Array<{ held: number }> };
    if ((holds[0]?.held ?? 0) >= count) return;
    await sleep(100);
  }
}

describe('`npm start` killed (SIGKILL) mid-apply, then started again', () => {
  let e: InterruptedEnvironment;
  let tenantDir: string;
  let port: number;

  beforeAll(async () => {
    requireTools();
    port = await freePort();
    tenantDir = tempDir('start-tenant-');
    // npm start deploys `local` from CONFIG_DIR to the tenant in LOCAL_TENANT_DIR, on the port of its domain.
    e = interruptedEnvironment(
      'local',
      `localhost:${port}`,
      {},
      { LOCAL_TENANT_DIR: tenantDir, LOCAL_TENANT_PORT: '' },
    );
    e.env.CONFIG_DIR = e.configDir;
  });

  it('the second run imports what the first created, and the tenant converges', async () => {
    const first = startCommand(['start'], { ...e.env, LOCAL_TENANT_HOLD: HELD.join(',') });
    const client = await clientOfRunningTenant(tenantDir, first);
    await heldAnswers(client, 1 + USERS.length, first);
    // npm start's own Node process and everything below it (Terraform, the provider), bottom up, as
    // `kill -9` of the program does it; npm above it reaps it and reports the failure.
    const root = descendantsNamed(first.child.pid ?? -1, 'node')[0];
    expect(root).toBeDefined();
    for (const pid of [...descendants(root).reverse(), root]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    expect(await finished(first)).not.toBe(0);

    await expectRecovered(startCommand(['start'], e.env));

    const tenant = await startLocalTenant({ dir: tenantDir, port, quiet: true });
    try {
      // The plan reaches it as `npm run plan -- local` does after `npm run local-tenant`: by connection.env.
      await expectConverged({ ...e, env: { ...e.env, ...tenant.env } }, new TenantClient(tenant));
    } finally {
      await tenant.stop();
    }
  });
});
