// Actions: drafts, builds, deployed versions. The build is instant: a new or changed draft answers
// `pending` in the write response and is `built` from the next time anything looks at it.
import { randomUUID } from 'node:crypto';
import {
  ApiError,
  badRequest,
  json,
  noContent,
  notFound,
  nowIso,
  queryBool,
  queryInt,
  type RequestContext,
  type Route,
} from '../http';
import type {
  ActionTriggerRef,
  JsonMap,
  StoredAction,
  StoredSecret,
  StoredVersion,
  TenantData,
} from '../store';
import { checkType, isPlainObject, objectBody, payloadError, rejectUnknown, requireProps } from './validate';

/** Trigger ids and the versions Auth0 accepts for each. */
export const TRIGGERS: Record<string, string[]> = {
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
};

export const CURRENT_TRIGGER_VERSION: Record<string, string> = {
  'post-login': 'v3',
  'credentials-exchange': 'v2',
  'pre-user-registration': 'v2',
  'post-user-registration': 'v2',
  'post-change-password': 'v2',
  'send-phone-message': 'v2',
  'password-reset-post-challenge': 'v1',
  'custom-phone-provider': 'v1',
  'custom-email-provider': 'v1',
  'custom-token-exchange': 'v1',
  'event-stream': 'v1',
};

export const RUNTIMES = ['node12', 'node16', 'node18', 'node18-actions', 'node22'];
export const DEFAULT_RUNTIME = 'node22';

const WRITABLE = ['name', 'supported_triggers', 'code', 'dependencies', 'runtime', 'secrets', 'modules'];

// ---- views -------------------------------------------------------------------------------------

function secretsView(secrets: StoredSecret[]) {
  return secrets.map((s) => ({ name: s.name, updated_at: s.updated_at }));
}

function deployedVersion(action: StoredAction): StoredVersion | undefined {
  return action.versions.find((v) => v.id === action.deployed_version_id);
}

export function versionView(version: StoredVersion, deployed: boolean): JsonMap {
  return {
    code: version.code,
    dependencies: version.dependencies,
    id: version.id,
    deployed,
    number: version.number,
    built_at: version.built_at,
    secrets: secretsView(version.secrets),
    status: 'built',
    created_at: version.created_at,
    updated_at: version.updated_at,
    runtime: version.runtime,
    supported_triggers: version.supported_triggers,
  };
}

function currentVersionView(version: StoredVersion): JsonMap {
  return {
    id: version.id,
    code: version.code,
    runtime: version.runtime,
    status: 'BUILT',
    number: version.number,
    build_time: version.built_at,
    created_at: version.created_at,
    updated_at: version.updated_at,
  };
}

/** The fields every view of an action starts with (order as recorded). */
function actionSummary(action: StoredAction): JsonMap {
  return {
    id: action.id,
    name: action.name,
    supported_triggers: action.supported_triggers,
    created_at: action.created_at,
    updated_at: action.updated_at,
  };
}

/** Adds the deployed version (when there is one) and `all_changes_deployed`, which views end with. */
function withDeployment(action: StoredAction, out: JsonMap): JsonMap {
  const deployed = deployedVersion(action);
  if (deployed) {
    out.current_version = currentVersionView(deployed);
    out.deployed_version = versionView(deployed, true);
  }
  out.all_changes_deployed = action.all_changes_deployed;
  return out;
}

export function actionView(action: StoredAction): JsonMap {
  const out: JsonMap = {
    ...actionSummary(action),
    code: action.code,
    dependencies: action.dependencies,
    runtime: action.runtime,
    status: action.status,
    secrets: secretsView(action.secrets),
  };
  if (action.modules) out.modules = action.modules;
  return withDeployment(action, out);
}

/** The action as it appears inside a trigger binding: no draft code, versions included. */
export function boundActionView(action: StoredAction): JsonMap {
  return withDeployment(action, actionSummary(action));
}

/**
 * Auth0's list envelope as recorded: `total` only on a page that has items, `page` only when not 0,
 * `per_page` always. The Go SDK's pager (`total > start + limit`) then stops after one empty page.
 */
export function pageEnvelope<T>(key: string, items: T[], ctx: RequestContext): JsonMap {
  const page = queryInt(ctx.query, 'page', 0, 0, 100000);
  const perPage = queryInt(ctx.query, 'per_page', 50, 1, 100);
  const slice = items.slice(page * perPage, page * perPage + perPage);
  const out: JsonMap = { [key]: slice };
  if (slice.length > 0) out.total = items.length;
  if (page > 0) out.page = page;
  out.per_page = perPage;
  return out;
}

// ---- lookups -----------------------------------------------------------------------------------

export function findAction(data: TenantData, id: string): StoredAction {
  const action = data.actions.find((a) => a.id === id);
  if (!action) throw notFound('The action does not exist.', 'inexistent_action');
  return action;
}

/** The build finishes as soon as someone observes the draft; returns true when that changed it. */
export function settleBuild(action: StoredAction): boolean {
  if (action.status === 'built') return false;
  action.status = 'built';
  return true;
}

export function boundTriggers(data: TenantData, actionId: string): string[] {
  return Object.entries(data.bindings)
    .filter(([, list]) => list.some((b) => b.action_id === actionId))
    .map(([trigger]) => trigger);
}

/** Deployed code and secrets (with values) of an action: what a trigger runs. */
export function deployedSnapshot(action: StoredAction): StoredVersion | undefined {
  return deployedVersion(action);
}

// ---- validation --------------------------------------------------------------------------------

function parseTriggers(value: unknown): ActionTriggerRef[] {
  if (!Array.isArray(value))
    throw payloadError(`Expected type array but found type ${typeof value}`, 'supported_triggers');
  if (value.length === 0) throw payloadError('Array is too short (0), minimum 1', 'supported_triggers');
  return value.map((item) => {
    if (!isPlainObject(item)) throw payloadError('Expected type object', 'supported_triggers');
    rejectUnknown(item, ['id', 'version'], 'supported_triggers');
    const id = item.id;
    const version = item.version;
    if (typeof id !== 'string' || !(id in TRIGGERS)) {
      throw payloadError(`No enum match for: ${JSON.stringify(id)}`, 'supported_triggers.id');
    }
    if (typeof version !== 'string')
      throw payloadError('Missing required property: version', 'supported_triggers');
    if (!TRIGGERS[id].includes(version)) {
      throw badRequest(`Trigger "${id}" does not support version "${version}".`, 'invalid_body');
    }
    return { id, version };
  });
}

function parseDependencies(value: unknown): JsonMap[] {
  if (!Array.isArray(value)) throw payloadError('Expected type array', 'dependencies');
  return value.map((dep) => {
    if (!isPlainObject(dep)) throw payloadError('Expected type object', 'dependencies');
    rejectUnknown(dep, ['name', 'version', 'registry_url'], 'dependencies');
    if (typeof dep.name !== 'string' || dep.name === '')
      throw payloadError('Missing required property: name', 'dependencies');
    if (typeof dep.version !== 'string')
      throw payloadError('Missing required property: version', 'dependencies');
    const out: JsonMap = { name: dep.name, version: dep.version };
    if (typeof dep.registry_url === 'string') out.registry_url = dep.registry_url;
    return out;
  });
}

function parseSecrets(value: unknown, now: string): StoredSecret[] {
  if (!Array.isArray(value)) throw payloadError('Expected type array', 'secrets');
  const seen = new Set<string>();
  return value.map((secret) => {
    if (!isPlainObject(secret)) throw payloadError('Expected type object', 'secrets');
    rejectUnknown(secret, ['name', 'value'], 'secrets');
    if (typeof secret.name !== 'string' || secret.name === '')
      throw payloadError('Missing required property: name', 'secrets');
    if (typeof secret.value !== 'string') throw payloadError('Missing required property: value', 'secrets');
    if (seen.has(secret.name)) throw badRequest(`Duplicate secret name: ${secret.name}`, 'invalid_body');
    seen.add(secret.name);
    return { name: secret.name, value: secret.value, updated_at: now };
  });
}

function parseRuntime(value: unknown): string {
  if (typeof value !== 'string' || !RUNTIMES.includes(value)) {
    throw payloadError(`No enum match for: ${JSON.stringify(value)}`, 'runtime');
  }
  return value;
}

function checkName(data: TenantData, name: string, selfId?: string): void {
  if (data.actions.some((a) => a.name === name && a.id !== selfId)) {
    throw new ApiError(409, `An action with the name "${name}" already exists.`, 'action_conflict');
  }
}

// ---- handlers ----------------------------------------------------------------------------------

function createAction(ctx: RequestContext) {
  const body = objectBody(ctx.body);
  rejectUnknown(body, WRITABLE);
  requireProps(body, ['name', 'supported_triggers']);
  checkType(body, 'name', 'string');
  checkType(body, 'code', 'string');
  checkType(body, 'modules', 'array');
  const now = nowIso();
  const action: StoredAction = {
    id: randomUUID(),
    name: body.name as string,
    supported_triggers: parseTriggers(body.supported_triggers),
    code: (body.code as string | undefined) ?? '',
    dependencies: body.dependencies === undefined ? [] : parseDependencies(body.dependencies),
    runtime: body.runtime === undefined ? DEFAULT_RUNTIME : parseRuntime(body.runtime),
    secrets: body.secrets === undefined ? [] : parseSecrets(body.secrets, now),
    created_at: now,
    updated_at: now,
    status: 'pending',
    versions: [],
    all_changes_deployed: false,
  };
  if ((action.name as string).length === 0)
    throw payloadError('String is too short (0 chars), minimum 1', 'name');
  if (body.modules !== undefined) action.modules = body.modules as JsonMap[];
  ctx.store.transaction((d) => {
    checkName(d, action.name);
    d.actions.push(action);
  });
  return json(201, actionView(action));
}

function readAction(ctx: RequestContext) {
  const action = findAction(ctx.store.data, ctx.params.id);
  if (settleBuild(action)) ctx.store.save();
  return json(200, actionView(action));
}

function updateAction(ctx: RequestContext) {
  const body = objectBody(ctx.body);
  rejectUnknown(body, WRITABLE);
  checkType(body, 'name', 'string');
  checkType(body, 'code', 'string');
  checkType(body, 'modules', 'array');
  const now = nowIso();
  const triggers = body.supported_triggers === undefined ? undefined : parseTriggers(body.supported_triggers);
  const deps = body.dependencies === undefined ? undefined : parseDependencies(body.dependencies);
  const runtime = body.runtime === undefined ? undefined : parseRuntime(body.runtime);
  const secrets = body.secrets === undefined ? undefined : parseSecrets(body.secrets, now);
  const updated = ctx.store.transaction((d) => {
    const action = findAction(d, ctx.params.id);
    if (typeof body.name === 'string') {
      checkName(d, body.name, action.id);
      action.name = body.name;
    }
    if (triggers) action.supported_triggers = triggers;
    if (typeof body.code === 'string') action.code = body.code;
    if (deps) action.dependencies = deps;
    if (runtime) action.runtime = runtime;
    if (secrets) action.secrets = secrets;
    if (body.modules !== undefined) action.modules = body.modules as JsonMap[];
    action.updated_at = now;
    action.status = 'pending';
    action.all_changes_deployed = false;
    return action;
  });
  return json(200, actionView(updated));
}

function deleteAction(ctx: RequestContext) {
  const force = queryBool(ctx.query, 'force') ?? false;
  ctx.store.transaction((d) => {
    const action = findAction(d, ctx.params.id);
    const triggers = boundTriggers(d, action.id);
    if (triggers.length > 0 && !force) {
      throw new ApiError(
        409,
        `The action "${action.name}" is bound to the trigger(s) ${triggers.join(', ')}: remove its bindings before deleting it, or delete with force=true.`,
        'action_bound',
      );
    }
    for (const trigger of triggers)
      d.bindings[trigger] = d.bindings[trigger].filter((b) => b.action_id !== action.id);
    d.actions = d.actions.filter((a) => a.id !== action.id);
  });
  return noContent();
}

function deploy(ctx: RequestContext) {
  const { version, action } = ctx.store.transaction((d) => {
    const action = findAction(d, ctx.params.id);
    settleBuild(action);
    const now = nowIso();
    const version: StoredVersion = {
      id: randomUUID(),
      number: action.versions.length + 1,
      code: action.code,
      dependencies: structuredClone(action.dependencies),
      runtime: action.runtime,
      secrets: structuredClone(action.secrets),
      supported_triggers: structuredClone(action.supported_triggers),
      created_at: now,
      updated_at: now,
      built_at: now,
    };
    action.versions.push(version);
    action.deployed_version_id = version.id;
    action.all_changes_deployed = true;
    return { version, action };
  });
  // As recorded: the deploy answer says `deployed: false`; the next read shows the deployed version.
  return json(200, {
    ...versionView(version, false),
    action: { ...actionSummary(action), all_changes_deployed: false },
  });
}

function listActions(ctx: RequestContext) {
  const name = ctx.query.get('actionName');
  const trigger = ctx.query.get('triggerId');
  const deployed = queryBool(ctx.query, 'deployed');
  let changed = false;
  const items = ctx.store.data.actions
    .filter((a) => name === null || a.name === name)
    .filter((a) => trigger === null || a.supported_triggers.some((t) => t.id === trigger))
    .filter((a) => deployed === undefined || (a.deployed_version_id !== undefined) === deployed)
    .map((a) => {
      changed = settleBuild(a) || changed;
      return actionView(a);
    });
  if (changed) ctx.store.save();
  return json(200, pageEnvelope('actions', items, ctx));
}

function listVersions(ctx: RequestContext) {
  const action = findAction(ctx.store.data, ctx.params.id);
  const versions = [...action.versions]
    .reverse()
    .map((v) => ({ ...versionView(v, v.id === action.deployed_version_id), action_id: action.id }));
  return json(200, pageEnvelope('versions', versions, ctx));
}

function readVersion(ctx: RequestContext) {
  const action = findAction(ctx.store.data, ctx.params.id);
  const version = action.versions.find((v) => v.id === ctx.params.versionId);
  if (!version) throw notFound('The action version does not exist.', 'inexistent_action_version');
  return json(200, {
    ...versionView(version, version.id === action.deployed_version_id),
    action_id: action.id,
  });
}

function deployVersion(ctx: RequestContext) {
  const result = ctx.store.transaction((d) => {
    const action = findAction(d, ctx.params.id);
    const version = action.versions.find((v) => v.id === ctx.params.versionId);
    if (!version) throw notFound('The action version does not exist.', 'inexistent_action_version');
    action.deployed_version_id = version.id;
    action.all_changes_deployed = version.code === action.code && version.runtime === action.runtime;
    return { ...versionView(version, true), action_id: action.id };
  });
  return json(200, result);
}

export const actionRoutes: Route[] = [
  { method: 'GET', pattern: '/api/v2/actions/actions', handler: listActions },
  { method: 'POST', pattern: '/api/v2/actions/actions', handler: createAction },
  { method: 'GET', pattern: '/api/v2/actions/actions/{id}', handler: readAction },
  { method: 'PATCH', pattern: '/api/v2/actions/actions/{id}', handler: updateAction },
  { method: 'DELETE', pattern: '/api/v2/actions/actions/{id}', handler: deleteAction },
  { method: 'POST', pattern: '/api/v2/actions/actions/{id}/deploy', handler: deploy },
  { method: 'GET', pattern: '/api/v2/actions/actions/{id}/versions', handler: listVersions },
  { method: 'GET', pattern: '/api/v2/actions/actions/{id}/versions/{versionId}', handler: readVersion },
  {
    method: 'POST',
    pattern: '/api/v2/actions/actions/{id}/versions/{versionId}/deploy',
    handler: deployVersion,
  },
];
