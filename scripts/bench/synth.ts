// Synth cost: (a) the full app by the project's own command, (b) an empty cdktf app with plain
// node (the floor), (c) `cdktf synth` of the full app. Rounds are interleaved so that the
// machine's noise falls on all three alike.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../ops/stack-command/terraform';
import { fmt, median, timeCommand } from './measure';

export interface SynthBench {
  full: number;
  empty: number;
  cli: number;
  ratio: number;
}

export async function benchSynth(rounds: number, cliRounds: number): Promise<SynthBench> {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  const env = { CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1', CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1' };
  const full = () => timeCommand(process.execPath, ['scripts/app/run.mjs'], { env });
  const empty = () => timeCommand(process.execPath, ['scripts/bench/empty-app.cjs'], { env });
  const cli = () =>
    timeCommand(join(ROOT, 'node_modules', '.bin', 'cdktf'), ['synth', '--output', outdir], {
      env: { ...env, CI: '1', DISABLE_VERSION_CHECK: '1' },
    });
  try {
    await full(); // builds the bundle if a source changed: the steady state is what is measured
    const samples: Record<'full' | 'empty' | 'cli', number[]> = { full: [], empty: [], cli: [] };
    for (let i = 0; i < rounds; i++) {
      samples.empty.push(await empty());
      samples.full.push(await full());
      if (i < cliRounds) samples.cli.push(await cli());
    }
    const result = {
      full: median(samples.full),
      empty: median(samples.empty),
      cli: median(samples.cli),
      ratio: median(samples.full) / median(samples.empty),
    };
    console.log('synth (median of rounds)');
    console.log(
      `  (a) full app, node scripts/app/run.mjs (what npm run synth runs): ${fmt(result.full)}  (${rounds} rounds)`,
    );
    console.log(
      `  (b) empty cdktf app, node scripts/bench/empty-app.cjs:            ${fmt(result.empty)}  (${rounds} rounds)`,
    );
    console.log(
      `  (c) full app, node_modules/.bin/cdktf synth:                     ${fmt(result.cli)}  (${cliRounds} rounds)`,
    );
    console.log(
      `  a/b = ${result.ratio.toFixed(2)} (target <= 1.5): ${result.ratio <= 1.5 ? 'met' : 'NOT met'}`,
    );
    return result;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
