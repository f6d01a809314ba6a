// Runs the part of an Action build that takes time, in the background while the draft answers
// `pending`: checking its dependencies against the npm registry, then installing the exact versions
// found (npm, into the dependency cache), then recording the outcome in one transaction. A draft
// changed meanwhile has a new build id, and the stale outcome is dropped.
import { dueDependencyCheck, findAction, recordBuildOutcome } from '../tenant/actions';
import type { BuildError } from '../tenant/model';
import type { TenantStore } from '../tenant/store';
import { DependencyCache } from './install-cache';
import { type Dependency, NpmRegistry, type RegistryOptions } from './registry';

export interface BuilderOptions extends RegistryOptions {
  /** The dependency cache folder (see install-cache.ts dependencyCacheDir). */
  cacheDir: string;
  /** Where a failed build and a fresh install are told (the Auth0 UI's place); default: nowhere. */
  log?: (line: string) => void;
}

type BuildResult = { errors: BuildError[]; installed?: string; installMs?: number };

const failed = (msg: string): BuildResult => ({ errors: [{ id: 'dependency_install_failed', msg }] });

/** One exact version per package name, as a package.json holds them; a name resolved twice to two versions is an error. */
function oneVersionPerName(resolved: Dependency[]): Dependency[] | string {
  const byName = new Map<string, Dependency>();
  for (const d of resolved) {
    const seen = byName.get(d.name);
    if (seen && seen.version !== d.version) {
      return `dependency "${d.name}" is listed with two versions (${seen.version} and ${d.version}); an Action installs one version of each package`;
    }
    byName.set(d.name, d);
  }
  return [...byName.values()];
}

export class ActionBuilder {
  readonly registry: NpmRegistry;
  readonly cache: DependencyCache;
  private readonly running = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly store: TenantStore,
    private readonly options: BuilderOptions,
  ) {
    this.registry = new NpmRegistry(options);
    this.cache = new DependencyCache(options.cacheDir, this.registry.url);
  }

  /** Starts the registry check the action's draft waits for, if one is due and not already running. */
  check(actionId: string): void {
    const action = findAction(this.store.state, actionId);
    const id = action && dueDependencyCheck(action);
    if (!action || !id || this.running.has(id) || this.closed) return;
    const dependencies = action.dependencies.map((d) => ({
      name: String(d.name),
      version: String(d.version),
    }));
    const run = this.build(dependencies)
      .then((result) => this.record(actionId, action.name, id, result))
      .finally(() => this.running.delete(id));
    this.running.set(id, run);
  }

  /** Resumes the checks a previous run of the tenant left unfinished. */
  resumeAll(): void {
    for (const action of this.store.state.actions) this.check(action.id);
  }

  /** Resolves once every check started so far has recorded its outcome. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  /**
   * Stops recording outcomes (the store is closing) and stops running installs; resolves once they are
   * gone (no npm left running, no staging folder left). Unfinished builds resume at the next start.
   */
  close(): Promise<void> {
    this.closed = true;
    return this.cache.close();
  }

  private async build(dependencies: Dependency[]): Promise<BuildResult> {
    const resolutions = await Promise.all(dependencies.map((d) => this.registry.resolve(d)));
    const resolved: Dependency[] = [];
    const errors: BuildError[] = [];
    resolutions.forEach((r, i) => {
      if (r.ok) resolved.push({ name: dependencies[i].name, version: r.version });
      else errors.push(...failed(r.message).errors);
    });
    if (errors.length > 0) return { errors };
    const exact = oneVersionPerName(resolved);
    if (typeof exact === 'string') return failed(exact);
    const started = Date.now();
    const install = await this.cache.install(exact);
    if (!install.ok) return failed(install.message);
    return {
      errors: [],
      installed: install.key,
      installMs: install.reused ? undefined : Date.now() - started,
    };
  }

  private record(actionId: string, name: string, id: string, result: BuildResult): void {
    if (this.closed) return;
    const { errors, installed } = result;
    const recorded = this.store.transaction((data) => {
      const action = findAction(data, actionId);
      return action ? recordBuildOutcome(action, id, errors, installed) : false;
    });
    if (!recorded) return;
    if (errors.length > 0) {
      this.options.log?.(`action "${name}" failed to build: ${errors.map((e) => e.msg).join('; ')}`);
    } else if (result.installMs !== undefined) {
      this.options.log?.(`action "${name}": dependencies installed in ${result.installMs} ms (${installed})`);
    }
  }
}
