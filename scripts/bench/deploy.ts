// Deploy cost against the local tenant with the real Terraform and provider: from empty, a
// no-change plan, then 10, 100 and 1,000 seed users. For each phase: wall time, Management API
// calls, and the share of the time the tenant spent in its handlers (it must not be the bottleneck).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startLocalTenant } from '@auth0-mfa/local-tenant';
import { privateFolder } from '../../ops/stack-command/interrupts';
import { stackDir, synth, terraformOk } from '../../ops/stack-command/terraform';
import { fmt } from './measure';

export interface PhaseResult {
  phase: string;
  seconds: number;
  calls: number;
  tenantShare: number;
}

/** Where the bench's state lives: a local file, or PostgreSQL (the pg backend, PG_CONN_STR). */
export type BenchState = { type: 'local' } | { type: 'pg'; connStr: string };

export async function benchDeploy(
  userCounts: number[],
  state: BenchState = { type: 'local' },
): Promise<PhaseResult[]> {
  const { path: work, remove: removeFolder } = privateFolder('bench-deploy-');
  const tenant = await startLocalTenant({ dir: join(work, 'tenant'), port: 0, quiet: true });
  const configDir = join(work, 'config');
  const outdir = join(work, 'out');
  mkdirSync(configDir);
  const env = {
    ...tenant.env,
    TF_VAR_seed_user_password: 'Bench-Passw0rd!',
    ...(state.type === 'pg' ? { PG_CONN_STR: state.connStr } : {}),
  };
  // Each run its own schema, so a pg series always starts from empty state.
  const backend =
    state.type === 'pg'
      ? { type: 'pg', schemaName: `bench_${process.pid}_${Date.now()}` }
      : { type: 'local', path: join(work, 'terraform.tfstate') };
  const dir = stackDir(outdir, 'auth0-bench');
  const results: PhaseResult[] = [];

  const configure = async (users: number) => {
    const config = {
      domain: tenant.domain,
      users: Array.from({ length: users }, (_, i) => ({
        email: `user${i}@bench.example`,
        useMfa: i % 2 === 0,
      })),
      backend,
    };
    writeFileSync(join(configDir, 'bench.json'), JSON.stringify(config));
    await synth({ outdir, configDir });
  };
  const phase = async (name: string, args: string[], allowedCodes: number[] = []) => {
    tenant.resetStats();
    const start = performance.now();
    await terraformOk(dir, args, { env, allowedCodes });
    const seconds = (performance.now() - start) / 1000;
    const stats = tenant.stats();
    const result = {
      phase: name,
      seconds,
      calls: stats.calls,
      tenantShare: stats.handlerMs / 1000 / seconds,
    };
    results.push(result);
    console.log(
      `  ${name.padEnd(28)} ${fmt(seconds).padStart(9)}  ${String(stats.calls).padStart(6)} calls  tenant ${(result.tenantShare * 100).toFixed(1)}%`,
    );
  };

  try {
    console.log(`deploy against the local tenant (real Terraform and provider), ${state.type} state`);
    await configure(0);
    await terraformOk(dir, ['init', '-input=false', '-no-color'], { env });
    const apply = ['apply', '-auto-approve', '-input=false', '-no-color'];
    await phase('deploy from empty', apply);
    await phase('no-change plan', ['plan', '-detailed-exitcode', '-input=false', '-no-color']);
    for (const users of userCounts) {
      await configure(users);
      await phase(`deploy with ${users} seed users`, apply);
    }
    return results;
  } finally {
    await tenant.stop();
    removeFolder();
  }
}
