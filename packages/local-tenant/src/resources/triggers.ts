// Triggers and their ordered bindings. PATCH replaces the whole list (new binding ids each time, as
// Auth0 does); only deployed actions that support the trigger can be bound.
import { randomUUID } from 'node:crypto';
import { ApiError, badRequest, json, nowIso, type RequestContext, type Route } from '../http';
import type { StoredBinding, TenantData } from '../store';
import {
  boundActionView,
  CURRENT_TRIGGER_VERSION,
  deployedSnapshot,
  findAction,
  pageEnvelope,
  RUNTIMES,
  settleBuild,
  TRIGGERS,
} from './actions';
import { isPlainObject, objectBody, payloadError, rejectUnknown } from './validate';

function triggerId(ctx: RequestContext): string {
  const id = ctx.params.triggerId;
  if (!(id in TRIGGERS)) {
    throw badRequest(
      `Path validation error: 'No enum match for: ${JSON.stringify(id)}' on property triggerId (An actions extensibility point.).`,
      'invalid_uri',
    );
  }
  return id;
}

function listTriggers() {
  const triggers = Object.entries(CURRENT_TRIGGER_VERSION).map(([id, version]) => ({
    id,
    version,
    status: 'CURRENT',
    runtimes: RUNTIMES.filter((r) => r !== 'node12' && r !== 'node16' && r !== 'node18'),
    default_runtime: 'node22',
    compatible_triggers: [],
  }));
  return json(200, { triggers });
}

export function bindingView(data: TenantData, binding: StoredBinding) {
  const action = findAction(data, binding.action_id);
  return {
    id: binding.id,
    trigger_id: binding.trigger_id,
    action: boundActionView(action),
    created_at: binding.created_at,
    updated_at: binding.updated_at,
    display_name: binding.display_name,
  };
}

/** The ordered bindings of a trigger (empty when none were ever set). */
export function triggerBindings(data: TenantData, trigger: string): StoredBinding[] {
  return data.bindings[trigger] ?? [];
}

function getBindings(ctx: RequestContext) {
  const trigger = triggerId(ctx);
  const data = ctx.store.data;
  const views = triggerBindings(data, trigger).map((b) => bindingView(data, b));
  return json(200, pageEnvelope('bindings', views, ctx));
}

function resolveRef(data: TenantData, ref: Record<string, unknown>, trigger: string) {
  const type = ref.type;
  const value = ref.value;
  if (typeof value !== 'string' || value === '')
    throw payloadError('Missing required property: value', 'bindings.ref');
  let action: ReturnType<typeof findAction> | undefined;
  if (type === 'action_id') action = data.actions.find((a) => a.id === value);
  else if (type === 'action_name') action = data.actions.find((a) => a.name === value);
  else if (type === 'binding_id') {
    const existing = triggerBindings(data, trigger).find((b) => b.id === value);
    action = existing ? data.actions.find((a) => a.id === existing.action_id) : undefined;
  } else {
    throw payloadError(`No enum match for: ${JSON.stringify(type)}`, 'bindings.ref.type');
  }
  if (!action)
    throw new ApiError(
      404,
      `The action referenced by ${type} "${value}" does not exist.`,
      'inexistent_action',
    );
  if (!action.supported_triggers.some((t) => t.id === trigger)) {
    throw badRequest(
      `The action "${action.name}" does not support the trigger "${trigger}".`,
      'invalid_binding',
    );
  }
  if (!deployedSnapshot(action)) {
    throw badRequest(
      `The action "${action.name}" has no deployed version: deploy it before binding it to a trigger.`,
      'action_not_deployed',
    );
  }
  return action;
}

function patchBindings(ctx: RequestContext) {
  const trigger = triggerId(ctx);
  const body = objectBody(ctx.body);
  rejectUnknown(body, ['bindings']);
  if (!Array.isArray(body.bindings)) throw payloadError('Missing required property: bindings');
  const requested = body.bindings;
  const views = ctx.store.transaction((d) => {
    const now = nowIso();
    const next: StoredBinding[] = requested.map((item) => {
      if (!isPlainObject(item)) throw payloadError('Expected type object', 'bindings');
      rejectUnknown(item, ['ref', 'display_name', 'secrets'], 'bindings');
      if (!isPlainObject(item.ref)) throw payloadError('Missing required property: ref', 'bindings');
      rejectUnknown(item.ref, ['type', 'value'], 'bindings.ref');
      if (item.display_name !== undefined && typeof item.display_name !== 'string') {
        throw payloadError('Expected type string', 'bindings.display_name');
      }
      const action = resolveRef(d, item.ref, trigger);
      settleBuild(action);
      return {
        id: randomUUID(),
        trigger_id: trigger,
        action_id: action.id,
        display_name: (item.display_name as string | undefined) || action.name,
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
