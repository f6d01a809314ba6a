// User rules: lookups, uniqueness per connection, and Auth0's metadata merge.
import { forgetUser } from './memberships';
import type { Immutable, JsonMap, StoredConnection, StoredUser, TenantData, TenantState } from './model';

export function findConnection(data: TenantState, name: string): Immutable<StoredConnection> | undefined {
  return data.connections.find((c) => c.name === name);
}

/** Emails are stored trimmed and lowercase, as Auth0 does for database connections. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Another user of the same connection already has this email or username. */
export function taken(
  data: TenantState,
  connection: string,
  field: 'email' | 'username',
  value: string,
  selfId?: string,
): boolean {
  const others = (users: Iterable<Immutable<StoredUser>>) => {
    for (const u of users)
      if (u.user_id !== selfId && u.connection === connection && u[field] === value) return true;
    return false;
  };
  // Emails are indexed; usernames are rare enough to scan.
  return others(field === 'email' ? data.users.byEmail(value) : data.users.all());
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

/** Removes a user, its roles and memberships, and what logins kept for them. */
export function deleteUser(data: TenantData, id: string): void {
  data.users.delete(id);
  forgetUser(data.roleUsers, id);
  forgetUser(data.organizationMembers, id);
  delete data.auth.authenticators[id];
  delete data.auth.rememberedBrowsers[id];
  data.auth.refreshTokens = data.auth.refreshTokens.filter((t) => t.user_id !== id);
}
