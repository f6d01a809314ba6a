// The parts of `terraform show -json <planfile>` that the reports read, and the one way values leave
// it: through `normalizeChange`, which replaces every value marked in before_sensitive /
// after_sensitive by a placeholder before anything else looks at it, so no report can leak one.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A path's mask in *_sensitive / after_unknown: true, or a structure of the value's shape. */
export type Mask = boolean | Mask[] | { [key: string]: Mask } | undefined | null;

export type ChangeAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

export interface PlanChange {
  actions: ChangeAction[];
  before: JsonValue | undefined;
  after: JsonValue | undefined;
  after_unknown?: Mask;
  before_sensitive?: Mask;
  after_sensitive?: Mask;
  replace_paths?: (string | number)[][];
  importing?: { id?: string; identity?: unknown };
}

export interface PlanResourceChange {
  address: string;
  previous_address?: string;
  module_address?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  provider_name?: string;
  change: PlanChange;
  action_reason?: string;
}

export interface PlanJson {
  format_version: string;
  terraform_version?: string;
  resource_drift?: PlanResourceChange[];
  resource_changes?: PlanResourceChange[];
  output_changes?: Record<string, PlanChange>;
  errored?: boolean;
  applyable?: boolean;
  complete?: boolean;
}

export class PlanJsonError extends Error {}

/** Checks the shape just enough that the rest can trust it; throws naming what is wrong. */
export function parsePlanJson(input: unknown): PlanJson {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new PlanJsonError(
      'not a Terraform plan: expected a JSON object from `terraform show -json PLANFILE`',
    );
  }
  const plan = input as Record<string, unknown>;
  if (typeof plan.format_version !== 'string') {
    throw new PlanJsonError('not a Terraform plan: format_version is missing');
  }
  if (!plan.format_version.startsWith('1.')) {
    throw new PlanJsonError(`unsupported plan format_version ${plan.format_version} (expected 1.x)`);
  }
  if (!('planned_values' in plan) && !('resource_changes' in plan) && 'values' in plan) {
    throw new PlanJsonError('this is a state (`terraform show -json` without a plan file), not a plan');
  }
  for (const key of ['resource_changes', 'resource_drift'] as const) {
    const list = plan[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new PlanJsonError(`${key} is not a list`);
    for (const item of list) {
      const rc = item as Partial<PlanResourceChange>;
      if (
        typeof rc?.address !== 'string' ||
        typeof rc.type !== 'string' ||
        !Array.isArray(rc.change?.actions)
      ) {
        throw new PlanJsonError(`${key}: an entry without address, type or change.actions`);
      }
    }
  }
  return plan as unknown as PlanJson;
}

/** What a value marked sensitive is replaced by. Never the value, never its length. */
export const SENSITIVE = '(sensitive value)';
/** What a value not known until apply is replaced by. */
export const UNKNOWN = '(known after apply)';

export type Value = JsonValue | typeof SENSITIVE | typeof UNKNOWN | undefined;

function childMask(mask: Mask, key: string | number): Mask {
  if (mask === true || mask === false || mask === undefined || mask === null) return undefined;
  if (Array.isArray(mask)) return typeof key === 'number' ? mask[key] : undefined;
  return (mask as Record<string, Mask>)[String(key)];
}

/** The value with every sensitive part replaced by SENSITIVE. */
export function redact(value: JsonValue | undefined, sensitive: Mask): JsonValue | undefined {
  if (sensitive === true) return value === undefined || value === null ? value : SENSITIVE;
  if (value === null || value === undefined || typeof value !== 'object') return value;
  if (sensitive === undefined || sensitive === null || sensitive === false) return value;
  if (Array.isArray(value)) return value.map((item, i) => redact(item, childMask(sensitive, i)) ?? null);
  const out: Record<string, JsonValue> = {};
  for (const [key, item] of Object.entries(value)) {
    const r = redact(item, childMask(sensitive, key));
    if (r !== undefined) out[key] = r;
  }
  return out;
}

/** The planned value with the parts only known after apply filled in with UNKNOWN. */
export function withUnknowns(value: JsonValue | undefined, unknown: Mask): JsonValue | undefined {
  if (unknown === true) return UNKNOWN;
  if (unknown === undefined || unknown === null || unknown === false) return value;
  if (Array.isArray(unknown)) {
    const base = Array.isArray(value) ? value : [];
    const length = Math.max(base.length, unknown.length);
    return Array.from({ length }, (_, i) => withUnknowns(base[i], unknown[i]) ?? null);
  }
  const base = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
  const out: Record<string, JsonValue> = { ...base };
  for (const [key, mask] of Object.entries(unknown)) {
    const v = withUnknowns(base[key], mask);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

export interface Change {
  address: string;
  type: string;
  name: string;
  actions: ChangeAction[];
  /** create, update, delete, replace, import, no-op, read, forget */
  kind: ChangeKind;
  importing: boolean;
  before: JsonValue | undefined;
  after: JsonValue | undefined;
  replacePaths: (string | number)[][];
  actionReason?: string;
}

export type ChangeKind = 'create' | 'update' | 'delete' | 'replace' | 'no-op' | 'read' | 'forget';

export function changeKind(actions: ChangeAction[]): ChangeKind {
  if (actions.includes('delete') && actions.includes('create')) return 'replace';
  const [first] = actions;
  return first ?? 'no-op';
}

/** One resource change with sensitive values redacted and unknown values marked: safe to print. */
export function normalizeChange(rc: PlanResourceChange): Change {
  const c = rc.change;
  const before = redact(c.before ?? undefined, c.before_sensitive);
  const after = withUnknowns(redact(c.after ?? undefined, c.after_sensitive), c.after_unknown);
  return {
    address: rc.address,
    type: rc.type,
    name: rc.name,
    actions: c.actions,
    kind: changeKind(c.actions),
    importing: c.importing !== undefined && c.importing !== null,
    before: before ?? undefined,
    after: after ?? undefined,
    replacePaths: c.replace_paths ?? [],
    actionReason: rc.action_reason,
  };
}

export interface LeafChange {
  path: string;
  before: Value;
  after: Value;
}

function isObject(v: unknown): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function joinPath(base: string, key: string | number): string {
  return typeof key === 'number' ? `${base}[${key}]` : base ? `${base}.${key}` : key;
}

/**
 * The leaves that differ between two (already redacted) values, with paths like `phone[0].enabled`.
 * Two SENSITIVE placeholders compare equal: whether a secret changed is not knowable here, and
 * Terraform says so in the full plan.
 */
export function changedLeaves(before: Value, after: Value, path = ''): LeafChange[] {
  if (before === after) return [];
  if (Array.isArray(before) && Array.isArray(after)) {
    const out: LeafChange[] = [];
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) out.push(...changedLeaves(before[i], after[i], joinPath(path, i)));
    return out;
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => changedLeaves(before[key], after[key], joinPath(path, key)));
  }
  if (isEmpty(before) && isEmpty(after)) return [];
  return [{ path: path || '(value)', before, after }];
}

function isEmpty(v: Value): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0);
}

/** Reads `a.b[0].c` from a value. */
export function at(value: Value, ...path: (string | number)[]): Value {
  let v: Value = value;
  for (const key of path) {
    if (typeof key === 'number') v = Array.isArray(v) ? v[key] : undefined;
    else v = isObject(v) ? v[key] : undefined;
    if (v === undefined) return undefined;
  }
  return v;
}
