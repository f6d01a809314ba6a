// The launcher of the project's TypeScript: `node scripts/app/run.mjs [ENTRY.ts [ARGS...]]` runs ENTRY
// (default main.ts: the cdktf app command in cdktf.json and `npm run synth`) from its cached bundle
// (./bundle.mjs), as `node ENTRY ARGS` would: the npm scripts of the commands (plan, deploy, drift, ...)
// run through it. It runs in the same process, so signals reach the command directly.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { bundled, ROOT } from './bundle.mjs';

const SYNTH = 'main.ts';

// `cdktf synth --hcl` writes cdk.tf, a JSON synth cdk.tf.json, and neither removes the other's file: with both
// in a stack folder Terraform reads both ("Duplicate provider configuration"). The older of the two goes.
function removeOtherFormat() {
  const stacks = join(resolve(process.env.CDKTF_OUTDIR ?? 'cdktf.out'), 'stacks');
  if (!existsSync(stacks)) return;
  for (const name of readdirSync(stacks)) {
    const [json, hcl] = ['cdk.tf.json', 'cdk.tf'].map((file) => join(stacks, name, file));
    if (!existsSync(json) || !existsSync(hcl)) continue;
    rmSync(statSync(json).mtimeMs < statSync(hcl).mtimeMs ? json : hcl);
  }
}

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
if (entry === SYNTH) removeOtherFormat();
