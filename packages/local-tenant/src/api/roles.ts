// Roles over HTTP: create, read, update, delete, the list with `name_filter`, a role's users (offset or
// checkpoint paging) and their assignment, and the user side (a user's roles, assigned and removed).
// Shapes as recorded (terraform-provider-auth0's TestAccDataSourceRole, TestAccUserRoles); permissions are
// not modelled.
import { z } from 'zod';
import { conflict, notFound } from '../server/errors';
import { listPage, offsetPage } from '../server/paging';
import { json, noContent, type RequestContext, type Route } from '../server/request';
import { listPagingQuery, pagingQuery, parseBody, parseQuery } from '../server/validation';
import { addMembers, groupsOf, memberUsers, newGroupId, removeMembers } from '../tenant/memberships';
import type { Immutable, StoredRole, TenantData, TenantState } from '../tenant/model';
import { deleteRole, findRole, roleNameTaken, rolesMatching } from '../tenant/roles';
import { memberView, mustFindUser, mustFindUsers } from './users';

// ---- views -------------------------------------------------------------------------------------

/** The role as Auth0 answers it: `{id, name, description}`, description only when set. */
export function roleView(role: Immutable<StoredRole>) {
  return role.description === undefined
    ? { id: role.id, name: role.name }
    : { id: role.id, name: role.name, description: role.description };
}

// ---- rules in Auth0's words (ours where no source shows Auth0's; see the README) -------------------

const NO_ROLE = () => notFound('The role does not exist.', 'inexistent_role');

function mustFindRole<D extends TenantState | TenantData>(data: D, id: string): D['roles'][number] {
  const role = findRole(data, id);
  if (!role) throw NO_ROLE();
  return role;
}

function checkNameFree(data: TenantState, name: string, selfId?: string): void {
  if (roleNameTaken(data, name, selfId)) throw conflict('A role with this name already exists.');
}

// ---- requests ----------------------------------------------------------------------------------

const roleFields = z.strictObject({ name: z.string().min(1), description: z.string() });
const createBody = roleFields.partial({ description: true });
const updateBody = roleFields.partial();
const listQuery = pagingQuery(50).extend({ name_filter: z.string().optional() });
const roleUsersQuery = listPagingQuery(50);
const assignUsersBody = z.strictObject({ users: z.array(z.string().min(1)).min(1) });
const userRolesBody = z.strictObject({ roles: z.array(z.string().min(1)).min(1) });
const userRolesQuery = pagingQuery(50, 100, 0);

// ---- handlers ----------------------------------------------------------------------------------

function createRole(ctx: RequestContext) {
  const body = parseBody(createBody, ctx.body);
  const role = ctx.store.transaction((d) => {
    checkNameFree(d, body.name);
    const created: StoredRole = { id: newGroupId('rol'), ...body };
    d.roles.push(created);
    return created;
  });
  // 200, not 201: what Auth0 answered in the recording.
  return json(200, roleView(role));
}

function listRoles(ctx: RequestContext) {
  const query = parseQuery(listQuery, ctx.query);
  const roles = rolesMatching(ctx.store.state, query.name_filter);
  return json(200, offsetPage('roles', roles, query, { view: roleView, withLength: false }));
}

function readRole(ctx: RequestContext) {
  return json(200, roleView(mustFindRole(ctx.store.state, ctx.params.id)));
}

function updateRole(ctx: RequestContext) {
  const body = parseBody(updateBody, ctx.body ?? {});
  const role = ctx.store.transaction((d) => {
    const stored = mustFindRole(d, ctx.params.id);
    if (body.name !== undefined) checkNameFree(d, body.name, ctx.params.id);
    Object.assign(stored, body);
    return stored;
  });
  return json(200, roleView(role));
}

function removeRole(ctx: RequestContext) {
  ctx.store.transaction((d) => {
    if (!deleteRole(d, ctx.params.id)) throw NO_ROLE();
  });
  return noContent();
}

function listRoleUsers(ctx: RequestContext) {
  const state = ctx.store.state;
  mustFindRole(state, ctx.params.id);
  const paging = parseQuery(roleUsersQuery, ctx.query);
  const users = memberUsers(state, state.roleUsers, ctx.params.id);
  return json(
    200,
    listPage('users', users, (user) => user.user_id, paging, memberView),
  );
}

function assignRoleUsers(ctx: RequestContext) {
  const { users } = parseBody(assignUsersBody, ctx.body);
  ctx.store.transaction((d) => {
    mustFindRole(d, ctx.params.id);
    mustFindUsers(d, users);
    addMembers(d.roleUsers, ctx.params.id, users);
  });
  return { status: 200 };
}

function listUserRoles(ctx: RequestContext) {
  const state = ctx.store.state;
  mustFindUser(state, ctx.params.id);
  const paging = parseQuery(userRolesQuery, ctx.query);
  const roles = groupsOf(state.roleUsers, ctx.params.id).flatMap((id) => findRole(state, id) ?? []);
  return json(200, offsetPage('roles', roles, paging, { view: roleView, withLength: false }));
}

/** POST and DELETE /users/{id}/roles: the roles named, each of which must exist, given or taken. */
function changeUserRoles(change: typeof addMembers) {
  return (ctx: RequestContext) => {
    const { roles } = parseBody(userRolesBody, ctx.body);
    ctx.store.transaction((d) => {
      mustFindUser(d, ctx.params.id);
      for (const roleId of roles) {
        mustFindRole(d, roleId);
        change(d.roleUsers, roleId, [ctx.params.id]);
      }
    });
    // 204, as recorded for POST.
    return noContent();
  };
}

export const roleRoutes: Route[] = [
  { method: 'POST', pattern: '/api/v2/roles', handler: createRole },
  { method: 'GET', pattern: '/api/v2/roles', handler: listRoles },
  { method: 'GET', pattern: '/api/v2/roles/{id}', handler: readRole },
  { method: 'PATCH', pattern: '/api/v2/roles/{id}', handler: updateRole },
  { method: 'DELETE', pattern: '/api/v2/roles/{id}', handler: removeRole },
  { method: 'GET', pattern: '/api/v2/roles/{id}/users', handler: listRoleUsers },
  { method: 'POST', pattern: '/api/v2/roles/{id}/users', handler: assignRoleUsers },
  { method: 'GET', pattern: '/api/v2/users/{id}/roles', handler: listUserRoles },
  { method: 'POST', pattern: '/api/v2/users/{id}/roles', handler: changeUserRoles(addMembers) },
  { method: 'DELETE', pattern: '/api/v2/users/{id}/roles', handler: changeUserRoles(removeMembers) },
];
