// Synth cost: (a) the full app by the project's launcher (what `npm run synth` execs, and what the
// plan and deploy commands run), (b) an empty cdktf app with plain node (the floor), (c) `cdktf synth`
// of the full app, (d) `npm run synth` itself, npm's start-up included. Rounds are interleaved so that
// the machine's noise falls on all alike.
import { join } from 'node:path';
import { privateFolder } from '../../ops/stack-command/interrupts';
import { PROJECT_ROOT } from '../../src/paths';
import { fmt, median, timeCommand } from './measure';

export interface SynthBench {
  full: number;
  empty: number;
  cli: number;
  npm: number;
  ratio: number;
}

export async function benchSynth(rounds: number, cliRounds: number): Promise<SynthBench> {
  const { path: outdir, remove: removeFolder } = privateFolder('bench-synth-');
  const env = { CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1', CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1' };
  const full = () => timeCommand(process.execPath, ['scripts/app/run.mjs'], { env });
  const empty = () => timeCommand(process.execPath, ['scripts/bench/empty-app.cjs'], { env });
  const npm = () => timeCommand('npm', ['run', '--silent', 'synth'], { env, cwd: PROJECT_ROOT });
  const cli = () =>
    timeCommand(join(PROJECT_ROOT, 'node_modules', '.bin', 'cdktf'), ['synth', '--output', outdir], {
      env: { ...env, CI: '1', DISABLE_VERSION_CHECK: '1' },
    });
  try {
    await full(); // builds the bundle if a source changed: the steady state is what is measured
    const samples: Record<'full' | 'empty' | 'cli' | 'npm', number[]> = {
      full: [],
      empty: [],
      cli: [],
      npm: [],
    };
    for (let i = 0; i < rounds; i++) {
      samples.empty.push(await empty());
      samples.full.push(await full());
      samples.npm.push(await npm());
      if (i < cliRounds) samples.cli.push(await cli());
    }
    const result = {
      full: median(samples.full),
      empty: median(samples.empty),
      cli: median(samples.cli),
      npm: median(samples.npm),
      ratio: median(samples.full) / median(samples.empty),
    };
    console.log('synth (median of rounds)');
    const line = (label: string, seconds: number, n: number) =>
      console.log(`  ${label.padEnd(66)} ${fmt(seconds)}  (${n} rounds)`);
    line('(a) full app, node scripts/app/run.mjs (the launcher npm run synth execs)', result.full, rounds);
    line('(b) empty cdktf app, node scripts/bench/empty-app.cjs', result.empty, rounds);
    line('(c) full app, node_modules/.bin/cdktf synth', result.cli, cliRounds);
    line('(d) full app, npm run synth (npm start-up included)', result.npm, rounds);
    console.log(
      `  a/b = ${result.ratio.toFixed(2)} (target <= 1.5): ${result.ratio <= 1.5 ? 'met' : 'NOT met'}; d/b = ${(result.npm / result.empty).toFixed(2)}; c/a = ${(result.cli / result.full).toFixed(2)}`,
    );
    return result;
  } finally {
    removeFolder();
  }
}
