// The cdktf app command (`cdktf.json` "app") and `npm run synth`: runs main.ts from a bundle that is
// rebuilt only when one of its inputs changed. Loading TypeScript through a loader on every synth
// costs more than the synth itself; a cached esbuild bundle costs one stat per input file.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundle = join(root, 'dist', 'app.js');
const inputsFile = join(root, 'dist', 'app.inputs.json');
const require = createRequire(import.meta.url);

function isStale() {
  if (!existsSync(bundle) || !existsSync(inputsFile)) return true;
  const builtAt = statSync(bundle).mtimeMs;
  const inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
  // A new source file only matters once an existing input imports it, which changes that input.
  return inputs.some((file) => !existsSync(join(root, file)) || statSync(join(root, file)).mtimeMs > builtAt);
}

async function build() {
  const esbuild = require('esbuild');
  const result = await esbuild.build({
    entryPoints: [join(root, 'main.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Packages stay in node_modules; the bundle holds our code and the generated bindings it uses.
    packages: 'external',
    metafile: true,
    write: false,
    logLevel: 'error',
  });
  // Written aside and renamed, so that a synth running alongside never loads a half-written bundle.
  mkdirSync(dirname(bundle), { recursive: true });
  const temporary = `${bundle}.${process.pid}.tmp`;
  writeFileSync(temporary, result.outputFiles[0].contents);
  const inputs = Object.keys(result.metafile.inputs).map((file) => relative(root, join(root, file)));
  inputs.push('package-lock.json', 'scripts/app/run.mjs');
  writeFileSync(`${inputsFile}.${process.pid}.tmp`, `${JSON.stringify(inputs, null, 2)}\n`);
  renameSync(`${inputsFile}.${process.pid}.tmp`, inputsFile);
  renameSync(temporary, bundle);
}

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

if (isStale()) await build();
require(bundle);
removeOtherFormat();
