// `terraform init` once per Terraform block (ops/stack-command/init-cache.ts): a second stack folder with the
// same block gets a copy of what init wrote, and real Terraform deploys from that copy; another backend, or
// a remote backend, or a setting that changes what init does, runs init again. Entries are marked used on
// reuse and pruned; a broken or vanished entry means a real init, not a failed command.
import {
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { initStack, UNUSED_FOR_MS } from '../../ops/stack-command/init-cache';
import { terraformOk } from '../../ops/stack-command/terraform';
import { tempDir } from '../support/temp-dirs';
import { type E2eEnvironment, SEED_PASSWORD, startE2e } from './harness';

jest.setTimeout(180_000);

const INITIALIZED = /Terraform has been successfully initialized/;
const REUSED = /terraform init: reused/;

describe('initStack', () => {
  let e2e: E2eEnvironment;
  let env: Record<string, string>;
  const cache = tempDir('init-cache-');

  beforeAll(async () => {
    e2e = await startE2e('initcache');
    e2e.synth({ users: [{ email: 'alice@example.com', useMfa: true }] });
    env = { ...e2e.tenant.env, TF_VAR_seed_user_password: SEED_PASSWORD };
  });
  afterAll(async () => {
    await e2e?.tenant.stop();
  });

  /** A fresh copy of the synthesized stack folder, as each command synthesizes its own. */
  function freshStack(
    change?: (config: { terraform: { backend: Record<string, unknown> } }) => void,
  ): string {
    const dir = join(tempDir('init-stack-'), 'stack');
    mkdirSync(dir);
    cpSync(e2e.dir, dir, { recursive: true });
    if (change) {
      const config = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8'));
      change(config);
      writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(config));
    }
    return dir;
  }

  it('inits the first folder, copies that init into the next, and Terraform deploys from the copy', async () => {
    const first = await initStack(freshStack(), { cache, env });
    expect(first.stdout).toMatch(INITIALIZED);
    expect(readdirSync(cache)).toHaveLength(1);

    const dir = freshStack();
    const second = await initStack(dir, { cache, env });
    expect(second).toEqual({ code: 0, stdout: expect.stringMatching(REUSED), stderr: '' });
    await terraformOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color'], { env });
    const again = await terraformOk(dir, ['plan', '-detailed-exitcode', '-input=false', '-no-color'], {
      env,
    });
    expect(again.stdout).toMatch(/No changes/);
  });

  it('runs init again for another backend, always for a remote one, and whenever a setting changes what init does', async () => {
    const otherState = join(tempDir('init-state-'), 'other.tfstate');
    const other = await initStack(
      freshStack((config) => {
        config.terraform.backend = { local: { path: otherState } };
      }),
      { cache, env },
    );
    expect(other.stdout).toMatch(INITIALIZED);
    expect(readdirSync(cache)).toHaveLength(2);

    // A remote backend: init connects to it (here to no server) every time, never from the cache.
    const remote = freshStack((config) => {
      config.terraform.backend = { pg: { conn_str: 'postgres://nobody@127.0.0.1:1/none' } };
    });
    for (let i = 0; i < 2; i++) {
      const pg = await initStack(remote, { cache, env });
      expect(pg.code).not.toBe(0);
      expect(pg.stdout).not.toMatch(REUSED);
    }
    expect(readdirSync(cache)).toHaveLength(2);

    const pluginCache = tempDir('plugin-cache-');
    const withPluginCache = await initStack(freshStack(), {
      cache,
      env: { ...env, TF_PLUGIN_CACHE_DIR: pluginCache },
    });
    expect(withPluginCache.stdout).toMatch(INITIALIZED);
  });

  it('marks an entry used on reuse, prunes the ones unused for 30 days, and runs init when an entry is broken', async () => {
    const own = tempDir('init-cache-own-');
    const first = await initStack(freshStack(), { cache: own, env });
    expect(first.stdout).toMatch(INITIALIZED);
    const [key] = readdirSync(own);
    const longAgo = new Date(Date.now() - UNUSED_FOR_MS / 2);
    utimesSync(join(own, key), longAgo, longAgo);
    // What other Terraform blocks left a long time ago.
    for (let n = 0; n < 3; n++) {
      const old = join(own, n.toString(16).padStart(32, 'a'));
      mkdirSync(join(old, '.terraform'), { recursive: true });
      const unused = new Date(Date.now() - UNUSED_FOR_MS - 3600_000);
      utimesSync(old, unused, unused);
    }

    const reused = await initStack(freshStack(), { cache: own, env });
    expect(reused.stdout).toMatch(REUSED);
    expect(statSync(join(own, key)).mtimeMs).toBeGreaterThan(longAgo.getTime() + 60_000);
    expect(readdirSync(own)).toEqual([key]);

    // Half of it gone (another command pruning it while this one copies, a hand-edited cache).
    rmSync(join(own, key, '.terraform.lock.hcl'));
    const dir = freshStack();
    const broken = await initStack(dir, { cache: own, env });
    expect(broken.code).toBe(0);
    expect(broken.stdout).toMatch(INITIALIZED);
    const plan = await terraformOk(dir, ['plan', '-input=false', '-no-color'], { env });
    expect(plan.code).toBe(0);
    // The broken entry made way for a whole one, which the next command reuses.
    expect(readdirSync(own)).toEqual([key]);
    expect(readdirSync(join(own, key)).sort()).toEqual(['.terraform', '.terraform.lock.hcl']);
    expect((await initStack(freshStack(), { cache: own, env })).stdout).toMatch(REUSED);
  });
});
