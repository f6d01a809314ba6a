// Actions over HTTP: drafts, builds, deployed versions. A new or changed draft answers `pending`;
// its build finishes `buildDelayMs` later on its own (reads never change state), and, when it has
// dependencies, once the npm registry said they can be installed (else it is `failed`).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { packageNameProblem } from '../builds/registry';
import { badRequest, conflict, notFound } from '../server/errors';
import { pageEnvelope } from '../server/paging';
import { json, noContent, type RequestContext, type Route } from '../server/request';
import { pagingQuery, parseBody, parseQuery, queryBoolean } from '../server/validation';
import {
  boundTriggers,
  buildErrors,
  buildStatus,
  DEFAULT_RUNTIME,
  deployDraft,
  deployedVersion,
  findAction,
  findVersion,
  nameTaken,
  RUNTIMES,
  deleteAction as removeAction,
  startBuild,
  TRIGGER_IDS,
  TRIGGERS,
} from '../tenant/actions';
import type {
  Immutable,
  JsonMap,
  StoredAction,
  StoredSecret,
  StoredVersion,
  TenantState,
} from '../tenant/model';

// ---- views -------------------------------------------------------------------------------------

type Action = Immutable<StoredAction>;
type Version = Immutable<StoredVersion>;

function secretsView(secrets: Immutable<StoredSecret[]>) {
  return secrets.map((s) => ({ name: s.name, updated_at: s.updated_at }));
}

export function versionView(version: Version, deployed: boolean): JsonMap {
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

// Kept apart from versionView on purpose: Auth0's current_version names and orders the fields its own way.
function currentVersionView(version: Version): JsonMap {
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
function actionSummary(action: Action): JsonMap {
  return {
    id: action.id,
    name: action.name,
    supported_triggers: action.supported_triggers,
    created_at: action.created_at,
    updated_at: action.updated_at,
  };
}

/** Adds the deployed version (when there is one) and `all_changes_deployed`, which views end with. */
function withDeployment(action: Action, out: JsonMap): JsonMap {
  const deployed = deployedVersion(action);
  if (deployed) {
    out.current_version = currentVersionView(deployed);
    out.deployed_version = versionView(deployed, true);
  }
  out.all_changes_deployed = action.all_changes_deployed;
  return out;
}

/** The action as its routes answer; `status` overrides the build status (write answers say pending). */
export function actionView(action: Action, status = buildStatus(action)): JsonMap {
  const out: JsonMap = {
    ...actionSummary(action),
    code: action.code,
    dependencies: action.dependencies,
    runtime: action.runtime,
    status,
    secrets: secretsView(action.secrets),
  };
  if (action.modules) out.modules = action.modules;
  return withDeployment(action, out);
}

/** The action as it appears inside a trigger binding: no draft code, versions included. */
export function boundActionView(action: Action): JsonMap {
  return withDeployment(action, actionSummary(action));
}

// ---- requests ----------------------------------------------------------------------------------

const triggerRef = z
  .strictObject({ id: z.enum(TRIGGER_IDS), version: z.string() })
  .superRefine((ref, issues) => {
    if (!(TRIGGERS[ref.id] as readonly string[]).includes(ref.version)) {
      issues.addIssue({
        code: 'custom',
        message: `Trigger "${ref.id}" does not support version "${ref.version}".`,
      });
    }
  });

const dependency = z.strictObject({
  name: z.string().min(1),
  version: z.string(),
  registry_url: z.string().optional(),
});
const secret = z.strictObject({ name: z.string().min(1), value: z.string() });

const actionFields = {
  name: z.string().min(1),
  supported_triggers: z.array(triggerRef).min(1),
  code: z.string().optional(),
  dependencies: z.array(dependency).optional(),
  runtime: z.enum(RUNTIMES).optional(),
  secrets: z.array(secret).optional(),
  modules: z.array(z.record(z.string(), z.unknown())).optional(),
};
const createBody = z.strictObject(actionFields);
const updateBody = z.strictObject(actionFields).partial();

/** A trigger version the trigger lacks and a duplicate secret are Auth0's plain 400s, not payload errors. */
/** Auth0 gives no wording we found for a bad package name; ours names the field and the rule. */
function checkDependencyNames(dependencies: { name: string }[]): void {
  dependencies.forEach(({ name }, i) => {
    const problem = packageNameProblem(name);
    if (problem) throw badRequest(`Invalid dependencies[${i}].name "${name}": ${problem}.`, 'invalid_body');
  });
}

function parseAction<T extends { secrets?: { name: string }[]; dependencies?: { name: string }[] }>(
  schema: z.ZodType<T>,
  body: unknown,
): T {
  const parsed = schema.safeParse(body);
  const custom = parsed.success ? undefined : parsed.error.issues.find((i) => i.code === 'custom');
  if (custom) throw badRequest(custom.message, 'invalid_body');
  const value = parseBody(schema, body);
  checkDependencyNames(value.dependencies ?? []);
  const names = (value.secrets ?? []).map((s) => s.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw badRequest(`Duplicate secret name: ${duplicate}`, 'invalid_body');
  return value;
}

function storedSecrets(secrets: { name: string; value: string }[], now: string): StoredSecret[] {
  return secrets.map((s) => ({ name: s.name, value: s.value, updated_at: now }));
}

export function mustFindAction<D extends TenantState>(data: D, id: string): D['actions'][number] {
  const action = findAction(data, id);
  if (!action) throw notFound('The action does not exist.', 'inexistent_action');
  return action;
}

function mustFindVersion(action: Action, id: string): Version {
  const version = findVersion(action, id);
  if (!version) throw notFound('The action version does not exist.', 'inexistent_action_version');
  return version;
}

function checkName(data: TenantState, name: string, selfId?: string): void {
  if (nameTaken(data, name, selfId))
    throw conflict(`An action with the name "${name}" already exists.`, 'action_conflict');
}

// ---- handlers ----------------------------------------------------------------------------------

function createAction(ctx: RequestContext) {
  const body = parseAction(createBody, ctx.body);
  const now = new Date().toISOString();
  const action: StoredAction = {
    id: randomUUID(),
    name: body.name,
    supported_triggers: body.supported_triggers,
    code: body.code ?? '',
    dependencies: body.dependencies ?? [],
    runtime: body.runtime ?? DEFAULT_RUNTIME,
    secrets: storedSecrets(body.secrets ?? [], now),
    created_at: now,
    updated_at: now,
    build: { ready_at: now },
    versions: [],
    all_changes_deployed: false,
  };
  if (body.modules !== undefined) action.modules = body.modules;
  startBuild(action, ctx.runtime.buildDelayMs, randomUUID());
  ctx.store.transaction((d) => {
    checkName(d, action.name);
    d.actions.push(action);
  });
  ctx.runtime.builds.check(action.id);
  return json(201, actionView(action, 'pending'));
}

function readAction(ctx: RequestContext) {
  return json(200, actionView(mustFindAction(ctx.store.state, ctx.params.id)));
}

function updateAction(ctx: RequestContext) {
  const body = parseAction(updateBody, ctx.body);
  const now = new Date().toISOString();
  const updated = ctx.store.transaction((d) => {
    const action = mustFindAction(d, ctx.params.id);
    if (body.name !== undefined) {
      checkName(d, body.name, action.id);
      action.name = body.name;
    }
    if (body.supported_triggers) action.supported_triggers = body.supported_triggers;
    if (body.code !== undefined) action.code = body.code;
    if (body.dependencies) action.dependencies = body.dependencies;
    if (body.runtime) action.runtime = body.runtime;
    if (body.secrets) action.secrets = storedSecrets(body.secrets, now);
    if (body.modules !== undefined) action.modules = body.modules;
    action.updated_at = now;
    action.all_changes_deployed = false;
    startBuild(action, ctx.runtime.buildDelayMs, randomUUID());
    return action;
  });
  ctx.runtime.builds.check(updated.id);
  return json(200, actionView(updated, 'pending'));
}

const deleteQuery = z.object({ force: queryBoolean.optional() });

function deleteAction(ctx: RequestContext) {
  const { force = false } = parseQuery(deleteQuery, ctx.query);
  ctx.store.transaction((d) => {
    const action = mustFindAction(d, ctx.params.id);
    const triggers = boundTriggers(d, action.id);
    // Auth0's wording (quoted in the provider's issues); its errorCode is not known, so none is made up.
    if (triggers.length > 0 && !force) throw conflict('Unable to delete an action bound to a trigger.');
    removeAction(d, action.id);
  });
  return noContent();
}

function deploy(ctx: RequestContext) {
  const { version, action } = ctx.store.transaction((d) => {
    const action = mustFindAction(d, ctx.params.id);
    // Auth0's wording (quoted by deploy-cli users and clients that retry on it).
    if (buildStatus(action) !== 'built')
      throw badRequest("A draft must be in the 'built' state before it can be deployed.");
    const version = deployDraft(action, new Date().toISOString(), randomUUID());
    return { version, action };
  });
  // As recorded: the deploy answer says `deployed: false`; the next read shows the deployed version.
  return json(200, {
    ...versionView(version, false),
    action: { ...actionSummary(action), all_changes_deployed: false },
  });
}

/** Auth0's default page size for actions, versions and bindings (the SDK documents 20). */
export const ACTIONS_PAGE_SIZE = 20;

const listQuery = pagingQuery(ACTIONS_PAGE_SIZE).extend({
  actionName: z.string().optional(),
  triggerId: z.string().optional(),
  deployed: queryBoolean.optional(),
  installed: queryBoolean.optional(),
});

function listActions(ctx: RequestContext) {
  const query = parseQuery(listQuery, ctx.query);
  const items = ctx.store.state.actions
    .filter((a) => query.actionName === undefined || a.name === query.actionName)
    .filter(
      (a) => query.triggerId === undefined || a.supported_triggers.some((t) => t.id === query.triggerId),
    )
    .filter((a) => query.deployed === undefined || (a.deployed_version_id !== undefined) === query.deployed)
    // Installed actions come from the Marketplace; the tenant's own never are.
    .filter(() => query.installed !== true)
    .map((a) => actionView(a));
  return json(200, pageEnvelope('actions', items, query));
}

function listVersions(ctx: RequestContext) {
  const paging = parseQuery(pagingQuery(ACTIONS_PAGE_SIZE), ctx.query);
  const action = mustFindAction(ctx.store.state, ctx.params.id);
  const versions = [...action.versions]
    .reverse()
    .map((v) => ({ ...versionView(v, v.id === action.deployed_version_id), action_id: action.id }));
  return json(200, pageEnvelope('versions', versions, paging));
}

function readVersion(ctx: RequestContext) {
  const action = mustFindAction(ctx.store.state, ctx.params.id);
  const version = mustFindVersion(action, ctx.params.versionId);
  return json(200, {
    ...versionView(version, version.id === action.deployed_version_id),
    action_id: action.id,
  });
}

function deployVersion(ctx: RequestContext) {
  const result = ctx.store.transaction((d) => {
    const action = mustFindAction(d, ctx.params.id);
    const version = mustFindVersion(action, ctx.params.versionId);
    action.deployed_version_id = version.id;
    action.all_changes_deployed = version.code === action.code && version.runtime === action.runtime;
    return { ...versionView(version, true), action_id: action.id };
  });
  return json(200, result);
}

/** Actions modules are not modelled: the list is empty, in Auth0's envelope. */
function listModules(ctx: RequestContext) {
  const { page, per_page: perPage } = parseQuery(pagingQuery(50), ctx.query);
  return json(200, { modules: [], total: 0, page, per_page: perPage });
}

/**
 * What Auth0's dashboard shows of a draft's build and the API does not (a failed action has only
 * `status: failed`; the provider says "check the Auth0 UI for errors"): the errors, in ActionError's shape.
 */
function readBuild(ctx: RequestContext) {
  const action = mustFindAction(ctx.store.state, ctx.params.id);
  return json(200, { status: buildStatus(action), errors: buildErrors(action) });
}

export const actionAdminRoutes: Route[] = [
  { method: 'GET', pattern: '/local/actions/{id}/build', handler: readBuild },
];

// A route table is data, one row per path, like every api/ module's (duplicates pairs it with users.ts).
export const actionRoutes: Route[] = [
  { method: 'GET', pattern: '/api/v2/actions/modules', handler: listModules },
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
