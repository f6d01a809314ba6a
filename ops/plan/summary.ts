// What a reviewer needs from a plan, extracted from `terraform show -json`: the MFA policy and
// factors, the Action's code, the Login-flow bindings, the seed users' use_mfa flags, and the rest.
// Every value here went through normalizeChange, so sensitive values are already placeholders.

import { FLAG } from '../../src/config/vocabulary';
import {
  at,
  type Change,
  type ChangeKind,
  changedLeaves,
  type JsonValue,
  type LeafChange,
  normalizeChange,
  type PlanJson,
  SENSITIVE,
  UNKNOWN,
  type Value,
} from '../stack-command/plan-json';
import { unifiedDiff } from './diff';

export const FACTOR_FIELDS = [
  { factor: 'otp', path: ['otp'] },
  { factor: 'email', path: ['email'] },
  { factor: 'recovery_code', path: ['recovery_code'] },
  { factor: 'phone (sms/voice)', path: ['phone', 0, 'enabled'] },
  { factor: 'webauthn_roaming', path: ['webauthn_roaming', 0, 'enabled'] },
  { factor: 'webauthn_platform', path: ['webauthn_platform', 0, 'enabled'] },
  { factor: 'push', path: ['push', 0, 'enabled'] },
  { factor: 'duo', path: ['duo', 0, 'enabled'] },
] as const;

export interface Counts {
  import: number;
  add: number;
  change: number;
  destroy: number;
  forget: number;
}

interface Base {
  address: string;
  kind: ChangeKind;
  importing: boolean;
}

export interface FactorChange {
  factor: string;
  before: Value;
  after: Value;
}

export interface GuardianChange extends Base {
  policy?: { before: Value; after: Value };
  factors: FactorChange[];
  /** Other settings that change (phone provider, webauthn options, ...). */
  settings: LeafChange[];
}

export interface ActionChange extends Base {
  name: string;
  code: 'unchanged' | 'new' | 'changed' | 'removed';
  /** Unified diff of the code, for 'changed'. */
  diff?: string;
  /** Lines added and removed, for 'changed'. */
  added?: number;
  removed?: number;
  /** The code, for 'new'. */
  newCode?: string;
  settings: LeafChange[];
}

export interface Binding {
  id: Value;
  displayName: Value;
}

export interface BindingChange extends Base {
  type: string;
  trigger: string;
  before?: Binding[];
  after?: Binding[];
  removed: Binding[];
  added: Binding[];
  reordered: boolean;
}

export interface UserChange extends Base {
  user: string;
  attribute: 'user_metadata' | 'app_metadata';
  before: Value;
  after: Value;
}

export interface OtherChange extends Base {
  type: string;
  settings: LeafChange[];
}

export interface PlanSummary {
  terraformVersion?: string;
  counts: Counts;
  /** Every resource with something to do (no-op imports included). */
  changes: Change[];
  /** Changes made outside Terraform since the last apply (resource_drift). */
  drift: Change[];
  guardian: GuardianChange[];
  actions: ActionChange[];
  bindings: BindingChange[];
  users: UserChange[];
  others: OtherChange[];
  /** Resources destroyed or replaced. */
  destroys: Change[];
}

const MAX_DIFF_LINES = 20_000;

function str(v: Value): string | undefined {
  return typeof v === 'string' && v !== SENSITIVE && v !== UNKNOWN ? v : undefined;
}

/** Leaves that changed, without the noise: ids and values only known after apply. */
function settingsChanges(c: Change, skip: (path: string) => boolean): LeafChange[] {
  if (c.kind === 'create' || c.kind === 'delete' || (c.kind === 'no-op' && !c.importing)) return [];
  return changedLeaves(c.before, c.after).filter(
    (leaf) => leaf.path !== 'id' && leaf.after !== UNKNOWN && !skip(leaf.path),
  );
}

function summarizeGuardian(c: Change): GuardianChange {
  const factorPaths = new Set(FACTOR_FIELDS.map((f) => f.path.map(String).join('.')));
  const known = c.kind !== 'create';
  const factorValue = (v: Value, path: readonly (string | number)[]): Value => {
    if (v === undefined || v === null) return undefined;
    const value = at(v, ...path);
    // A factor block that is absent or empty is a factor that is off.
    if (value === undefined && path.length > 1) return false;
    return value;
  };
  const factors: FactorChange[] = [];
  for (const { factor, path } of FACTOR_FIELDS) {
    const before = known ? factorValue(c.before, path) : undefined;
    const after = c.kind === 'delete' ? undefined : factorValue(c.after, path);
    if (before !== after || c.kind === 'create') {
      if (c.kind === 'create' && after === false) continue;
      factors.push({ factor, before, after });
    }
  }
  const policyBefore = known ? at(c.before, 'policy') : undefined;
  const policyAfter = c.kind === 'delete' ? undefined : at(c.after, 'policy');
  return {
    address: c.address,
    kind: c.kind,
    importing: c.importing,
    policy: policyBefore !== policyAfter ? { before: policyBefore, after: policyAfter } : undefined,
    factors,
    settings: settingsChanges(c, (path) => {
      const normalized = path.replace(/\[(\d+)\]/g, '.$1');
      return normalized === 'policy' || factorPaths.has(normalized);
    }),
  };
}

function lineCount(text: string): number {
  return text === '' ? 0 : text.replace(/\n$/, '').split('\n').length;
}

function summarizeAction(c: Change): ActionChange {
  const before = str(at(c.before, 'code'));
  const after = str(at(c.after, 'code'));
  const name = str(at(c.after, 'name')) ?? str(at(c.before, 'name')) ?? c.name;
  const out: ActionChange = {
    address: c.address,
    kind: c.kind,
    importing: c.importing,
    name,
    code: 'unchanged',
    settings: settingsChanges(c, (path) => path === 'code' || path === 'version_id'),
  };
  if (c.kind === 'delete') return { ...out, code: 'removed' };
  if (c.kind === 'create' || (before === undefined && after !== undefined && !c.importing)) {
    return { ...out, code: 'new', newCode: after };
  }
  if (before !== undefined && after !== undefined && before !== after) {
    const tooLong = lineCount(before) + lineCount(after) > MAX_DIFF_LINES;
    const diff = tooLong
      ? undefined
      : unifiedDiff(before, after, 3, ['code (deployed)', 'code (this change)']);
    const lines = diff?.split('\n') ?? [];
    return {
      ...out,
      code: 'changed',
      diff,
      added: lines.filter((l) => l.startsWith('+') && !l.startsWith('+++')).length,
      removed: lines.filter((l) => l.startsWith('-') && !l.startsWith('---')).length,
    };
  }
  return out;
}

function bindingsOf(v: Value, type: string): Binding[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (type === 'auth0_trigger_action') {
    return [{ id: at(v, 'action_id'), displayName: at(v, 'display_name') }];
  }
  const actions = at(v, 'actions');
  if (actions === UNKNOWN) return [{ id: UNKNOWN, displayName: UNKNOWN }];
  if (!Array.isArray(actions)) return [];
  return actions.map((a) => ({ id: at(a, 'id'), displayName: at(a, 'display_name') }));
}

function sameBinding(a: Binding, b: Binding): boolean {
  return a.id !== UNKNOWN && a.id === b.id;
}

function summarizeBinding(c: Change): BindingChange {
  const before = c.kind === 'create' ? undefined : bindingsOf(c.before, c.type);
  const after = c.kind === 'delete' ? undefined : bindingsOf(c.after, c.type);
  const removed = (before ?? []).filter((b) => !(after ?? []).some((a) => sameBinding(a, b)));
  const added = (after ?? []).filter((a) => !(before ?? []).some((b) => sameBinding(a, b)));
  const kept = (list: Binding[] | undefined) =>
    (list ?? []).filter((x) => !removed.includes(x) && !added.includes(x)).map((x) => x.id);
  const reordered = JSON.stringify(kept(before)) !== JSON.stringify(kept(after));
  return {
    address: c.address,
    kind: c.kind,
    importing: c.importing,
    type: c.type,
    trigger: str(at(c.after, 'trigger')) ?? str(at(c.before, 'trigger')) ?? '?',
    before,
    after,
    removed,
    added,
    reordered,
  };
}

/** use_mfa from a metadata JSON string, or undefined when absent / not readable. */
export function useMfaFlag(metadata: Value): Value {
  if (metadata === SENSITIVE || metadata === UNKNOWN) return metadata;
  if (typeof metadata !== 'string' || metadata === '') return undefined;
  try {
    const parsed = JSON.parse(metadata) as JsonValue;
    const flag = at(parsed, FLAG);
    return flag === undefined ? undefined : flag;
  } catch {
    return undefined;
  }
}

function summarizeUser(c: Change): { users: UserChange[]; other: LeafChange[] } {
  const user =
    str(at(c.after, 'email')) ??
    str(at(c.before, 'email')) ??
    str(at(c.after, 'username')) ??
    str(at(c.before, 'username')) ??
    c.address;
  const users: UserChange[] = [];
  for (const attribute of ['app_metadata', 'user_metadata'] as const) {
    const before = c.kind === 'create' ? undefined : useMfaFlag(at(c.before, attribute));
    const after = c.kind === 'delete' ? undefined : useMfaFlag(at(c.after, attribute));
    if (before === undefined && after === undefined) continue;
    if (before === after && c.kind !== 'create' && c.kind !== 'delete' && c.kind !== 'replace') continue;
    users.push({ address: c.address, kind: c.kind, importing: c.importing, user, attribute, before, after });
  }
  const other = settingsChanges(c, (path) => {
    if (path === 'password') return true;
    if (path !== 'app_metadata' && path !== 'user_metadata') return false;
    // Metadata changes other than use_mfa stay visible.
    const strip = (v: Value) => {
      if (typeof v !== 'string') return v;
      try {
        const { [FLAG]: _, ...rest } = JSON.parse(v) as Record<string, JsonValue>;
        return JSON.stringify(rest);
      } catch {
        return v;
      }
    };
    return strip(at(c.before, path)) === strip(at(c.after, path));
  });
  return { users, other };
}

export function countChanges(changes: Change[]): Counts {
  const counts: Counts = { import: 0, add: 0, change: 0, destroy: 0, forget: 0 };
  for (const c of changes) {
    if (c.importing) counts.import++;
    if (c.kind === 'create' || c.kind === 'replace') counts.add++;
    if (c.kind === 'update') counts.change++;
    if (c.kind === 'delete' || c.kind === 'replace') counts.destroy++;
    if (c.kind === 'forget') counts.forget++;
  }
  return counts;
}

export function summarizePlan(plan: PlanJson): PlanSummary {
  const changes = (plan.resource_changes ?? [])
    .filter((rc) => rc.mode === 'managed')
    .map(normalizeChange)
    .filter((c) => c.kind !== 'no-op' || c.importing);
  // Terraform lists objects whose refreshed value differs only in form (null against an empty list):
  // only a deletion or a visible difference is drift.
  const drift = (plan.resource_drift ?? [])
    .filter((rc) => rc.mode === 'managed')
    .map(normalizeChange)
    .filter((d) => d.kind === 'delete' || changedLeaves(d.before, d.after).some((l) => l.path !== 'id'));
  const summary: PlanSummary = {
    terraformVersion: plan.terraform_version,
    counts: countChanges(changes),
    changes,
    drift,
    guardian: [],
    actions: [],
    bindings: [],
    users: [],
    others: [],
    destroys: changes.filter((c) => c.kind === 'delete' || c.kind === 'replace'),
  };
  for (const c of changes) {
    switch (c.type) {
      case 'auth0_guardian':
        summary.guardian.push(summarizeGuardian(c));
        break;
      case 'auth0_action':
        summary.actions.push(summarizeAction(c));
        break;
      case 'auth0_trigger_actions':
      case 'auth0_trigger_action':
        summary.bindings.push(summarizeBinding(c));
        break;
      case 'auth0_user': {
        const { users, other } = summarizeUser(c);
        summary.users.push(...users);
        if (other.length > 0 || users.length === 0) {
          summary.others.push({
            address: c.address,
            kind: c.kind,
            importing: c.importing,
            type: c.type,
            settings: other,
          });
        }
        break;
      }
      default:
        summary.others.push({
          address: c.address,
          kind: c.kind,
          importing: c.importing,
          type: c.type,
          settings: settingsChanges(c, () => false),
        });
    }
  }
  return summary;
}
