import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../src/paths';
import { tempDir } from '../../support/temp-dirs';

// npm start takes no options: --help and stray arguments must answer at once, with nothing started.
function start(args: string[]) {
  const dir = join(tempDir('start-cli-'), 'tenant');
  const result = spawnSync(
    process.execPath,
    [join(PROJECT_ROOT, 'scripts/app/run.mjs'), 'ops/start/main.ts', ...args],
    {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: { ...process.env, LOCAL_TENANT_DIR: dir },
      timeout: 60_000,
    },
  );
  return { ...result, tenantStarted: existsSync(dir) };
}

describe('npm start arguments', () => {
  it('--help prints the usage and starts nothing', () => {
    const result = start(['--help']);
    expect(result.stdout).toContain('Usage: npm start');
    expect(result.status).toBe(0);
    expect(result.tenantStarted).toBe(false);
  });

  it.each([
    ['--port', '9000'],
    ['staging'],
  ])('refuses %s with exit 2, naming it, and starts nothing', (...args) => {
    const result = start(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--port'|too many arguments/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.tenantStarted).toBe(false);
  });
});
