// Organization rules: lookups by id and name, and what a deleted organization takes with it (its
// memberships; the users stay, as on Auth0).
import { deleteGroup, findGroup } from './memberships';
import type { Immutable, StoredOrganization, TenantData, TenantState } from './model';

export function findOrganization<D extends TenantState | TenantData>(
  data: D,
  id: string,
): D['organizations'][number] | undefined {
  return findGroup<D['organizations'][number]>(data.organizations, id);
}

export function organizationNamed(
  data: TenantState,
  name: string,
): Immutable<StoredOrganization> | undefined {
  return data.organizations.find((organization) => organization.name === name);
}

/** Removes the organization and its memberships; false when there is no such organization. */
export function deleteOrganization(data: TenantData, id: string): boolean {
  return deleteGroup(data.organizations, data.organizationMembers, id);
}
