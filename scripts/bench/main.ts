// `npm run bench`: what a synth, the plan and deploy commands, a deploy, logins and the local tenant's
// writes cost, and the mfa import at rate limits, measured in one run on this machine, each against a floor measured in the same run.
import { Command, InvalidArgumentError } from 'commander';
import { benchCommands } from './commands';
import { benchDeploy, type PhaseResult } from './deploy';
import { benchLogins } from './logins';
import { fmt } from './measure';
import { benchMfa, type MfaBenchCase } from './mfa';
import { startBenchPostgres } from './postgres';
import { benchSynth } from './synth';
import { benchTenant } from './tenant';

/** Seed users with both kinds of state: the local backend rewrites its file after every resource, pg does not. */
async function benchSeedUserState(userCounts: number[]): Promise<void> {
  const local = await benchDeploy(userCounts);
  console.log('');
  const postgres = await startBenchPostgres();
  let pg: PhaseResult[];
  try {
    pg = await benchDeploy(userCounts, { type: 'pg', connStr: postgres.connStr });
  } finally {
    await postgres.stop();
  }
  console.log(
    '\nseed users: local state against pg state (floor: pg, the same deploy without the file rewrites)',
  );
  for (const users of userCounts) {
    const name = `deploy with ${users} seed users`;
    const [a, b] = [local, pg].map((phases) => phases.find((p) => p.phase === name)?.seconds ?? Number.NaN);
    console.log(
      `  ${String(users).padStart(5)} users   local ${fmt(a).padStart(9)}   pg ${fmt(b).padStart(9)}   local/pg ${(a / b).toFixed(2)}`,
    );
  }
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

/** `ROWS@PER_SECOND,...`: mfa import rows at the tenant's rate limit. */
function mfaCases(value: string): MfaBenchCase[] {
  return value.split(',').map((spec) => {
    const [rows, perSecond] = spec.split('@');
    if (perSecond === undefined) throw new InvalidArgumentError(`expected ROWS@PER_SECOND, got "${spec}"`);
    return { rows: count(rows), perSecond: count(perSecond) };
  });
}

function counts(value: string): number[] {
  return value.split(',').map((part) => count(part.trim()));
}

interface BenchOptions {
  rounds: number;
  cliRounds: number;
  commandRounds: number;
  users: number[];
  logins: number;
  synthOnly?: boolean;
  commandsOnly?: boolean;
  loginsOnly?: boolean;
  tenantOnly?: boolean;
  seedOnly?: boolean;
  mfa: MfaBenchCase[];
  mfaScale: number;
  mfaOnly?: boolean;
}

const program = new Command('bench')
  .description('synth, plan/deploy commands, deploy phases, logins and tenant writes, each against its floor')
  .option('--rounds <n>', 'synth rounds', count, 7)
  .option('--cli-rounds <n>', 'rounds of `cdktf synth`', count, 3)
  .option('--command-rounds <n>', 'rounds of the plan and deploy commands', count, 5)
  .option('--users <list>', 'seed users per deploy phase, comma-separated', counts, [10, 100, 1000])
  .option('--logins <n>', 'logins per phase', count, 200)
  .option('--synth-only', 'only the synth figures')
  .option('--commands-only', 'only the plan and deploy commands against their floor')
  .option('--logins-only', 'only the login figures')
  .option('--tenant-only', "only the local tenant's write cost against its size")
  .option('--seed-only', 'only the deploys of seed users (--users), with local and with pg state')
  .option(
    '--mfa <cases>',
    'mfa import: ROWS@PER_SECOND of the tenant rate limit, comma-separated',
    mfaCases,
    [
      { rows: 1000, perSecond: 50 },
      { rows: 320, perSecond: 16 },
      { rows: 100, perSecond: 2 },
    ],
  )
  .option(
    '--mfa-scale <rows>',
    'mfa import of ROWS rows on a ROWS-user tenant against 1,000 on 1,000 (0: leave it out)',
    (value: string) => (value === '0' ? 0 : count(value)),
    10_000,
  )
  .option('--mfa-only', 'only the mfa import at rate limits')
  .action(async (options: BenchOptions) => {
    if (options.loginsOnly) {
      await benchLogins(options.logins);
      return;
    }
    if (options.tenantOnly) {
      await benchTenant();
      return;
    }
    if (options.mfaOnly) {
      await benchMfa({ cases: options.mfa, scaleRows: options.mfaScale });
      return;
    }
    if (options.seedOnly) {
      await benchSeedUserState(options.users);
      return;
    }
    if (options.commandsOnly) {
      await benchCommands(options.commandRounds);
      return;
    }
    await benchSynth(options.rounds, options.cliRounds);
    if (options.synthOnly) return;
    console.log('');
    await benchCommands(options.commandRounds);
    console.log('');
    await benchSeedUserState(options.users);
    console.log('');
    await benchLogins(options.logins);
    console.log('');
    await benchTenant();
    console.log('');
    await benchMfa({ cases: options.mfa, scaleRows: options.mfaScale });
  });

program.parseAsync().catch((error: Error) => {
  console.error(`bench: ${error.message}`);
  process.exit(1);
});
