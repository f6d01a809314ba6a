// Counts the npm CLI's runs: an `npm` first on PATH that writes its arguments to a log, then runs the
// real npm. What the tenant starts is then visible (an install, or none at all).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { useTempDir } from './tenant';

export interface NpmSpy {
  /** The argument lines of every npm run since the file's tests began. */
  runs(): string[];
}

export function useNpmSpy(): NpmSpy {
  const dir = useTempDir('npm-spy-');
  const savedPath = process.env.PATH;
  const log = () => join(dir.path, 'runs.log');
  beforeAll(() => {
    const real = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
    if (!real) throw new Error('npm is not on PATH: the tests of dependency installs need the npm CLI');
    const shim = join(dir.path, 'npm');
    writeFileSync(shim, `#!/bin/sh\necho "$*" >> '${log()}'\nexec '${real}' "$@"\n`);
    chmodSync(shim, 0o755);
    process.env.PATH = `${dir.path}${delimiter}${savedPath}`;
  });
  afterAll(() => {
    process.env.PATH = savedPath;
  });
  return {
    runs: () =>
      existsSync(log())
        ? readFileSync(log(), 'utf8')
            .split('\n')
            .filter((line) => line)
        : [],
  };
}
