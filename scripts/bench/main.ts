// `npm run bench`: what a synth and a deploy cost, measured in one run on this machine.
// Options: --rounds N (synth rounds, default 7), --cli-rounds N (default 3),
// --users 10,100,1000 (seed users per deploy phase), --synth-only, --logins N (logins per phase,
// default 200), --logins-only, --tenant-only (the local tenant's write cost against its size).
import { benchDeploy } from './deploy';
import { benchLogins } from './logins';
import { benchSynth } from './synth';
import { benchTenant } from './tenant';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: string) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
  };
  if (args.includes('--logins-only')) {
    await benchLogins(Number(option('--logins', '200')));
    return;
  }
  if (args.includes('--tenant-only')) return benchTenant();
  await benchSynth(Number(option('--rounds', '7')), Number(option('--cli-rounds', '3')));
  if (args.includes('--synth-only')) return;
  console.log('');
  await benchDeploy(option('--users', '10,100,1000').split(',').map(Number));
  console.log('');
  await benchLogins(Number(option('--logins', '200')));
  console.log('');
  await benchTenant();
}

main().catch((error: Error) => {
  console.error(`bench: ${error.message}`);
  process.exit(1);
});
