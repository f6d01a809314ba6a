// User rules: lookups, uniqueness per connection, and Auth0's metadata merge.
import type { Immutable, JsonMap, StoredConnection, StoredUser, TenantData } from './model';

type Data = Immutable<TenantData>;

export function findUser<D extends Data>(data: D, id: string): D['users'][number] | undefined {
  return data.users.find((u) => u.user_id === id);
}

/** Users whose email is exactly `email` (as stored: emails are kept lowercase). */
export function findUsersByEmail<D extends Data>(data: D, email: string): D['users'][number][] {
  return data.users.filter((u) => u.email === email);
}

export function findConnection(data: Data, name: string): Immutable<StoredConnection> | undefined {
  return data.connections.find((c) => c.name === name);
}

/** Emails are stored trimmed and lowercase, as Auth0 does for database connections. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Another user of the same connection already has this field value. */
export function taken(
  data: Data,
  connection: string,
  field: 'email' | 'username',
  value: string,
  self?: Immutable<StoredUser>,
): boolean {
  return data.users.some((u) => u !== self && u.connection === connection && u[field] === value);
}

/** Merges metadata as Auth0 does: top level only, `null` deletes a key, `{}` clears everything. */
export function mergeMetadata(current: Immutable<JsonMap> | undefined, patch: Immutable<JsonMap>): JsonMap {
  if (Object.keys(patch).length === 0) return {};
  // fromEntries defines own keys, so `__proto__` stays a plain key instead of a prototype.
  const entries = new Map(Object.entries(current ?? {}));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) entries.delete(key);
    else entries.set(key, value);
  }
  return Object.fromEntries(entries);
}

export function deleteUser(data: TenantData, id: string): void {
  data.users = data.users.filter((u) => u.user_id !== id);
  // What logins kept for the user goes with them.
  delete data.auth.authenticators[id];
  delete data.auth.rememberedBrowsers[id];
  data.auth.refreshTokens = data.auth.refreshTokens.filter((t) => t.user_id !== id);
}
