// The tenant's users, indexed by id and by email, so a lookup or a write costs the same at 100 and at
// 100,000 users. Inside a transaction the table hands out private copies and records what changed;
// `commit` applies them (and reports them for the log), `rollback` forgets them.
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
  readonly size: number;
}

/** What a transaction sees: copies it may change in place, written back at commit. */
export interface UserWriter {
  get(id: string): StoredUser | undefined;
  byEmail(email: string): StoredUser[];
  /** Read-only, so an untouched user is not copied: a scan must not cost a copy of every user. */
  all(): Iterable<Immutable<StoredUser>>;
  position(id: string): number;
  readonly size: number;
  insert(user: StoredUser): void;
  delete(id: string): void;
}

/** Users changed by a transaction: the new record, or null when deleted. */
export type UserChanges = Map<string, StoredUser | null>;

export class UserTable implements UserReader {
  private readonly rows = new Map<string, StoredUser>();
  private readonly emails = new Map<string, Set<string>>();
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
    if (user.email === undefined) return;
    const ids = this.emails.get(user.email) ?? new Set<string>();
    ids.add(user.user_id);
    this.emails.set(user.email, ids);
  }

  private unindex(user: StoredUser): void {
    if (user.email !== undefined) {
      const ids = this.emails.get(user.email);
      ids?.delete(user.user_id);
      if (ids?.size === 0) this.emails.delete(user.email);
    }
  }
}

function sameUser(a: StoredUser, b: StoredUser): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
