// main.ts end to end, through the launcher that `npm run synth` and `cdktf synth` run: the shipped configuration,
// the stacks it gives, and what never reaches the synthesized output.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

function synth(env: Record<string, string> = {}): { outdir: string; status: number | null; stderr: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'synth-'));
  const result = spawnSync(process.execPath, ['scripts/app/run.mjs'], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, ...env },
    encoding: 'utf8',
  });
  return { outdir, status: result.status, stderr: result.stderr };
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('main.ts', () => {
  const secrets = {
    AUTH0_CLIENT_ID: 'client-id-Zq7xW2',
    AUTH0_CLIENT_SECRET: 'client-secret-P9vL3kQ8rT',
    AUTH0_API_TOKEN: 'api-token-M4nB6vC1xZ',
    TF_VAR_seed_user_password: 'seed-password-H5gF2dS8',
    TF_VAR_duo_secret_key: 'duo-secret-J7kL0pO3',
    PG_CONN_STR: 'postgres://state:pg-password-R2tY6uI9@db.example/tfstate',
  };
  const run = synth(secrets);

  it('synthesizes one stack per environment file', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const stacks = readdirSync(join(run.outdir, 'stacks')).sort();
    const environments = readdirSync(join(ROOT, 'config'))
      .map((f) => `auth0-${f.replace(/\.json$/, '')}`)
      .sort();
    expect(stacks).toEqual(environments);
  });

  it('matches the reviewed snapshot of each stack (without the machine-specific terraform block)', () => {
    for (const stack of readdirSync(join(run.outdir, 'stacks')).sort()) {
      const json = JSON.parse(readFileSync(join(run.outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
      delete json.terraform;
      expect(json).toMatchSnapshot(stack);
    }
  });

  it('writes no credential, password or connection string anywhere in the output', () => {
    const files = allFiles(run.outdir);
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const [name, value] of Object.entries(secrets)) {
        if (text.includes(value)) throw new Error(`${name} leaked into ${file}`);
      }
    }
  });

  it('refuses a bad configuration with file and field, and writes nothing', () => {
    const configDir = mkdtempSync(join(tmpdir(), 'config-'));
    writeFileSync(join(configDir, 'good.json'), JSON.stringify({ domain: 'good.eu.auth0.com' }));
    writeFileSync(
      join(configDir, 'bad.json'),
      JSON.stringify({ domain: 'bad.eu.auth0.com', mfa: { factors: ['sms'] } }),
    );
    const bad = synth({ CONFIG_DIR: configDir });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(`${join(configDir, 'bad.json')}: mfa.factors[0]: unknown factor`);
    expect(readdirSync(bad.outdir)).toEqual([]);
  });

  it('synthesizes only the environments asked for', () => {
    const some = synth({ ENVIRONMENTS: 'prod' });
    expect(some.status).toBe(0);
    expect(readdirSync(join(some.outdir, 'stacks'))).toEqual(['auth0-prod']);
    expect(() =>
      execFileSync(process.execPath, ['scripts/app/run.mjs'], {
        cwd: ROOT,
        env: { ...process.env, ENVIRONMENTS: 'staging', CDKTF_OUTDIR: some.outdir },
        stdio: 'pipe',
      }),
    ).toThrow(/staging\.json: no such environment file/);
  });
});
