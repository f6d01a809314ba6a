// Action dependencies installed at build time, as Auth0's build installs them: the npm CLI puts the
// exact versions the registry resolved into the tenant's dependency cache, once per set, and a login
// runs code that requires them, each deployed version seeing its own set and nothing else.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { dependencyCacheDir } from '../../src/builds/install-cache';
import {
  buildErrors,
  createAction,
  type DependencyRef,
  deployedAction,
  deployWhenBuilt,
  settled,
} from '../support/builds';
import { type FakeRegistry, startFakeRegistry } from '../support/fake-registry';
import { passwordRealmLogin, seedLoginUsers } from '../support/logins';
import { useNpmSpy } from '../support/npm-spy';
import { PACKAGE_ROOT, startTestTenant, type TestTenant } from '../support/tenant';

jest.setTimeout(180_000);

const npm = useNpmSpy();
let registry: FakeRegistry;

beforeAll(async () => {
  registry = await startFakeRegistry({
    greeting: {
      versions: ['1.0.0', '1.1.0', '2.0.0'],
      main: (v) => `exports.greet = (who) => 'hello ' + who + ' from greeting ${v}';\n`,
    },
    // A package that needs its own dependency: npm installs both.
    shouting: {
      versions: ['1.0.0'],
      dependencies: { greeting: '2.0.0' },
      main: () => "module.exports = (who) => require('greeting').greet(who).toUpperCase();\n",
    },
    // A package that requires what it never listed (semver is in this repository's node_modules).
    peeking: {
      versions: ['1.0.0'],
      main: () => "module.exports = () => require('semver').valid('1.0.0');\n",
    },
    modern: { versions: ['3.0.0'], esm: true },
    'corrupt-tarball': { versions: ['1.0.0'], tarball: 'corrupt' },
    'missing-tarball': { versions: ['1.0.0'], tarball: 'missing' },
  });
});

afterAll(async () => {
  await registry?.close();
});

/** A tenant whose folder is inside this package's node_modules: above its cache lie real packages. */
async function tenantInRepository(log?: string[]): Promise<TestTenant> {
  const parent = join(PACKAGE_ROOT, 'node_modules', '.cache');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'deps-test-'));
  const t = await startTestTenant({ dir, registry: registry.url, log: log && ((line) => log.push(line)) });
  await seedLoginUsers(t.client);
  return t;
}

/** Such a tenant for the enclosing describe, and the log lines it wrote; read the fields inside tests. */
function useTenantInRepository(): TestTenant & { log: string[] } {
  const handle = { log: [] as string[] } as TestTenant & { log: string[] };
  beforeAll(async () => {
    Object.assign(handle, await tenantInRepository(handle.log));
  });
  afterAll(async () => {
    await handle.cleanup?.();
  });
  return handle;
}

/** The claims a plain user's login gets from the bound Actions, or the login's error. */
async function loginClaims(t: TestTenant): Promise<Record<string, unknown>> {
  const login = await passwordRealmLogin(t, 'plain@example.com');
  if (login.status !== 200) return { error: login.body.error_description ?? login.text };
  return decodeJwt(login.body.id_token as string);
}

const claimAction = (claim: string, expression: string) =>
  `exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim(${JSON.stringify(claim)}, ${expression}); };`;

const installs = (t: TestTenant) =>
  existsSync(dependencyCacheDir(t.dir)) ? readdirSync(dependencyCacheDir(t.dir)) : [];

const GREETING_1 = [{ name: 'greeting', version: '^1.0.0' }];

describe('a build with dependencies installs them and a login requires them', () => {
  const t = useTenantInRepository();

  it('require of the resolved version, of a package that requires its own dependency, of a built-in, and import()', async () => {
    const code = `
const greeting = require('greeting');
const shout = require('shouting');
const { createHash } = require('crypto');
exports.onExecutePostLogin = async (event, api) => {
  const imported = await import('greeting');
  api.idToken.setCustomClaim('greeting', greeting.greet(event.user.email));
  api.idToken.setCustomClaim('shout', shout('bob'));
  api.idToken.setCustomClaim('hash', createHash('sha256').update('x').digest('hex').slice(0, 8));
  api.idToken.setCustomClaim('imported', imported.greet === greeting.greet);
};`;
    const id = await deployedAction(t.client, 'requires-deps', code, [
      ...GREETING_1,
      { name: 'shouting', version: 'latest' },
    ]);
    await t.client.bind('post-login', [id]);
    const claims = await loginClaims(t);
    expect(claims).toMatchObject({
      greeting: 'hello plain@example.com from greeting 1.1.0',
      shout: 'HELLO BOB FROM GREETING 2.0.0',
      hash: '2d711642',
      imported: true,
    });
    expect(t.log).toEqual([
      expect.stringMatching(/^action "requires-deps": dependencies installed in \d+ ms/),
    ]);
  });

  it('install scripts stay off and only npm runs the install, once per set', () => {
    expect(npm.runs()).toEqual([
      expect.stringContaining('install --ignore-scripts --no-audit --no-fund --omit=dev'),
    ]);
    expect(npm.runs()[0]).toContain(`--registry ${registry.url}`);
    expect(installs(t)).toHaveLength(1);
  });

  it('a second build of the same set (other order, other spelling) reuses the install: no npm run, no registry request', async () => {
    const before = { npm: npm.runs().length, requests: registry.requests.length };
    const id = await deployedAction(
      t.client,
      'same-deps',
      claimAction('g', "require('greeting').greet('x')"),
      [
        { name: 'shouting', version: '1.0.0' },
        { name: 'greeting', version: '1.1.0' },
      ],
    );
    await t.client.bind('post-login', [id]);
    expect(await loginClaims(t)).toMatchObject({ g: 'hello x from greeting 1.1.0' });
    expect(npm.runs().length).toBe(before.npm);
    expect(registry.requests.length).toBe(before.requests);
    expect(installs(t)).toHaveLength(1);
  });

  it('the install survives a restart: a new tenant process on the same folder reuses it, and the deployed Action still requires it', async () => {
    await t.tenant.stop();
    const again = await startTestTenant({ dir: t.dir, registry: registry.url });
    try {
      const before = npm.runs().length;
      expect((await loginClaims(again)).g).toBe('hello x from greeting 1.1.0');
      const { id } = await createAction(
        again.client,
        'after-restart',
        GREETING_1.concat({ name: 'shouting', version: '1.0.0' }),
      );
      expect(await settled(again.client, id)).toBe('built');
      expect(npm.runs().length).toBe(before);
    } finally {
      await again.tenant.stop();
    }
    Object.assign(t, await startTestTenant({ dir: t.dir, registry: registry.url }));
  });

  it('an install the tenant stops midway leaves nothing behind and is done again by the next start', async () => {
    const deps = [{ name: 'greeting', version: '2.0.0' }];
    registry.hold('tarballs');
    const { id } = await createAction(t.client, 'interrupted', deps);
    while (!registry.npmRequests.includes('/greeting/-/greeting-2.0.0.tgz')) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await t.tenant.stop();
    registry.release();
    expect(installs(t)).toHaveLength(1);
    Object.assign(t, await startTestTenant({ dir: t.dir, registry: registry.url }));
    expect(await settled(t.client, id)).toBe('built');
    expect(installs(t)).toHaveLength(2);
  });

  it('a package cannot require what it did not list from the folders above the install', async () => {
    const id = await deployedAction(t.client, 'peeks', claimAction('p', "require('peeking')()"), [
      { name: 'peeking', version: '1.0.0' },
    ]);
    await t.client.bind('post-login', [id]);
    // Node's own walk up from the tenant's folder finds semver; the Action's package must not.
    expect(require.resolve('semver', { paths: [t.dir] })).toBeTruthy();
    expect((await loginClaims(t)).error).toMatch(/^Cannot find module 'semver'/);
  });
});

describe('each deployed version sees its own dependencies only', () => {
  const t = useTenantInRepository();

  it('two Actions with two versions of a package in one login each get theirs; one without dependencies gets none', async () => {
    const one = await deployedAction(
      t.client,
      'greets-1',
      claimAction('one', "require('greeting').greet('a')"),
      GREETING_1,
    );
    const two = await deployedAction(
      t.client,
      'greets-2',
      claimAction('two', "require('greeting').greet('b')"),
      [{ name: 'greeting', version: '2.0.0' }],
    );
    await t.client.bind('post-login', [one, two]);
    expect(await loginClaims(t)).toMatchObject({
      one: 'hello a from greeting 1.1.0',
      two: 'hello b from greeting 2.0.0',
    });
    const none = await deployedAction(
      t.client,
      'greets-none',
      claimAction('none', "require('greeting').greet('c')"),
      [],
    );
    await t.client.bind('post-login', [one, none]);
    expect((await loginClaims(t)).error).toMatch(/^Cannot find module 'greeting'/);
  });

  it('a version deployed later with other dependencies sees its own, and the earlier version, deployed again, its own', async () => {
    const id = await deployedAction(
      t.client,
      'redeployed',
      claimAction('v', "require('greeting').greet('d')"),
      GREETING_1,
    );
    await t.client.bind('post-login', [id]);
    expect((await loginClaims(t)).v).toBe('hello d from greeting 1.1.0');
    const patched = await t.client.patch(`/api/v2/actions/actions/${id}`, {
      dependencies: [{ name: 'greeting', version: '2.0.0' }],
    });
    expect(patched.status).toBe(200);
    await deployWhenBuilt(t.client, id);
    expect((await loginClaims(t)).v).toBe('hello d from greeting 2.0.0');
    const versions = (await t.client.get(`/api/v2/actions/actions/${id}/versions`)).body.versions as Array<{
      id: string;
      number: number;
    }>;
    const first = versions.find((v) => v.number === 1) as { id: string };
    expect((await t.client.post(`/api/v2/actions/actions/${id}/versions/${first.id}/deploy`)).status).toBe(
      200,
    );
    expect((await loginClaims(t)).v).toBe('hello d from greeting 1.1.0');
  });

  it('a deployed version whose install was deleted fails its login, saying so', async () => {
    const id = await deployedAction(
      t.client,
      'deleted',
      claimAction('d', "require('greeting').greet('e')"),
      GREETING_1,
    );
    await t.client.bind('post-login', [id]);
    expect((await loginClaims(t)).d).toBe('hello e from greeting 1.1.0');
    rmSync(dependencyCacheDir(t.dir), { recursive: true });
    expect((await loginClaims(t)).error).toMatch(
      /^the Action's installed dependencies are gone \(no .*\); change and deploy the Action to build it again$/,
    );
  });
});

describe("an ES module package, as each runtime's Node loads it", () => {
  const t = useTenantInRepository();
  const code = `
exports.onExecutePostLogin = async (event, api) => {
  const imported = await import('modern');
  let required;
  try { required = require('modern').version; } catch (error) { required = error.code; }
  api.idToken.setCustomClaim('loaded', imported.version + ' ' + required);
};`;

  it.each([
    ['node18', '3.0.0 ERR_REQUIRE_ESM'],
    ['node22', '3.0.0 3.0.0'],
  ])('%s: import() loads it; require() does what that Node does', async (runtime, loaded) => {
    const id = await deployedAction(
      t.client,
      `modern-${runtime}`,
      code,
      [{ name: 'modern', version: '3.0.0' }],
      runtime,
    );
    await t.client.bind('post-login', [id]);
    expect((await loginClaims(t)).loaded).toBe(loaded);
  });
});

describe('import() is confined to the install as require is', () => {
  const t = useTenantInRepository();
  const code = `
exports.onExecutePostLogin = async (event, api) => {
  const own = await import('greeting');
  let unlisted;
  try { unlisted = (await import('semver')).default.valid('1.0.0'); } catch (error) { unlisted = error.code + ': ' + error.message; }
  api.idToken.setCustomClaim('own', own.greet('f'));
  api.idToken.setCustomClaim('unlisted', unlisted);
};`;

  it.each([
    'node18',
    'node22',
  ])('%s: its own dependency imports; semver, found above the install, does not', async (runtime) => {
    const id = await deployedAction(t.client, `imports-${runtime}`, code, GREETING_1, runtime);
    await t.client.bind('post-login', [id]);
    // Node's own ESM walk up from the tenant's folder would find semver in this repository.
    expect(require.resolve('semver', { paths: [t.dir] })).toBeTruthy();
    const claims = await loginClaims(t);
    expect(claims.own).toBe('hello f from greeting 1.1.0');
    expect(claims.unlisted).toMatch(/^ERR_MODULE_NOT_FOUND: Cannot find package 'semver' imported from /);
  });
});

describe('a dependency npm cannot install fails the build, saying why', () => {
  const t = useTenantInRepository();

  it.each([
    [
      'corrupt-tarball',
      /npm install of "corrupt-tarball@1\.0\.0" from http:\/\/127\.0\.0\.1:\d+ failed: .*(TAR_BAD_ARCHIVE|zlib|incorrect header|EINTEGRITY|unexpected end)/i,
    ],
    [
      'missing-tarball',
      /npm install of "missing-tarball@1\.0\.0" from http:\/\/127\.0\.0\.1:\d+ failed: .*404/,
    ],
  ])("%s: failed, with npm's reason at /local/actions/{id}/build and in the log; nothing half installed", async (name, reason) => {
    const deps: DependencyRef[] = [{ name, version: '1.0.0' }];
    const { id } = await createAction(t.client, `broken-${name}`, deps);
    expect(await settled(t.client, id)).toBe('failed');
    const [message, ...more] = await buildErrors(t.client, id);
    expect(more).toEqual([]);
    expect(message).toMatch(reason);
    expect(t.log).toContainEqual(
      expect.stringContaining(`action "broken-${name}" failed to build: ${message}`),
    );
    expect(installs(t)).toEqual([]);
  });
});

describe('builds that need no install', () => {
  it('without dependencies: no registry request, no npm run, no cache folder; the Action runs', async () => {
    const t = await tenantInRepository();
    try {
      const before = { npm: npm.runs().length, requests: registry.requests.length };
      const id = await deployedAction(
        t.client,
        'plain',
        claimAction('plain', "require('os').EOL.length"),
        [],
      );
      await t.client.bind('post-login', [id]);
      expect((await loginClaims(t)).plain).toBe(1);
      expect(npm.runs().length).toBe(before.npm);
      expect(registry.requests.length).toBe(before.requests);
      expect(existsSync(dependencyCacheDir(t.dir))).toBe(false);
    } finally {
      await t.cleanup();
    }
  });
});
