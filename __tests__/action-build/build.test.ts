import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { type ConditionalMfaSettings, DEFAULT_SETTINGS } from '../../actions/conditional-mfa';
import { ActionBuildError, buildActionCode } from '../../src/action-build/build';
import { ACTION_SOURCE, conditionalMfaCode } from '../../src/stack/conditional-mfa-action';
import { behavesLikeTheAction } from '../actions/cases';
import { tempDir } from '../support/temp-dirs';

/** Loads deployed code the way Auth0 does: a CommonJS module with nothing but its own exports. */
function load(code: string): Record<string, (...args: unknown[]) => unknown> {
  const module = { exports: {} as Record<string, (...args: unknown[]) => unknown> };
  runInNewContext(code, { module, exports: module.exports });
  return module.exports;
}

function writeSource(text: string): string {
  const file = join(tempDir('action-build-'), 'action.ts');
  writeFileSync(file, text);
  return file;
}

describe('the deployed artifact', () => {
  behavesLikeTheAction(async (settings, event, api) => {
    await load(conditionalMfaCode(settings)).onExecutePostLogin(event, api);
  });

  it('is plain CommonJS without imports, types or module syntax', () => {
    const code = conditionalMfaCode({ ...DEFAULT_SETTINGS, flagSource: 'app_metadata' });
    expect(code).not.toMatch(/^\s*(import|export)\b/m);
    expect(code).not.toMatch(/: PostLoginEvent|: ConditionalMfaSettings/);
    expect(code).toContain('exports.onExecutePostLogin = createPostLoginHandler(');
    expect(code).toContain('"flagSource":"app_metadata"');
    expect(code.endsWith('\n')).toBe(true);
  });

  it('requires nothing at run time: no require(), import() or module syntax', () => {
    const code = conditionalMfaCode({ ...DEFAULT_SETTINGS, flagSource: 'either' });
    expect(code).not.toMatch(/\brequire\s*\(|\bimport\s*\(|^\s*(import|export)\b/m);
  });
});

describe('the build is deterministic', () => {
  const settings: ConditionalMfaSettings = {
    flagSource: 'either',
    provider: 'guardian',
    allowRememberBrowser: true,
    challenge: 'any',
    applications: { scope: 'except', clientIds: ['trusted-app'] },
  };

  it('gives byte-identical text from two cold builds and from the cache', () => {
    const [first, second] = [tempDir('action-build-cache-'), tempDir('action-build-cache-')];
    const cold = conditionalMfaCode(settings, { cacheDir: first });
    // Both caches were empty: esbuild ran each time, and wrote what the next build reads.
    expect(readdirSync(first)).toHaveLength(1);
    expect(conditionalMfaCode(settings, { cacheDir: second })).toBe(cold);
    expect(readdirSync(second)).toHaveLength(1);
    expect(conditionalMfaCode(settings, { cacheDir: first })).toBe(cold);
  });

  it('does not depend on the order of the settings keys', () => {
    const reordered: ConditionalMfaSettings = {
      applications: { clientIds: ['trusted-app'], scope: 'except' },
      challenge: 'any',
      allowRememberBrowser: true,
      provider: 'guardian',
      flagSource: 'either',
    };
    expect(conditionalMfaCode(reordered)).toBe(conditionalMfaCode(settings));
    expect(conditionalMfaCode(settings)).not.toBe(conditionalMfaCode({ ...settings, provider: 'any' }));
  });
});

describe('buildActionCode refusals', () => {
  it('refuses a value import, naming the file', () => {
    const file = writeSource("import { x } from './x';\nexport const onExecutePostLogin = async () => x;\n");
    expect(() => buildActionCode({ sourceFile: file })).toThrow(ActionBuildError);
    expect(() => buildActionCode({ sourceFile: file })).toThrow(/action\.ts: "import .*" is not supported/);
  });

  it('refuses a module without onExecutePostLogin', () => {
    const file = writeSource('export const somethingElse = 1;\n');
    expect(() => buildActionCode({ sourceFile: file })).toThrow(/must export onExecutePostLogin/);
  });

  it('reports a syntax error with the file name', () => {
    const file = writeSource('export const onExecutePostLogin = async (;\n');
    expect(() => buildActionCode({ sourceFile: file })).toThrow(/action\.ts: does not compile/);
  });

  it('keeps renamed exports', () => {
    const file = writeSource('const run = async () => 42;\nexport { run as onExecutePostLogin };\n');
    expect(buildActionCode({ sourceFile: file })).toContain('exports.onExecutePostLogin = run;');
  });

  it('builds the real Action source', () => {
    expect(buildActionCode({ sourceFile: ACTION_SOURCE })).toContain(
      'exports.onExecutePostLogin = onExecutePostLogin;',
    );
  });
});
