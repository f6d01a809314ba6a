// Where state may live when a command runs: never a local file on a CI runner (thrown away after the
// job), unless the environment asks for exactly that; never pg without its connection string.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { program as deployProgram } from '../../../ops/deploy/main';
import { program as driftProgram } from '../../../ops/drift/main';
import { program as planProgram } from '../../../ops/plan/main';
import {
  checkCredentials,
  checkStateBackend,
  inCi,
  loadEnvironment,
} from '../../../ops/stack-command/environment';
import { tempDir } from '../../support/temp-dirs';

function configDir(environments: Record<string, object>): string {
  const dir = tempDir('backend-config-');
  for (const [name, config] of Object.entries(environments)) {
    writeFileSync(join(dir, `${name}.json`), JSON.stringify({ domain: 'tenant.example.com', ...config }));
  }
  return dir;
}

describe('checkStateBackend', () => {
  const dir = configDir({
    dev: {},
    throwaway: { backend: { type: 'local', allowLocalInCi: true } },
    shared: { backend: { type: 'pg', schemaName: 'auth0_shared' } },
  });

  it('refuses local state in CI, naming the file, the environment and what to set', () => {
    expect(() => checkStateBackend(loadEnvironment('dev', dir), { CI: 'true' })).toThrow(
      /dev\.json: backend: "dev" keeps its Terraform state in a local file, and this runs in CI \(CI=true\).*shared backend \(s3, hcp, gcs or pg.*"allowLocalInCi": true/,
    );
  });

  it('lets local state be outside CI, or in CI when the environment allows it', () => {
    expect(() => checkStateBackend(loadEnvironment('dev', dir), {})).not.toThrow();
    expect(() => checkStateBackend(loadEnvironment('dev', dir), { CI: 'false' })).not.toThrow();
    expect(() => checkStateBackend(loadEnvironment('throwaway', dir), { CI: 'true' })).not.toThrow();
  });

  it('refuses pg without PG_CONN_STR, and takes it with', () => {
    const shared = loadEnvironment('shared', dir);
    expect(() => checkStateBackend(shared, { CI: 'true' })).toThrow(/PG_CONN_STR is not set/);
    expect(() => checkStateBackend(shared, { CI: 'true', PG_CONN_STR: 'postgres://h/db' })).not.toThrow();
  });

  it('reads CI the way CI systems set it', () => {
    expect([undefined, '', '0', 'false', 'FALSE'].map((CI) => inCi({ CI }))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(['true', '1', 'TRUE'].map((CI) => inCi({ CI }))).toEqual([true, true, true]);
  });

  it('the example environments in config/ use shared state, and local allows its throwaway state', () => {
    const ci = { CI: 'true', PG_CONN_STR: 'postgres://h/db' };
    for (const name of ['dev', 'prod', 'local']) {
      expect(() => checkStateBackend(loadEnvironment(name), ci)).not.toThrow();
    }
  });
});

describe('plan, deploy and drift in CI with local state', () => {
  const saved = process.env.CI;
  let stderr: string;
  beforeEach(() => {
    process.env.CI = 'true';
    stderr = '';
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    if (saved === undefined) delete process.env.CI;
    else process.env.CI = saved;
    process.exitCode = undefined;
  });

  const commands = [
    ['plan', planProgram, ['plan']],
    ['deploy', deployProgram, []],
    ['drift', driftProgram, ['check']],
  ] as const;
  it.each(
    commands,
  )('%s refuses before anything is synthesized, and says why in its report', async (_, program, verb) => {
    const dir = configDir({ dev: {} });
    const outdir = join(dir, 'out');
    const report = join(dir, 'report.md');
    await program().parseAsync(
      [...verb, 'dev', '--config-dir', dir, '--outdir', outdir, '--report', report],
      {
        from: 'user',
      },
    );
    expect(process.exitCode).toBe(1);
    expect(existsSync(outdir)).toBe(false);
    expect(stderr).toMatch(/"dev" keeps its Terraform state in a local file.*"allowLocalInCi": true/);
    expect(readFileSync(report, 'utf8')).toContain('"allowLocalInCi": true');
  });
});

describe('Auth0 credentials', () => {
  const dir = configDir({ dev: {} });
  const dev = () => loadEnvironment('dev', dir);

  it('takes a client id and secret, or an API token, and no AUTH0_DOMAIN', () => {
    expect(() => checkCredentials(dev(), { AUTH0_CLIENT_ID: 'id', AUTH0_CLIENT_SECRET: 's' })).not.toThrow();
    expect(() => checkCredentials(dev(), { AUTH0_API_TOKEN: 't' })).not.toThrow();
  });

  it('says what is missing, and that the domain comes from the file', () => {
    expect(() => checkCredentials(dev(), { AUTH0_CLIENT_ID: 'id' })).toThrow(
      /AUTH0_CLIENT_SECRET is not set/,
    );
    expect(() => checkCredentials(dev(), { AUTH0_DOMAIN: 'x' })).toThrow(
      /dev\.json: no Auth0 credentials are set: export AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET .*tenant\.example\.com.*AUTH0_DOMAIN is not needed: the domain comes from .*dev\.json/,
    );
  });

  it("applies the Management client's rule: blanks are unset, and names the half of the pair that is missing", () => {
    expect(() => checkCredentials(dev(), { AUTH0_API_TOKEN: '  \n' })).toThrow(
      /no Auth0 credentials are set/,
    );
    expect(() => checkCredentials(dev(), { AUTH0_CLIENT_ID: 'id', AUTH0_CLIENT_SECRET: ' ' })).toThrow(
      /AUTH0_CLIENT_SECRET is not set/,
    );
    expect(() => checkCredentials(dev(), { AUTH0_CLIENT_SECRET: 'the-secret' })).toThrow(
      /dev\.json: AUTH0_CLIENT_ID is not set: export/,
    );
  });

  it('npm run plan without credentials says so, not the provider\'s "AUTH0_DOMAIN is required"', async () => {
    const saved = { ...process.env };
    let stderr = '';
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    try {
      for (const name of ['CI', 'AUTH0_CLIENT_ID', 'AUTH0_CLIENT_SECRET', 'AUTH0_API_TOKEN', 'AUTH0_DOMAIN'])
        delete process.env[name];
      const report = join(dir, 'no-credentials.md');
      await planProgram().parseAsync(['plan', 'dev', '--config-dir', dir, '--report', report], {
        from: 'user',
      });
      expect(process.exitCode).toBe(1);
      expect(stderr).toContain('AUTH0_DOMAIN is not needed');
      expect(readFileSync(report, 'utf8')).not.toContain('AUTH0_DOMAIN is required');
    } finally {
      jest.restoreAllMocks();
      process.env = saved;
      process.exitCode = undefined;
    }
  });
});
