// Role rules: lookups by id and name, the name filter of the roles list, and what a deleted role takes
// with it. Roles carry no permissions here (no APIs to hold them).
import { deleteGroup, findGroup } from './memberships';
import type { Immutable, StoredRole, TenantData, TenantState } from './model';

export function findRole<D extends TenantState | TenantData>(
  data: D,
  id: string,
): D['roles'][number] | undefined {
  return findGroup<D['roles'][number]>(data.roles, id);
}

/** Another role already has this name. */
export function roleNameTaken(data: TenantState, name: string, selfId?: string): boolean {
  return data.roles.some((role) => role.id !== selfId && role.name === name);
}

/** The roles whose name contains `filter`, ignoring case (Auth0's `name_filter`); all without one. */
export function rolesMatching(data: TenantState, filter: string | undefined): Immutable<StoredRole>[] {
  if (!filter) return [...data.roles];
  const wanted = filter.toLowerCase();
  return data.roles.filter((role) => role.name.toLowerCase().includes(wanted));
}

/** Removes the role and its assignments; false when there is no such role. */
export function deleteRole(data: TenantData, id: string): boolean {
  return deleteGroup(data.roles, data.roleUsers, id);
}
