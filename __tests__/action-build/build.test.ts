import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { ActionBuildError, buildActionCode } from '../../src/action-build/build';
import { ACTION_SOURCE, conditionalMfaCode } from '../../src/stack/conditional-mfa-action';
import { LOGIN_CASES, recordingApi } from '../actions/cases';

/** Loads deployed code the way Auth0 does: a CommonJS module with nothing but its own exports. */
function load(code: string): Record<string, (...args: unknown[]) => unknown> {
  const module = { exports: {} as Record<string, (...args: unknown[]) => unknown> };
  runInNewContext(code, { module, exports: module.exports });
  return module.exports;
}

function writeSource(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'action-build-')), 'action.ts');
  writeFileSync(file, text);
  return file;
}

describe('the deployed artifact', () => {
  it.each(LOGIN_CASES)('$name', async ({ event, settings, challenge }) => {
    const code = conditionalMfaCode({
      flagSource: 'user_metadata',
      provider: 'any',
      allowRememberBrowser: false,
      ...settings,
    });
    const api = recordingApi();
    await load(code).onExecutePostLogin(event, api);
    expect(api.calls).toEqual(challenge ? [challenge] : []);
  });

  it('is plain CommonJS without imports, types or module syntax', () => {
    const code = conditionalMfaCode({
      flagSource: 'app_metadata',
      provider: 'any',
      allowRememberBrowser: false,
    });
    expect(code).not.toMatch(/^\s*(import|export)\b/m);
    expect(code).not.toMatch(/: PostLoginEvent|: ConditionalMfaSettings/);
    expect(code).toContain('exports.onExecutePostLogin = createPostLoginHandler(');
    expect(code).toContain('"flagSource":"app_metadata"');
    expect(code.endsWith('\n')).toBe(true);
  });

  it('is deterministic: the same source and settings give the same text', () => {
    const settings = { flagSource: 'either', provider: 'guardian', allowRememberBrowser: true } as const;
    expect(conditionalMfaCode(settings)).toBe(conditionalMfaCode({ ...settings }));
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
