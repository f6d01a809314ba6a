// The launcher of the project's TypeScript: `node scripts/app/run.mjs [ENTRY.ts [ARGS...]]` runs ENTRY
// (default main.ts: the cdktf app command in cdktf.json and `npm run synth`) from its cached bundle
// (./bundle.mjs), as `node ENTRY ARGS` would: the npm scripts of the commands (plan, deploy, drift, ...)
// run through it. It runs in the same process, so signals reach the command directly.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { bundled, ROOT } from './bundle.mjs';

const SYNTH = 'main.ts';

// What the entry sees: process.argv as if node had been given the entry itself.
const [entry = SYNTH] = process.argv.splice(2, 1);
process.argv[1] = join(ROOT, entry);
let bundle;
try {
  bundle = await bundled(entry);
} catch (error) {
  // esbuild has printed what it could not compile, and where.
  console.error(`scripts/app/run.mjs: ${entry}: ${error.message}`);
  process.exit(1);
}
createRequire(import.meta.url)(bundle);
