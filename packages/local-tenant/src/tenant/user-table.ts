// The tenant's users, indexed by id and by email, so a lookup or a write costs the same at 100 and at
// 100,000 users; also by the exact values user search asks for most (`identities.connection`, and each
// top-level string or boolean of app_metadata and user_metadata, such as `app_metadata.use_mfa`).
// Inside a transaction the table hands out private copies and records what changed; `commit` applies
// them (and reports them for the log), `rollback` forgets them.
import type { Immutable, StoredUser } from './model';

/** What readers see: stored users, read-only. */
export interface UserReader {
  get(id: string): Immutable<StoredUser> | undefined;
  /** Users whose stored (lowercase) email is exactly `email`. */
  byEmail(email: string): Immutable<StoredUser>[];
  /** Every user, in creation order. */
  all(): Iterable<Immutable<StoredUser>>;
  /** A number that orders users by creation (the order of `all`). */
  position(id: string): number;
  /**
   * The ids of the users with `value` at search field `field` (strings compared case-insensitively, as
   * search does), or undefined when the table keeps no index that can answer it exactly.
   */
  withValue(field: string, value: string): ReadonlySet<string> | undefined;
  readonly size: number;
}

/** What a transaction sees: copies it may change in place, written back at commit. */
export interface UserWriter {
  get(id: string): StoredUser | undefined;
  byEmail(email: string): StoredUser[];
  /** Read-only, so an untouched user is not copied: a scan must not cost a copy of every user. */
  all(): Iterable<Immutable<StoredUser>>;
  position(id: string): number;
  withValue(field: string, value: string): ReadonlySet<string> | undefined;
  readonly size: number;
  insert(user: StoredUser): void;
  delete(id: string): void;
}

/** Users changed by a transaction: the new record, or null when deleted. */
export type UserChanges = Map<string, StoredUser | null>;

export class UserTable implements UserReader {
  private readonly rows = new Map<string, StoredUser>();
  private readonly emails = new Map<string, Set<string>>();
  /** Search field, then the value's index key, then the ids that have it. */
  private readonly values = new Map<string, Map<string, Set<string>>>();
  private readonly created = new Map<string, number>();
  private nextPosition = 0;
  private pending: UserChanges | undefined;

  constructor(users: Iterable<StoredUser> = []) {
    for (const user of users) this.put(user);
  }

  get size(): number {
    return this.rows.size;
  }

  get(id: string): StoredUser | undefined {
    return this.rows.get(id);
  }

  byEmail(email: string): StoredUser[] {
    const ids = this.emails.get(email);
    return ids ? [...ids].map((id) => this.rows.get(id) as StoredUser) : [];
  }

  all(): Iterable<StoredUser> {
    return this.rows.values();
  }

  position(id: string): number {
    return this.created.get(id) ?? Number.POSITIVE_INFINITY;
  }

  withValue(field: string, value: string): ReadonlySet<string> | undefined {
    if (field === 'user_id') return new Set(this.rows.has(value) ? [value] : []);
    if (field === 'email') return this.emails.get(value.toLowerCase()) ?? new Set();
    if (!isValueIndexed(field) || NUMERIC.test(value)) return undefined;
    return this.values.get(field)?.get(value.toLowerCase()) ?? new Set();
  }

  /** Applies changes read from the log (or a commit). */
  apply(changes: Iterable<[string, StoredUser | null]>): void {
    for (const [id, user] of changes) {
      const before = this.rows.get(id);
      if (before) this.unindex(before);
      if (user) this.put(user);
      else {
        this.rows.delete(id);
        this.created.delete(id);
      }
    }
  }

  /** A writer over this table for one transaction. */
  begin(): UserWriter {
    if (this.pending) throw new Error('a transaction is already open');
    const pending: UserChanges = new Map();
    this.pending = pending;
    const table = this;
    const copy = (id: string): StoredUser | undefined => {
      if (pending.has(id)) return pending.get(id) ?? undefined;
      const stored = table.rows.get(id);
      if (!stored) return undefined;
      const mine = structuredClone(stored);
      pending.set(id, mine);
      return mine;
    };
    return {
      get: copy,
      byEmail(email) {
        const ids = new Set(table.emails.get(email));
        for (const [id, user] of pending) if (user?.email === email) ids.add(id);
        return [...ids].map(copy).filter((u): u is StoredUser => u?.email === email);
      },
      *all() {
        for (const [id, stored] of table.rows) {
          const user = pending.has(id) ? pending.get(id) : stored;
          if (user) yield user;
        }
        for (const [id, user] of pending) if (user && !table.rows.has(id)) yield user;
      },
      position: (id) => table.position(id),
      // The indexes hold stored users only, not this transaction's changes: a search in one scans.
      withValue: () => undefined,
      get size() {
        let size = table.rows.size;
        for (const [id, user] of pending) size += (user ? 1 : 0) - (table.rows.has(id) ? 1 : 0);
        return size;
      },
      insert(user) {
        if (copy(user.user_id)) throw new Error(`user ${user.user_id} already exists`);
        pending.set(user.user_id, user);
      },
      delete(id) {
        if (copy(id)) pending.set(id, null);
      },
    };
  }

  /** Keeps the open transaction's changes; answers the users that really changed. */
  commit(): UserChanges {
    const pending = this.pending ?? new Map();
    this.pending = undefined;
    const changed: UserChanges = new Map();
    for (const [id, user] of pending) {
      const before = this.rows.get(id);
      if (user === null ? before === undefined : before !== undefined && sameUser(before, user)) continue;
      changed.set(id, user);
    }
    this.apply(changed);
    return changed;
  }

  rollback(): void {
    this.pending = undefined;
  }

  /** Adds or replaces a user; a replaced one keeps its place in creation order. */
  private put(user: StoredUser): void {
    if (!this.rows.has(user.user_id)) this.created.set(user.user_id, this.nextPosition++);
    this.rows.set(user.user_id, user);
    for (const [field, key] of indexedValues(user)) addTo(getOrAdd(this.values, field), key, user.user_id);
    if (user.email !== undefined) addTo(this.emails, user.email, user.user_id);
  }

  private unindex(user: StoredUser): void {
    for (const [field, key] of indexedValues(user)) {
      const byKey = this.values.get(field);
      if (byKey) removeFrom(byKey, key, user.user_id);
    }
    if (user.email !== undefined) removeFrom(this.emails, user.email, user.user_id);
  }
}

const METADATA = ['app_metadata', 'user_metadata'] as const;
/** A term value that could equal a number: search compares those by value, which no key of ours answers. */
const NUMERIC = /^\s*[-+.\d]/;

/** Whether `field` is one the value index keeps: the connection, or a top-level metadata key. */
function isValueIndexed(field: string): boolean {
  if (field === 'identities.connection') return true;
  const dot = field.indexOf('.');
  const section = field.slice(0, dot);
  return dot > 0 && METADATA.some((m) => m === section) && !field.slice(dot + 1).includes('.');
}

/** The index key of a value search compares exactly: strings in lowercase, booleans; else none. */
function indexKey(value: unknown): string | undefined {
  if (typeof value === 'string') return value.toLowerCase();
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/** Each search field and key of `user` the value index keeps (an array's elements each count). */
function* indexedValues(user: StoredUser): Generator<[string, string]> {
  yield ['identities.connection', user.connection.toLowerCase()];
  for (const section of METADATA) {
    const metadata = user[section];
    if (!metadata) continue;
    for (const [name, value] of Object.entries(metadata)) {
      if (name.includes('.')) continue;
      for (const item of Array.isArray(value) ? value : [value]) {
        const key = indexKey(item);
        if (key !== undefined) yield [`${section}.${name}`, key];
      }
    }
  }
}

function getOrAdd<K, V>(map: Map<K, Map<string, V>>, key: K): Map<string, V> {
  let inner = map.get(key);
  if (!inner) {
    inner = new Map();
    map.set(key, inner);
  }
  return inner;
}

function addTo(map: Map<string, Set<string>>, key: string, id: string): void {
  const ids = map.get(key) ?? new Set<string>();
  ids.add(id);
  map.set(key, ids);
}

function removeFrom(map: Map<string, Set<string>>, key: string, id: string): void {
  const ids = map.get(key);
  ids?.delete(id);
  if (ids?.size === 0) map.delete(key);
}

function sameUser(a: StoredUser, b: StoredUser): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
