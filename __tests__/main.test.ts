// main.ts end to end, through the launcher that `npm run synth` and `cdktf synth` run: the stacks a configuration
// folder gives, what never reaches the synthesized output, and the refusals. The stacks come from fixtures of
// this test's own (__tests__/fixtures/config), never from the config/ files a team edits.

import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyApp, filesUnder } from '../scripts/app/copy';
import { PROJECT_ROOT } from '../src/paths';
import { tempDir } from './support/temp-dirs';

const FIXTURES = join(__dirname, 'fixtures', 'config');

function synth(env: Record<string, string> = {}): { outdir: string; status: number | null; stderr: string } {
  const outdir = tempDir('synth-');
  const result = spawnSync(process.execPath, ['scripts/app/run.mjs'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, CONFIG_DIR: FIXTURES, ENVIRONMENTS: '', ...env },
    encoding: 'utf8',
  });
  return { outdir, status: result.status, stderr: result.stderr };
}

const stacksOf = (outdir: string) => readdirSync(join(outdir, 'stacks')).sort();
const stacksFor = (configDir: string) =>
  readdirSync(configDir)
    .map((f) => `auth0-${f.replace(/\.json$/, '')}`)
    .sort();

/** A refusal: exit 1, the reason on stderr without a stack trace, and nothing written. */
function expectRefused(run: ReturnType<typeof synth>, message: string): void {
  expect(run.stderr).toContain(message);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.status).toBe(1);
  expect(readdirSync(run.outdir)).toEqual([]);
}

describe('main.ts', () => {
  const secrets = {
    AUTH0_CLIENT_ID: 'client-id-Zq7xW2',
    AUTH0_CLIENT_SECRET: 'client-secret-P9vL3kQ8rT',
    AUTH0_API_TOKEN: 'api-token-M4nB6vC1xZ',
    TF_VAR_seed_user_password: 'seed-password-H5gF2dS8',
    TF_VAR_other_password: 'other-password-Q1wE4rT7',
    TF_VAR_duo_secret_key: 'duo-secret-J7kL0pO3',
    PG_CONN_STR: 'postgres://state:pg-password-R2tY6uI9@db.example/tfstate',
  };
  const run = synth(secrets);

  it('synthesizes one stack per environment file', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(stacksOf(run.outdir)).toEqual(stacksFor(FIXTURES));
  });

  it('matches the reviewed snapshot of each stack (without the machine-specific terraform block)', () => {
    for (const stack of stacksOf(run.outdir)) {
      const json = JSON.parse(readFileSync(join(run.outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
      delete json.terraform;
      expect(json).toMatchSnapshot(stack);
      // The Action code that stack's file() reads, reviewed as the text Auth0 receives.
      const assets = join(run.outdir, 'stacks', stack, 'assets');
      const files = filesUnder(assets);
      expect(files).toHaveLength(1);
      expect(readFileSync(join(assets, files[0]), 'utf8')).toMatchSnapshot(`${stack} ${files[0]}`);
    }
  });

  it('writes no credential, password or connection string anywhere in the output', () => {
    const files = filesUnder(run.outdir);
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const text = readFileSync(join(run.outdir, file), 'utf8');
      for (const [name, value] of Object.entries(secrets)) {
        if (text.includes(value)) throw new Error(`${name} leaked into ${file}`);
      }
    }
  });

  it('synthesizes the project’s own config/ with an environment added: one new file is all it takes', () => {
    const configDir = tempDir('config-');
    for (const file of readdirSync(join(PROJECT_ROOT, 'config')))
      copyFileSync(join(PROJECT_ROOT, 'config', file), join(configDir, file));
    writeFileSync(
      join(configDir, 'staging.json'),
      JSON.stringify({ domain: 'my-company-staging.eu.auth0.com' }),
    );
    const added = synth({ CONFIG_DIR: configDir });
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    expect(stacksOf(added.outdir)).toEqual(stacksFor(configDir));
    expect(stacksOf(added.outdir)).toContain('auth0-staging');
  });

  it('refuses a bad configuration with file and field, and writes nothing', () => {
    const configDir = tempDir('config-');
    writeFileSync(join(configDir, 'good.json'), JSON.stringify({ domain: 'good.eu.auth0.com' }));
    writeFileSync(
      join(configDir, 'bad.json'),
      JSON.stringify({ domain: 'bad.eu.auth0.com:0', mfa: { factors: ['sms'] } }),
    );
    const bad = synth({ CONFIG_DIR: configDir });
    expectRefused(bad, `${join(configDir, 'bad.json')}: mfa.factors[0]: unknown factor`);
    expect(bad.stderr).toContain(`${join(configDir, 'bad.json')}: domain: port 0 is out of range`);
  });

  it('refuses a directory named like an environment file, and writes nothing', () => {
    const configDir = tempDir('config-');
    writeFileSync(join(configDir, 'good.json'), JSON.stringify({ domain: 'good.eu.auth0.com' }));
    mkdirSync(join(configDir, 'x.json'));
    expectRefused(synth({ CONFIG_DIR: configDir }), `${join(configDir, 'x.json')}: is a directory`);
  });

  it('refuses an Action source that does not compile, naming the file, and writes nothing', () => {
    // A copy of the project whose Action has a syntax error, as a developer editing it would have.
    const project = tempDir('project-');
    copyApp(project, {
      node_modules: join(PROJECT_ROOT, 'node_modules'),
      '.gen': join(PROJECT_ROOT, '.gen'),
    });
    appendFileSync(join(project, 'actions', 'conditional-mfa.ts'), '\nexport const broken = (;\n');
    const outdir = tempDir('synth-');
    const result = spawnSync(process.execPath, ['scripts/app/run.mjs'], {
      cwd: project,
      env: { ...process.env, CDKTF_OUTDIR: outdir, CONFIG_DIR: FIXTURES, ENVIRONMENTS: 'prod' },
      encoding: 'utf8',
    });
    expectRefused(
      { outdir, status: result.status, stderr: result.stderr },
      `${join(project, 'actions', 'conditional-mfa.ts')}: does not compile`,
    );
  });

  it('synthesizes only the environments asked for, each once', () => {
    const some = synth({ ENVIRONMENTS: 'prod' });
    expect(some.status).toBe(0);
    expect(stacksOf(some.outdir)).toEqual(['auth0-prod']);
    expectRefused(synth({ ENVIRONMENTS: 'local,local' }), 'ENVIRONMENTS: "local" is listed twice');
    expectRefused(synth({ ENVIRONMENTS: 'nonexistent' }), 'nonexistent.json: no such environment file');
  });
});
