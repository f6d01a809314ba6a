// Action builds that check their dependencies against an npm registry, as Auth0's do: pending while the
// registry is asked and the packages installed, then built, or failed when a package or version does
// not exist (the recorded TestAccAction session: `crypto@17.7.1` ends `failed`). Offline and
// unreachable registries say so. What the install gives the Action: builds/action-dependencies.test.ts.
import { existsSync } from 'node:fs';
import { dependencyCacheDir } from '../../src/builds/install-cache';
import { buildErrors, createAction as create, settled } from '../support/builds';
import { type FakeRegistry, startFakeRegistry } from '../support/fake-registry';
import { expectAuth0Error } from '../support/replies';
import { startTestTenant, type TestTenant, tempDir } from '../support/tenant';

const DEPLOY_REFUSED = "A draft must be in the 'built' state before it can be deployed.";

let registry: FakeRegistry;
let t: TestTenant;

beforeAll(async () => {
  registry = await startFakeRegistry({
    'left-pad': { versions: ['1.0.0', '1.1.0', '1.3.0'] },
    '@acme/tools': { versions: ['2.0.0', '2.1.0-beta.1'], latest: '2.0.0' },
    crypto: { versions: ['0.0.3', '1.0.0', '1.0.1'] },
    'cached-pkg': { versions: ['1.0.0'] },
    'odd-tag': { versions: ['1.0.0'], latest: '../x' },
  });
  t = await startTestTenant({ registry: registry.url });
});

afterAll(async () => {
  await t?.cleanup();
  await registry?.close();
});

describe('dependencies that the registry has', () => {
  it('an exact version, a range, a dist-tag and a scoped package build; the deployed version lists them', async () => {
    const dependencies = [
      { name: 'left-pad', version: '^1.0.0' },
      { name: 'crypto', version: '1.0.0' },
      { name: '@acme/tools', version: 'latest' },
    ];
    const action = await create(t.client, 'deps-ok', dependencies);
    expect(action.status).toBe('pending');
    expect(await settled(t.client, action.id)).toBe('built');
    expect(await buildErrors(t.client, action.id)).toEqual([]);
    const deployed = await t.client.post(`/api/v2/actions/actions/${action.id}/deploy`);
    expect(deployed.status).toBe(200);
    expect(deployed.body.dependencies).toEqual(dependencies);
    expect(registry.checkRequests).toEqual(expect.arrayContaining(['/left-pad', '/@acme%2Ftools']));
    expect(registry.npmRequests).toEqual(
      expect.arrayContaining(['/left-pad/-/left-pad-1.3.0.tgz', '/@acme/tools/-/tools-2.0.0.tgz']),
    );
  });

  it('one package listed with two versions that resolve to one builds; to two, fails naming both', async () => {
    const same = await create(t.client, 'deps-same-twice', [
      { name: 'left-pad', version: '1.3.0' },
      { name: 'left-pad', version: '^1.0.0' },
    ]);
    expect(await settled(t.client, same.id)).toBe('built');
    const two = await create(t.client, 'deps-two-versions', [
      { name: 'left-pad', version: '1.1.0' },
      { name: 'left-pad', version: '^1.0.0' },
    ]);
    expect(await settled(t.client, two.id)).toBe('failed');
    expect(await buildErrors(t.client, two.id)).toEqual([
      'dependency "left-pad" is listed with two versions (1.1.0 and 1.3.0); an Action installs one version of each package',
    ]);
  });
});

describe('dependencies that cannot be installed', () => {
  it('a package that does not exist fails the build, names it, and the draft cannot be deployed', async () => {
    const action = await create(t.client, 'deps-missing', [{ name: 'left-padx', version: '1.0.0' }]);
    expect(await settled(t.client, action.id)).toBe('failed');
    expect(await buildErrors(t.client, action.id)).toEqual([
      `dependency "left-padx@1.0.0": no package "left-padx" in the npm registry ${registry.url}`,
    ]);
    const deploy = await t.client.post(`/api/v2/actions/actions/${action.id}/deploy`);
    expectAuth0Error(deploy, 400, DEPLOY_REFUSED);
    const read = await t.client.get(`/api/v2/actions/actions/${action.id}`);
    expect(read.body.deployed_version).toBeUndefined();
  });

  it('a version no release matches (the recorded crypto@17.7.1) fails, naming the latest one', async () => {
    const action = await create(t.client, 'deps-version', [
      { name: 'left-pad', version: '1.3.0' },
      { name: 'crypto', version: '17.7.1' },
    ]);
    expect(await settled(t.client, action.id)).toBe('failed');
    expect(await buildErrors(t.client, action.id)).toEqual([
      'dependency "crypto@17.7.1": no published version of "crypto" matches "17.7.1" (latest: 1.0.1)',
    ]);
  });

  it('a dist-tag the registry answers with something that is not a version fails, saying so', async () => {
    const action = await create(t.client, 'deps-odd-tag', [{ name: 'odd-tag', version: 'latest' }]);
    expect(await settled(t.client, action.id)).toBe('failed');
    expect(await buildErrors(t.client, action.id)).toEqual([
      `dependency "odd-tag@latest": the npm registry ${registry.url} answered "../x" for it, which is not a version`,
    ]);
  });

  it('a corrected PATCH builds again and deploys: the failure was the draft, not the action', async () => {
    const action = await create(t.client, 'deps-fixed', [{ name: 'left-pad', version: '9.x' }]);
    expect(await settled(t.client, action.id)).toBe('failed');
    const patched = await t.client.patch(`/api/v2/actions/actions/${action.id}`, {
      dependencies: [{ name: 'left-pad', version: '1.x' }],
    });
    expect(patched.body.status).toBe('pending');
    expect(await settled(t.client, action.id)).toBe('built');
    expect(await buildErrors(t.client, action.id)).toEqual([]);
    expect((await t.client.post(`/api/v2/actions/actions/${action.id}/deploy`)).status).toBe(200);
  });
});

describe('asking the registry', () => {
  it('checks once per package per process, installs a set once even for two builds at once, and never asks for an action without dependencies', async () => {
    const before = registry.requests.length;
    const plain = await create(t.client, 'no-deps');
    expect(await settled(t.client, plain.id)).toBe('built');
    expect(registry.requests.slice(before)).toEqual([]);
    const [once, twice] = await Promise.all([
      create(t.client, 'deps-once', [{ name: 'cached-pkg', version: '1.0.0' }]),
      create(t.client, 'deps-twice', [{ name: 'cached-pkg', version: '^1.0.0' }]),
    ]);
    expect(await settled(t.client, once.id)).toBe('built');
    expect(await settled(t.client, twice.id)).toBe('built');
    expect(registry.requests.slice(before).sort()).toEqual([
      '/cached-pkg',
      '/cached-pkg',
      '/cached-pkg/-/cached-pkg-1.0.0.tgz',
    ]);
    expect(registry.checkRequests.filter((path) => path === '/cached-pkg')).toEqual(['/cached-pkg']);
  });

  it('a check still running when the tenant stops is resumed by the next start', async () => {
    const slow = await startFakeRegistry({ 'slow-pkg': { versions: ['1.0.0'] } });
    const dir = tempDir();
    try {
      slow.hold();
      const first = await startTestTenant({ dir, registry: slow.url });
      const action = await create(first.client, 'deps-resumed', [{ name: 'slow-pkg', version: '1.0.0' }]);
      // The registry has not answered: the build waits for it, whatever the time.
      const waiting = await first.client.get(`/api/v2/actions/actions/${action.id}`);
      expect(waiting.body.status).toBe('pending');
      await first.tenant.stop();
      slow.release();
      const second = await startTestTenant({ dir, registry: slow.url });
      try {
        expect(await settled(second.client, action.id)).toBe('built');
      } finally {
        await second.cleanup();
      }
    } finally {
      await slow.close();
    }
  });
});

describe('without the registry', () => {
  it('offline: a build with dependencies fails saying so, without asking; one without builds', async () => {
    const offline = await startTestTenant({ registry: registry.url, offline: true });
    try {
      const before = registry.requests.length;
      const action = await create(offline.client, 'offline-deps', [{ name: 'left-pad', version: '1.0.0' }]);
      expect(await settled(offline.client, action.id)).toBe('failed');
      const [message] = await buildErrors(offline.client, action.id);
      expect(message).toMatch(
        /^dependency "left-pad@1\.0\.0" could not be checked: the local tenant is offline/,
      );
      expect(message).toContain('LOCAL_TENANT_OFFLINE=1');
      const plain = await create(offline.client, 'offline-plain');
      expect(await settled(offline.client, plain.id)).toBe('built');
      expect(registry.requests.length).toBe(before);
      expect(existsSync(dependencyCacheDir(offline.dir))).toBe(false);
    } finally {
      await offline.cleanup();
    }
  });

  it('an unreachable registry fails the build, naming the registry and the offline mode', async () => {
    // A registry that was there and is gone: its port now refuses connections.
    const gone = await startFakeRegistry({});
    await gone.close();
    const url = gone.url;
    const cut = await startTestTenant({ registry: url });
    try {
      const action = await create(cut.client, 'unreachable', [{ name: 'left-pad', version: '1.0.0' }]);
      expect(await settled(cut.client, action.id)).toBe('failed');
      expect(await buildErrors(cut.client, action.id)).toEqual([
        expect.stringMatching(
          new RegExp(`could not be checked: the npm registry ${url} could not be reached \\(ECONNREFUSED\\)`),
        ),
      ]);
      expect((await buildErrors(cut.client, action.id))[0]).toMatch(/start the tenant offline \(--offline/);
    } finally {
      await cut.cleanup();
    }
  });

  it('LOCAL_TENANT_OFFLINE that is not 1/true/0/false is refused, naming it', async () => {
    process.env.LOCAL_TENANT_OFFLINE = 'yes';
    try {
      await expect(startTestTenant()).rejects.toThrow(
        'LOCAL_TENANT_OFFLINE must be 1, true, 0 or false, got "yes"',
      );
    } finally {
      delete process.env.LOCAL_TENANT_OFFLINE;
    }
  });
});

describe('the real npm registry', () => {
  it('builds a published version of a real package and fails the recorded crypto@17.7.1', async () => {
    const real = await startTestTenant({ registry: 'https://registry.npmjs.org' });
    try {
      const ok = await create(real.client, 'real-ok', [{ name: 'lodash', version: '4.17.21' }]);
      const bad = await create(real.client, 'real-bad', [{ name: 'crypto', version: '17.7.1' }]);
      expect(await settled(real.client, ok.id)).toBe('built');
      expect(await settled(real.client, bad.id)).toBe('failed');
      expect(await buildErrors(real.client, bad.id)).toEqual([
        expect.stringMatching(
          /^dependency "crypto@17\.7\.1": no published version of "crypto" matches "17\.7\.1"/,
        ),
      ]);
    } finally {
      await real.cleanup();
    }
  });
});
