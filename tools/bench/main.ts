// `npm run bench`: what a synth and a deploy cost, measured in one run on this machine.
// Options: --rounds N (synth rounds, default 7), --cli-rounds N (default 3), --synth-only.
import { benchSynth } from './synth';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  await benchSynth(option('--rounds', 7), option('--cli-rounds', 3));
}

main().catch((error: Error) => {
  console.error(`bench: ${error.message}`);
  process.exit(1);
});
