// The launcher of the commands (scripts/app/run.mjs with ./bundle.mjs), in a throwaway project of its
// own: it runs a TypeScript entry as node runs a file, from a bundle it rebuilds exactly when an input
// changed, and two launchers building at once both run the new code.
import { spawn } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';
import { tempDir } from '../support/temp-dirs';

jest.setTimeout(60_000);

interface Launch {
  code: number | null;
  stdout: string;
  stderr: string;
}

function launch(project: string, args: string[]): Promise<Launch> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join('scripts', 'app', 'run.mjs'), ...args], { cwd: project });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function output(project: string, args: string[]): Promise<Record<string, unknown>> {
  const result = await launch(project, args);
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(result.stdout);
}

function write(project: string, file: string, text: string): void {
  mkdirSync(join(project, file, '..'), { recursive: true });
  writeFileSync(join(project, file), text);
}

/**
 * scripts/app as in the project; an entry that imports a module of its own, a package shipped as
 * TypeScript (as the local tenant is) and a plain JavaScript package, which must stay in node_modules.
 */
function project(): string {
  const dir = tempDir('launcher-');
  cpSync(join(PROJECT_ROOT, 'scripts', 'app'), join(dir, 'scripts', 'app'), { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(join(PROJECT_ROOT, 'node_modules', 'esbuild'), join(dir, 'node_modules', 'esbuild'));
  write(dir, 'node_modules/ts-only/package.json', '{"name":"ts-only","main":"index.ts"}');
  write(dir, 'node_modules/ts-only/index.ts', "export const fromTypeScript: string = 'compiled';\n");
  write(dir, 'node_modules/plain-js/package.json', '{"name":"plain-js","main":"index.js"}');
  write(dir, 'node_modules/plain-js/index.js', 'exports.file = __filename;\n');
  write(dir, 'tools/lib.ts', "export const value: string = 'one';\n");
  write(
    dir,
    'tools/tool.ts',
    [
      "import { fromTypeScript } from 'ts-only';",
      "import { file } from 'plain-js';",
      "import { value } from './lib';",
      'if (require.main === module) {',
      '  console.log(JSON.stringify({ argv1: process.argv[1], args: process.argv.slice(2), value, fromTypeScript, file }));',
      '}',
    ].join('\n'),
  );
  return dir;
}

const cache = (dir: string) => join(dir, 'dist', 'bundles');
const manifest = (dir: string) =>
  JSON.parse(readFileSync(join(cache(dir), 'tools-tool.json'), 'utf8')) as { bundle: string };

describe('scripts/app/run.mjs ENTRY ARGS', () => {
  it('runs a TypeScript entry as node runs a file: its arguments, its guard, its packages', async () => {
    const dir = project();
    expect(await output(dir, ['tools/tool.ts', 'plan', '--flag', 'x'])).toEqual({
      argv1: join(dir, 'tools', 'tool.ts'),
      args: ['plan', '--flag', 'x'],
      value: 'one',
      fromTypeScript: 'compiled',
      file: join(dir, 'node_modules', 'plain-js', 'index.js'),
    });
  });

  it('reuses the bundle while no input changes, and rebuilds when one does (even to an older mtime)', async () => {
    const dir = project();
    await output(dir, ['tools/tool.ts']);
    const first = manifest(dir).bundle;
    const builtAt = statSync(join(cache(dir), first)).mtimeMs;
    expect((await output(dir, ['tools/tool.ts'])).value).toBe('one');
    expect(manifest(dir).bundle).toBe(first);
    expect(statSync(join(cache(dir), first)).mtimeMs).toBe(builtAt);

    write(dir, 'tools/lib.ts', "export const value: string = 'two';\n");
    const past = new Date(Date.now() - 3_600_000);
    utimesSync(join(dir, 'tools', 'lib.ts'), past, past);
    expect((await output(dir, ['tools/tool.ts'])).value).toBe('two');
    expect(manifest(dir).bundle).not.toBe(first);
  });

  it('two launchers building at once both run the new code and leave a manifest naming a whole bundle', async () => {
    const dir = project();
    await output(dir, ['tools/tool.ts']);
    write(dir, 'tools/lib.ts', "export const value: string = 'three';\n");
    const runs = await Promise.all([output(dir, ['tools/tool.ts']), output(dir, ['tools/tool.ts'])]);
    expect(runs.map((run) => run.value)).toEqual(['three', 'three']);
    expect(readFileSync(join(cache(dir), manifest(dir).bundle), 'utf8')).toContain('"three"');
    expect(readdirSync(cache(dir)).filter((file) => file.endsWith('.tmp'))).toEqual([]);
  });

  it.each([
    {
      refused: 'an entry that does not compile, naming it',
      file: 'tools/broken.ts',
      source: 'export const broken = (;\n',
      entry: 'tools/broken.ts',
      says: 'tools/broken.ts',
    },
    {
      refused: 'a bundle in which a module other than the entry tests require.main',
      file: 'tools/lib.ts',
      source: 'export const value = String(require.main === module);\n',
      entry: 'tools/tool.ts',
      says: 'tools/lib.ts: only the entry may test require.main',
    },
  ])('refuses $refused, without a stack trace', async ({ file, source, entry, says }) => {
    const dir = project();
    write(dir, file, source);
    const result = await launch(dir, [entry]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(says);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
