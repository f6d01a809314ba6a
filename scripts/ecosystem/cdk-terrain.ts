// CDK Terrain (`cdktn`, the community continuation of CDKTF) as a tested alternative. On a copy of the project
// whose imports are swapped from `cdktf` to `cdktn` (the project's own sources are never edited): `cdktn get`
// regenerates the bindings offline from the committed schema, `cdktn synth` must write the very bytes the cdktf
// synth deployed, and Terraform must plan no change with them against that deployment's state.
// CDK Terrain lives in .tools/cdk-terrain (pinned by scripts/ecosystem/cdk-terrain/), apart from the project's
// dependencies; its CLI needs Node >= 22.19, so it runs on the LTS from scripts/ci/node.sh.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { run, stackDir, toolEnv } from '../../ops/stack-command/terraform';
import { PROJECT_ROOT } from '../../src/paths';
import { copyApp, filesUnder } from '../app/copy';
import { deployProject, planAgainstState, STACK } from './deployed-project';

const PINS = join(PROJECT_ROOT, 'scripts', 'ecosystem', 'cdk-terrain');
const INSTALL = join(PROJECT_ROOT, '.tools', 'cdk-terrain');
const SWAPPED_FROM = /(from\s+|require\()(['"])cdktf\2/g;

async function runOk(command: string, args: string[], cwd: string, env: Record<string, string | undefined>) {
  const result = await run(command, args, { cwd, env });
  if (result.code !== 0) {
    throw new Error(
      `${[command, ...args].join(' ')} failed (exit ${result.code}) in ${cwd}:\n${result.stderr}${result.stdout}`,
    );
  }
  return result;
}

/** npm ci of the pinned CDK Terrain into .tools/cdk-terrain, unless that exact lock is installed already. */
async function installCdkTerrain(): Promise<void> {
  const lock = readFileSync(join(PINS, 'package-lock.json'), 'utf8');
  const installed = join(INSTALL, 'node_modules', '.package-lock.json');
  if (existsSync(installed) && existsSync(join(INSTALL, 'package-lock.json'))) {
    if (readFileSync(join(INSTALL, 'package-lock.json'), 'utf8') === lock) return;
  }
  mkdirSync(INSTALL, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) cpSync(join(PINS, file), join(INSTALL, file));
  await runOk('npm', ['ci', '--no-audit', '--no-fund'], INSTALL, {});
}

/** The Node LTS bin/ folder (installed on first use). */
function ltsBin(): string {
  return execFileSync('bash', [join(PROJECT_ROOT, 'scripts', 'ci', 'node.sh')], { encoding: 'utf8' }).trim();
}

/** A copy of the app importing cdktn instead of cdktf; returns how many imports were swapped. */
export function copyWithCdkTerrain(into: string): number {
  copyApp(into, { node_modules: join(INSTALL, 'node_modules') });
  let swapped = 0;
  for (const file of [
    ...filesUnder(into).filter((f) => f.endsWith('.ts') && !f.startsWith('node_modules')),
  ]) {
    const path = join(into, file);
    const source = readFileSync(path, 'utf8');
    const changed = source.replace(SWAPPED_FROM, (_, lead, quote) => {
      swapped++;
      return `${lead}${quote}cdktn${quote}`;
    });
    if (changed !== source) writeFileSync(path, changed);
  }
  return swapped;
}

/** What a synth writes into a stack folder: not what `terraform init` adds (.terraform/, the lock file). */
const synthesizedFiles = (dir: string) => filesUnder(dir).filter((file) => !file.startsWith('.terraform'));

/**
 * The committed provider schema where `cdktn get` looks for it: cdktf's file name plus `@<cli>-<major.minor>`
 * (e.g. `auth0@~%3E%201.54@terraform-1.11.json`), stamped with the CLI, as cdktn writes its own cache entries.
 */
async function cacheSchemaForCdkTerrain(providersDir: string, terraformBinary: string): Promise<void> {
  const { stdout } = await runOk(terraformBinary, ['version', '-json'], providersDir, {});
  const version: string = JSON.parse(stdout).terraform_version;
  const [major, minor] = version.split('.');
  for (const file of readdirSync(providersDir).filter((f) => f.endsWith('.json'))) {
    const schema = JSON.parse(readFileSync(join(providersDir, file), 'utf8'));
    const cdktnName = file.replace(/\.json$/, `@${encodeURIComponent(`terraform-${major}.${minor}`)}.json`);
    const stamped = { ...schema, cli_name: 'terraform', cli_version: version };
    writeFileSync(join(providersDir, cdktnName), JSON.stringify(stamped));
  }
}

/** A stack file as compared: cdk.tf.json without the synthesizing library's version stamp in its "//" block. */
function comparable(file: string, bytes: Buffer): string {
  if (!file.endsWith('cdk.tf.json')) return bytes.toString('base64');
  const json = JSON.parse(bytes.toString('utf8'));
  if (json['//']?.metadata?.version) json['//'].metadata.version = '(library version)';
  return JSON.stringify(json);
}

/**
 * The files of two synthesized stack folders that differ: missing on one side, or other bytes; for cdk.tf.json
 * other content, since the "//" comment block carries the library's version and cdktn writes `{}` where cdktf wraps
 * an empty object over two lines (Terraform reads neither).
 */
export function differences(expectedDir: string, actualDir: string): string[] {
  const expected = synthesizedFiles(expectedDir);
  const actual = synthesizedFiles(actualDir);
  const all = [...new Set([...expected, ...actual])].sort();
  return all.filter(
    (file) =>
      !expected.includes(file) ||
      !actual.includes(file) ||
      comparable(file, readFileSync(join(expectedDir, file))) !==
        comparable(file, readFileSync(join(actualDir, file))),
  );
}

export interface CdkTerrainResult {
  swappedImports: number;
  differences: string[];
  plan: { code: number; output: string };
  seconds: { install: number; get: number; synth: number; total: number };
}

export async function checkCdkTerrain(): Promise<CdkTerrainResult> {
  const start = performance.now();
  await installCdkTerrain();
  const bin = ltsBin();
  const installed = performance.now();
  const project = await deployProject();
  try {
    const app = join(project.work, 'cdktn-app');
    mkdirSync(app);
    const swappedImports = copyWithCdkTerrain(app);
    const cli = join(INSTALL, 'node_modules', '.bin', 'cdktn');
    const tools = toolEnv();
    const env = {
      ...tools,
      PATH: `${bin}:${tools.PATH ?? process.env.PATH}`,
      CI: '1',
      CHECKPOINT_DISABLE: '1',
      CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1',
      DISABLE_VERSION_CHECK: '1',
      CDKTF_EXPERIMENTAL_PROVIDER_SCHEMA_CACHE_PATH: join(app, 'providers'),
      CONFIG_DIR: project.configDir,
    };
    await cacheSchemaForCdkTerrain(join(app, 'providers'), tools.TERRAFORM_BINARY_NAME);
    const beforeGet = performance.now();
    // No provider mirror: a get that missed the cache would have to download the provider, and fails offline.
    await runOk(cli, ['get'], app, { ...env, TF_CLI_CONFIG_FILE: '/dev/null' });
    const beforeSynth = performance.now();
    const outdir = join(project.work, 'cdktn-out');
    await runOk(cli, ['synth', '--output', outdir], app, env);
    const synthesized = performance.now();
    const dir = stackDir(outdir, STACK);
    return {
      swappedImports,
      differences: differences(stackDir(project.outdir, STACK), dir),
      plan: await planAgainstState(dir, project.env),
      seconds: {
        install: (installed - start) / 1000,
        get: (beforeSynth - beforeGet) / 1000,
        synth: (synthesized - beforeSynth) / 1000,
        total: (performance.now() - start) / 1000,
      },
    };
  } finally {
    await project.stop();
  }
}

if (require.main === module) {
  checkCdkTerrain().then(
    (result) => {
      const failures = [
        ...(result.swappedImports === 0 ? ['no import of cdktf was found to swap'] : []),
        ...result.differences.map((file) => `${file}: differs from the cdktf synth`),
        ...(result.plan.code === 0 ? [] : [`terraform plans changes:\n${result.plan.output}`]),
      ];
      if (failures.length > 0) {
        console.error(`cdk-terrain: ${failures.join('\ncdk-terrain: ')}`);
        process.exit(1);
      }
      const s = result.seconds;
      console.log(
        `cdk-terrain: ${result.swappedImports} imports swapped; cdktn synth identical to cdktf's (but the version stamp); No changes against the deployed state (install ${s.install.toFixed(1)} s, get ${s.get.toFixed(1)} s, synth ${s.synth.toFixed(1)} s, total ${s.total.toFixed(1)} s)`,
      );
    },
    (error: Error) => {
      console.error(`cdk-terrain: ${error.message}`);
      process.exit(1);
    },
  );
}
