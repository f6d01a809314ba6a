// Links between a group (a role, an organization) and its users, for both kinds of group: each link is
// one key of the group's map, so adding or removing one changes (and logs) one key, and a group lists
// its users in the order they were added. Lookups answer what is there; the API areas word what is not.
import { randomBytes } from 'node:crypto';
import type { Immutable, Memberships, TenantState } from './model';

/** A new group id in Auth0's shape: the kind's prefix (`rol`, `org`), `_`, and 16 letters or digits. */
export function newGroupId(prefix: 'rol' | 'org'): string {
  const letters = [...randomBytes(16)].map((byte) => ID_ALPHABET[byte % ID_ALPHABET.length]);
  return `${prefix}_${letters.join('')}`;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The users of a group, in the order they joined (none for a group without links). */
export function membersOf(links: Immutable<Memberships>, groupId: string): string[] {
  return Object.hasOwn(links, groupId) ? Object.keys(links[groupId]) : [];
}

/** The users of a group as the tenant holds them, in the order they joined. */
export function memberUsers(data: TenantState, links: Immutable<Memberships>, groupId: string) {
  return membersOf(links, groupId).flatMap((id) => data.users.get(id) ?? []);
}

/** The groups a user is in, in the order the groups' links were first made. */
export function groupsOf(links: Immutable<Memberships>, userId: string): string[] {
  return Object.keys(links).filter((groupId) => Object.hasOwn(links[groupId], userId));
}

/** Links the users to the group; a user already in it keeps its place. */
export function addMembers(links: Memberships, groupId: string, userIds: readonly string[]): void {
  if (!Object.hasOwn(links, groupId)) links[groupId] = {};
  const members = links[groupId];
  for (const userId of userIds) if (!Object.hasOwn(members, userId)) members[userId] = true;
}

/** Unlinks the users from the group; users not in it are ignored. */
export function removeMembers(links: Memberships, groupId: string, userIds: readonly string[]): void {
  if (!Object.hasOwn(links, groupId)) return;
  const members = links[groupId];
  for (const userId of userIds) if (Object.hasOwn(members, userId)) delete members[userId];
}

/** A group by id, as the list holds it: a draft's own row inside a transaction, to change in place. */
export function findGroup<G extends { readonly id: string }>(
  groups: readonly G[],
  id: string,
): G | undefined {
  return groups.find((group) => group.id === id);
}

/** Removes a group (a role, an organization) and its links; false when there is no such group. */
export function deleteGroup(groups: Array<{ id: string }>, links: Memberships, groupId: string): boolean {
  const index = groups.findIndex((group) => group.id === groupId);
  if (index < 0) return false;
  groups.splice(index, 1);
  if (Object.hasOwn(links, groupId)) delete links[groupId];
  return true;
}

/** A deleted user leaves every group (only the groups it was in are touched). */
export function forgetUser(links: Memberships, userId: string): void {
  for (const groupId of groupsOf(links, userId)) delete links[groupId][userId];
}
