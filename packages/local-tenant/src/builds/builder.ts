// Runs the part of an Action build that takes time: checking its dependencies against the npm registry,
// in the background while the draft answers `pending`, then recording the outcome in one transaction.
// A draft changed meanwhile has a new build id, and the stale outcome is dropped.
import { dueDependencyCheck, findAction, recordBuildOutcome } from '../tenant/actions';
import type { BuildError } from '../tenant/model';
import type { TenantStore } from '../tenant/store';
import { type Dependency, NpmRegistry, type RegistryOptions } from './registry';

export interface BuilderOptions extends RegistryOptions {
  /** Where a failed build is told (the Auth0 UI's place); default: nowhere. */
  log?: (line: string) => void;
}

export class ActionBuilder {
  readonly registry: NpmRegistry;
  private readonly running = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly store: TenantStore,
    private readonly options: BuilderOptions = {},
  ) {
    this.registry = new NpmRegistry(options);
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
    const run = this.errorsOf(dependencies)
      .then((errors) => this.record(actionId, action.name, id, errors))
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

  /** Stops recording outcomes (the store is closing); unfinished checks resume at the next start. */
  close(): void {
    this.closed = true;
  }

  private async errorsOf(dependencies: Dependency[]): Promise<BuildError[]> {
    const resolutions = await Promise.all(dependencies.map((d) => this.registry.resolve(d)));
    return resolutions.flatMap((r) => (r.ok ? [] : [{ id: 'dependency_install_failed', msg: r.message }]));
  }

  private record(actionId: string, name: string, id: string, errors: BuildError[]): void {
    if (this.closed) return;
    const recorded = this.store.transaction((data) => {
      const action = findAction(data, actionId);
      return action ? recordBuildOutcome(action, id, errors) : false;
    });
    if (recorded && errors.length > 0) {
      this.options.log?.(`action "${name}" failed to build: ${errors.map((e) => e.msg).join('; ')}`);
    }
  }
}
