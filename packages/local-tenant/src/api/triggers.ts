// Triggers and their ordered bindings over HTTP. PATCH replaces the whole list (new binding ids each
// time, as Auth0 does); only deployed actions that support the trigger can be bound.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { badRequest } from '../server/errors';
import { pageEnvelope } from '../server/paging';
import { json, type RequestContext, type Route } from '../server/request';
import { pagingQuery, parseBody, parsePath, parseQuery } from '../server/validation';
import {
  CURRENT_RUNTIMES,
  currentTriggerVersion,
  DEFAULT_RUNTIME,
  deployedVersion,
  findAction,
  findActionByName,
  TRIGGER_IDS,
  type TriggerId,
  triggerBindings,
} from '../tenant/actions';
import type { Immutable, StoredAction, StoredBinding, TenantData, TenantState } from '../tenant/model';
import { ACTIONS_PAGE_SIZE, boundActionView, mustFindAction } from './actions';

/** The trigger of the URL; unknown ids (`__proto__` included) fail Auth0's path validation. */
function triggerId(ctx: RequestContext): TriggerId {
  return parsePath(z.enum(TRIGGER_IDS), 'triggerId', ctx.params.triggerId, 'An actions extensibility point.');
}

function listTriggers() {
  const triggers = TRIGGER_IDS.map((id) => ({
    id,
    version: currentTriggerVersion(id),
    status: 'CURRENT',
    runtimes: CURRENT_RUNTIMES,
    default_runtime: DEFAULT_RUNTIME,
    compatible_triggers: [],
  }));
  return json(200, { triggers });
}

export function bindingView(data: TenantState, binding: Immutable<StoredBinding>) {
  return {
    id: binding.id,
    trigger_id: binding.trigger_id,
    action: boundActionView(mustFindAction(data, binding.action_id)),
    created_at: binding.created_at,
    updated_at: binding.updated_at,
    display_name: binding.display_name,
  };
}

function getBindings(ctx: RequestContext) {
  const trigger = triggerId(ctx);
  const paging = parseQuery(pagingQuery(ACTIONS_PAGE_SIZE), ctx.query);
  const data = ctx.store.state;
  const views = triggerBindings(data, trigger).map((b) => bindingView(data, b));
  return json(200, pageEnvelope('bindings', views, paging));
}

const bindingsBody = z.strictObject({
  bindings: z.array(
    z.strictObject({
      ref: z.strictObject({
        type: z.enum(['action_id', 'action_name', 'binding_id']),
        value: z.string().min(1),
      }),
      display_name: z.string().optional(),
      secrets: z.array(z.unknown()).optional(),
    }),
  ),
});

type Ref = z.infer<typeof bindingsBody>['bindings'][number]['ref'];

function referencedAction(data: TenantData, ref: Ref, trigger: TriggerId): StoredAction | undefined {
  if (ref.type === 'action_id') return findAction(data, ref.value);
  if (ref.type === 'action_name') return findActionByName(data, ref.value);
  const existing = triggerBindings(data, trigger).find((b) => b.id === ref.value);
  return existing ? findAction(data, existing.action_id) : undefined;
}

function resolveRef(data: TenantData, ref: Ref, trigger: TriggerId): StoredAction {
  const action = referencedAction(data, ref, trigger);
  // 400: the one error status the SDK documents for this PATCH besides auth and rate limit (no 404).
  if (!action) {
    throw badRequest(
      `The action referenced by ${ref.type} "${ref.value}" does not exist.`,
      'inexistent_action',
    );
  }
  if (!action.supported_triggers.some((t) => t.id === trigger)) {
    throw badRequest(
      `The action "${action.name}" does not support the trigger "${trigger}".`,
      'invalid_binding',
    );
  }
  // Auth0's wording (deploy-cli logs it); its errorCode is not known, so none is made up.
  if (!deployedVersion(action))
    throw badRequest('Trying to create a binding for an action that has not been deployed yet.');
  return action;
}

function patchBindings(ctx: RequestContext) {
  const trigger = triggerId(ctx);
  const { bindings } = parseBody(bindingsBody, ctx.body);
  const views = ctx.store.transaction((d) => {
    const now = new Date().toISOString();
    const next: StoredBinding[] = bindings.map((item) => {
      const action = resolveRef(d, item.ref, trigger);
      return {
        id: randomUUID(),
        trigger_id: trigger,
        action_id: action.id,
        display_name: item.display_name || action.name,
        created_at: now,
        updated_at: now,
      };
    });
    d.bindings[trigger] = next;
    return next.map((b) => bindingView(d, b));
  });
  return json(200, { bindings: views });
}

export const triggerRoutes: Route[] = [
  { method: 'GET', pattern: '/api/v2/actions/triggers', handler: listTriggers },
  { method: 'GET', pattern: '/api/v2/actions/triggers/{triggerId}/bindings', handler: getBindings },
  { method: 'PATCH', pattern: '/api/v2/actions/triggers/{triggerId}/bindings', handler: patchBindings },
];
