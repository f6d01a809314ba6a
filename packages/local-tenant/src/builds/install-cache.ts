// The content-addressed cache of installed Action dependencies: one folder per dependency set (the
// registry and the exact versions), `<cacheDir>/<key>/node_modules`, reused by every build and every
// start that needs the same set. A folder appears by one rename of a finished install, so it is
// complete or absent: builds of the same set share one install within a process, and across
// processes the first rename wins and the other install is dropped.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { processAlive } from '../directory';
import { npmInstall } from './npm-install';
import type { Dependency } from './registry';

/** Where a tenant keeps its installed Action dependencies. */
export function dependencyCacheDir(tenantDir: string): string {
  return join(tenantDir, 'action-dependencies');
}

/** The folder of one installed set (its node_modules is what the Action's `require` sees). */
export function installRoot(cacheDir: string, key: string): string {
  return join(cacheDir, key);
}

/** The same registry and exact versions, in any order, give the same key. */
export function installKey(registry: string, dependencies: Dependency[]): string {
  const set = dependencies.map((d) => `${d.name}@${d.version}`).sort();
  return createHash('sha256').update(JSON.stringify({ registry, set })).digest('hex').slice(0, 32);
}

export type InstallOutcome = { ok: true; key: string; reused: boolean } | { ok: false; message: string };

const STOPPED = 'the tenant stopped before the install finished';
const STAGING = /^[0-9a-f]{32}\.tmp-(\d+)-[0-9a-f]+$/;

async function installedVersion(root: string, name: string): Promise<string | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8'));
    return typeof manifest.version === 'string' ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}

export class DependencyCache {
  private readonly inFlight = new Map<string, Promise<InstallOutcome>>();
  private readonly stopping = new AbortController();
  private swept = false;

  constructor(
    readonly dir: string,
    private readonly registry: string,
  ) {}

  /** Installs exact versions (one per name) unless that set is installed already. */
  install(dependencies: Dependency[]): Promise<InstallOutcome> {
    if (this.stopping.signal.aborted) return Promise.resolve({ ok: false, message: STOPPED });
    const key = installKey(this.registry, dependencies);
    if (existsSync(installRoot(this.dir, key))) return Promise.resolve({ ok: true, key, reused: true });
    let running = this.inFlight.get(key);
    if (!running) {
      running = this.installFresh(key, dependencies).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, running);
    }
    return running;
  }

  /** Stops running installs and refuses new ones (the tenant is closing); resolves once they are gone. */
  async close(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled(this.inFlight.values());
  }

  private async installFresh(key: string, dependencies: Dependency[]): Promise<InstallOutcome> {
    const target = installRoot(this.dir, key);
    const staging = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    const label = dependencies.map((d) => `"${d.name}@${d.version}"`).join(', ');
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await this.sweepOnce();
      await mkdir(staging);
      const failure = await npmInstall({
        dir: staging,
        dependencies,
        registry: this.registry,
        signal: this.stopping.signal,
      });
      if (this.stopping.signal.aborted) return { ok: false, message: STOPPED };
      if (failure)
        return { ok: false, message: `npm install of ${label} from ${this.registry} failed: ${failure}` };
      for (const d of dependencies) {
        const found = await installedVersion(staging, d.name);
        if (found !== d.version) {
          return {
            ok: false,
            message: `npm install of ${label} left ${d.name} at ${found ?? 'nothing'}, not ${d.version}`,
          };
        }
      }
      try {
        await rename(staging, target);
      } catch (error) {
        // Another process installed the same set first: theirs is as good as ours.
        if (!existsSync(target)) throw error;
      }
      return { ok: true, key, reused: false };
    } catch (error) {
      return {
        ok: false,
        message: `could not install ${label} into ${this.dir}: ${(error as Error).message}`,
      };
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  /** Removes the staging folders of installs whose process is gone (killed mid-install). */
  private async sweepOnce(): Promise<void> {
    if (this.swept) return;
    this.swept = true;
    for (const name of await readdir(this.dir)) {
      const pid = STAGING.exec(name)?.[1];
      if (pid && !processAlive(Number(pid))) {
        await rm(join(this.dir, name), { recursive: true, force: true });
      }
    }
  }
}
