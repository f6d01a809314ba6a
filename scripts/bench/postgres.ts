// A throwaway PostgreSQL for the bench's pg-state phases, started by scripts/ci/postgres.sh in a private folder.
import { join } from 'node:path';
import { privateFolder } from '../../ops/stack-command/interrupts';
import { run } from '../../ops/stack-command/terraform';
import { PROJECT_ROOT } from '../../src/paths';

export interface BenchPostgres {
  /** The connection string (it holds a password: never print it). */
  connStr: string;
  stop(): Promise<void>;
}

export async function startBenchPostgres(): Promise<BenchPostgres> {
  const script = join(PROJECT_ROOT, 'scripts', 'ci', 'postgres.sh');
  const { path: dir, remove: removeFolder } = privateFolder('bench-pg-');
  const env = { PGCI_DIR: dir, PGCI_PORT: process.env.BENCH_PG_PORT ?? '54339', GITHUB_ACTIONS: '' };
  const started = await run('bash', [script, 'start'], { env });
  const connStr = /^export PG_CONN_STR='([^']+)'$/m.exec(started.stdout)?.[1];
  if (started.code !== 0 || !connStr) {
    removeFolder();
    throw new Error(
      `PostgreSQL is needed for the pg phases and scripts/ci/postgres.sh could not start it:\n${started.stderr}`,
    );
  }
  return {
    connStr,
    async stop() {
      await run('bash', [script, 'stop'], { env });
      removeFolder();
    },
  };
}
