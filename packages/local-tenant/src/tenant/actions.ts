// Actions rules: triggers and their versions, runtimes, builds, deployed versions and bindings.
// Lookups answer `undefined` for what does not exist: the API areas decide what that means over HTTP.
import type {
  BuildError,
  Immutable,
  StoredAction,
  StoredBinding,
  StoredVersion,
  TenantData,
  TenantState,
} from './model';

/** Trigger ids and the versions Auth0 accepts for each. */
export const TRIGGERS = {
  'post-login': ['v1', 'v2', 'v3'],
  'credentials-exchange': ['v1', 'v2'],
  'pre-user-registration': ['v1', 'v2'],
  'post-user-registration': ['v1', 'v2'],
  'post-change-password': ['v1', 'v2'],
  'send-phone-message': ['v1', 'v2'],
  'password-reset-post-challenge': ['v1'],
  'custom-phone-provider': ['v1'],
  'custom-email-provider': ['v1'],
  'custom-token-exchange': ['v1'],
  'event-stream': ['v1'],
} as const satisfies Record<string, readonly string[]>;

export type TriggerId = keyof typeof TRIGGERS;
export const TRIGGER_IDS = Object.keys(TRIGGERS) as [TriggerId, ...TriggerId[]];

/** Own keys only: `__proto__` or `toString` are not triggers. */
export function isTriggerId(id: string): id is TriggerId {
  return Object.hasOwn(TRIGGERS, id);
}

/** The current version of each trigger: the last one Auth0 accepts. */
export function currentTriggerVersion(id: TriggerId): string {
  const versions = TRIGGERS[id];
  return versions[versions.length - 1];
}

export const RUNTIMES = ['node12', 'node16', 'node18', 'node18-actions', 'node22'] as const;
export const DEFAULT_RUNTIME = 'node22';
/** Runtimes a new Action may still pick (the ones the triggers list offers). */
export const CURRENT_RUNTIMES = RUNTIMES.filter((r) => r !== 'node12' && r !== 'node16' && r !== 'node18');

type Data = TenantState;

export function findAction<D extends Data>(data: D, id: string): D['actions'][number] | undefined {
  return data.actions.find((a) => a.id === id);
}

export function findActionByName<D extends Data>(data: D, name: string): D['actions'][number] | undefined {
  return data.actions.find((a) => a.name === name);
}

/** True when another action than `selfId` already has `name` (names are unique in a tenant). */
export function nameTaken(data: Data, name: string, selfId?: string): boolean {
  return data.actions.some((a) => a.name === name && a.id !== selfId);
}

export function deployedVersion<A extends Immutable<StoredAction>>(
  action: A,
): A['versions'][number] | undefined {
  return action.versions.find((v) => v.id === action.deployed_version_id);
}

export function findVersion<A extends Immutable<StoredAction>>(
  action: A,
  versionId: string,
): A['versions'][number] | undefined {
  return action.versions.find((v) => v.id === versionId);
}

export type BuildStatus = 'pending' | 'built' | 'failed';

/**
 * The draft's build status at `now`: builds finish on their own, no read changes state. A build with
 * dependencies stays pending until its registry check is recorded (`recordBuildOutcome`).
 */
export function buildStatus(action: Immutable<StoredAction>, now = Date.now()): BuildStatus {
  const { build } = action;
  if (Date.parse(build.ready_at) > now) return 'pending';
  if (!build.dependencies) return 'built';
  return build.dependencies.outcome?.status ?? 'pending';
}

/** The errors of a failed build (none while it is pending or once built). */
export function buildErrors(action: Immutable<StoredAction>, now = Date.now()): Immutable<BuildError[]> {
  const outcome = action.build.dependencies?.outcome;
  return buildStatus(action, now) === 'failed' && outcome?.status === 'failed' ? outcome.errors : [];
}

/** Starts a new build of the draft, done `delayMs` from now; `id` names its registry check, if it needs one. */
export function startBuild(action: StoredAction, delayMs: number, id: string, now = Date.now()): void {
  action.build = { ready_at: new Date(now + delayMs).toISOString() };
  if (action.dependencies.length > 0) action.build.dependencies = { id };
}

/** The registry check an action's draft waits for: its id, or undefined when none is due. */
export function dueDependencyCheck(action: Immutable<StoredAction>): string | undefined {
  const check = action.build.dependencies;
  return check && !check.outcome ? check.id : undefined;
}

/**
 * Records the outcome of dependency build `id` (`installed`: the key of the installed set); false when the
 * draft changed meanwhile (a newer build).
 */
export function recordBuildOutcome(
  action: StoredAction,
  id: string,
  errors: BuildError[],
  installed?: string,
): boolean {
  const check = action.build.dependencies;
  if (!check || check.id !== id || check.outcome) return false;
  check.outcome =
    errors.length > 0
      ? { status: 'failed', errors }
      : { status: 'built', ...(installed ? { installed } : {}) };
  return true;
}

/** A deep copy of JSON data; unlike structuredClone it also copies a transaction's drafts (proxies). */
const copyJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/** Freezes the draft into a new version and makes it the deployed one (with the draft's installed dependencies). */
export function deployDraft(action: StoredAction, now: string, id: string): StoredVersion {
  const outcome = action.build.dependencies?.outcome;
  const version: StoredVersion = {
    id,
    number: action.versions.length + 1,
    code: action.code,
    dependencies: copyJson(action.dependencies),
    runtime: action.runtime,
    secrets: copyJson(action.secrets),
    supported_triggers: copyJson(action.supported_triggers),
    created_at: now,
    updated_at: now,
    built_at: now,
  };
  if (outcome?.status === 'built' && outcome.installed) version.installed_dependencies = outcome.installed;
  action.versions.push(version);
  action.deployed_version_id = version.id;
  action.all_changes_deployed = true;
  return version;
}

/** The ordered bindings of a trigger (empty when none were ever set). */
export function triggerBindings<D extends Data>(data: D, trigger: string): D['bindings'][string] {
  return (Object.hasOwn(data.bindings, trigger) ? data.bindings[trigger] : []) as D['bindings'][string];
}

/** The triggers an action is bound to. */
export function boundTriggers(data: Data, actionId: string): string[] {
  return Object.entries(data.bindings)
    .filter(([, list]) => list.some((b) => b.action_id === actionId))
    .map(([trigger]) => trigger);
}

/** Removes an action and every binding to it. */
export function deleteAction(data: TenantData, actionId: string): void {
  for (const trigger of boundTriggers(data, actionId)) {
    data.bindings[trigger] = data.bindings[trigger].filter((b: StoredBinding) => b.action_id !== actionId);
  }
  data.actions = data.actions.filter((a) => a.id !== actionId);
}
