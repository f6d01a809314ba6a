// The dependency cache without a tenant: keys by content, installs that race (two processes on one
// folder are two caches here, sharing nothing in memory), and what a killed install leaves behind.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DependencyCache, installKey, installRoot } from '../../src/builds/install-cache';
import { type FakeRegistry, startFakeRegistry } from '../support/fake-registry';
import { useNpmSpy } from '../support/npm-spy';
import { useTempDir } from '../support/tenant';

jest.setTimeout(120_000);

const npm = useNpmSpy();
const cacheDir = useTempDir('install-cache-', true);
let registry: FakeRegistry;

beforeAll(async () => {
  registry = await startFakeRegistry({ tiny: { versions: ['1.0.0', '1.0.1'] } });
});

afterAll(async () => {
  await registry?.close();
});

const TINY = [{ name: 'tiny', version: '1.0.0' }];

describe('the key of a dependency set', () => {
  it('is the same for the same registry and versions in any order, and differs for another registry or version', () => {
    const a = { name: 'a', version: '1.0.0' };
    const b = { name: 'b', version: '2.0.0' };
    expect(installKey('http://r', [a, b])).toBe(installKey('http://r', [b, a]));
    expect(installKey('http://r', [a, b])).not.toBe(installKey('http://other', [a, b]));
    expect(installKey('http://r', [a])).not.toBe(installKey('http://r', [{ name: 'a', version: '1.0.1' }]));
  });
});

describe('installing', () => {
  it('two caches installing the same set at once both succeed with one complete folder and no staging left', async () => {
    const before = npm.runs().length;
    const [first, second] = await Promise.all([
      new DependencyCache(cacheDir.path, registry.url).install(TINY),
      new DependencyCache(cacheDir.path, registry.url).install(TINY),
    ]);
    const key = installKey(registry.url, TINY);
    expect(first).toEqual({ ok: true, key, reused: false });
    expect(second).toEqual({ ok: true, key, reused: false });
    expect(npm.runs().length - before).toBe(2);
    expect(readdirSync(cacheDir.path)).toEqual([key]);
    const installed = join(installRoot(cacheDir.path, key), 'node_modules', 'tiny', 'package.json');
    expect(JSON.parse(readFileSync(installed, 'utf8')).version).toBe('1.0.0');
    expect(await new DependencyCache(cacheDir.path, registry.url).install(TINY)).toEqual({
      ok: true,
      key,
      reused: true,
    });
  });

  it('removes the staging folder a killed install left, and keeps one of a live process', async () => {
    const gone = spawnSync('true').pid as number;
    const key = installKey(registry.url, TINY);
    const stale = `${'0'.repeat(32)}.tmp-${gone}-abcd`;
    const live = `${'1'.repeat(32)}.tmp-${process.pid}-abcd`;
    mkdirSync(join(cacheDir.path, stale));
    mkdirSync(join(cacheDir.path, live));
    expect(await new DependencyCache(cacheDir.path, registry.url).install(TINY)).toMatchObject({ ok: true });
    expect(readdirSync(cacheDir.path).sort()).toEqual([key, live].sort());
  });
});
