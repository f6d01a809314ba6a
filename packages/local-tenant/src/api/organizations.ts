// Organizations over HTTP: create, read (by id and by name), update, delete, the list (offset or
// checkpoint paging), the members (listed, added, removed) and a user's organizations. Shapes as recorded (terraform-provider-auth0's
// TestAccOrganization, TestAccOrganizationMembers); connections, invitations and member roles are not served.
import { z } from 'zod';
import { conflict, notFound } from '../server/errors';
import { listPage, offsetPage } from '../server/paging';
import { json, noContent, type RequestContext, type Route } from '../server/request';
import { fieldProjection, listPagingQuery, pagingQuery, parseBody, parseQuery } from '../server/validation';
import { addMembers, groupsOf, memberUsers, newGroupId, removeMembers } from '../tenant/memberships';
import type { Immutable, StoredOrganization, TenantData, TenantState } from '../tenant/model';
import { deleteOrganization, findOrganization, organizationNamed } from '../tenant/organizations';
import { mergeMetadata } from '../tenant/users';
import { memberView, mustFindUser, mustFindUsers } from './users';

// ---- views -------------------------------------------------------------------------------------

/** The organization as Auth0 answers it: id, name, and the optional fields that are set. */
function organizationView(organization: Immutable<StoredOrganization>) {
  const { created_at: _internal, ...fields } = organization;
  return fields;
}

// ---- rules in Auth0's words (ours where no source shows Auth0's; see the README) -------------------

const NO_ORGANIZATION = () => notFound('The organization does not exist.', 'inexistent_organization');

function mustFindOrganization<D extends TenantState | TenantData>(
  data: D,
  id: string,
): D['organizations'][number] {
  const organization = findOrganization(data, id);
  if (!organization) throw NO_ORGANIZATION();
  return organization;
}

function checkNameFree(data: TenantState, name: string, selfId?: string): void {
  const holder = organizationNamed(data, name);
  if (holder && holder.id !== selfId) throw conflict('An organization with this name already exists.');
}

// ---- requests ----------------------------------------------------------------------------------

/**
 * As Auth0 documents it: lowercase letters, digits, `_` and `-` (a digit may come first), 1 to 50
 * characters; a display name of 1 to 255; metadata of at most 25 string values of up to 255 characters.
 */
const NAME = z
  .string()
  .min(1)
  .max(50)
  .regex(/^[a-z0-9_-]+$/);
const brandingSchema = z.strictObject({
  logo_url: z.string().optional(),
  colors: z.strictObject({ primary: z.string(), page_background: z.string() }).partial().optional(),
});
const metadataSchema = z
  .record(z.string().max(255), z.string().max(255).nullable())
  .refine((metadata) => Object.keys(metadata).length <= 25, {
    message: 'Too many properties defined, maximum 25',
  });
const writable = z.strictObject({
  name: NAME,
  display_name: z.string().min(1).max(255),
  branding: brandingSchema,
  metadata: metadataSchema,
});
const createBody = writable.partial({ display_name: true, branding: true, metadata: true });
const updateBody = writable.partial();
const listQuery = listPagingQuery(50);
const userOrganizationsQuery = pagingQuery(50);
const membersBody = z.strictObject({ members: z.array(z.string().min(1)).min(1) });

/** Metadata as stored: Auth0's top-level merge, `null` removing a key. */
function mergedMetadata(
  current: Immutable<Record<string, string>> | undefined,
  patch: Record<string, unknown>,
) {
  return mergeMetadata(current, patch) as Record<string, string>;
}

// ---- handlers ----------------------------------------------------------------------------------

function createOrganization(ctx: RequestContext) {
  const body = parseBody(createBody, ctx.body);
  const organization = ctx.store.transaction((d) => {
    checkNameFree(d, body.name);
    const created: StoredOrganization = {
      id: newGroupId('org'),
      name: body.name,
      created_at: new Date().toISOString(),
    };
    if (body.display_name !== undefined) created.display_name = body.display_name;
    if (body.branding !== undefined) created.branding = body.branding;
    if (body.metadata !== undefined) created.metadata = mergedMetadata(undefined, body.metadata);
    d.organizations.push(created);
    return created;
  });
  return json(201, organizationView(organization));
}

function listOrganizations(ctx: RequestContext) {
  const paging = parseQuery(listQuery, ctx.query);
  const organizations = ctx.store.state.organizations;
  return json(
    200,
    listPage('organizations', organizations, (o) => o.id, paging, organizationView),
  );
}

function readOrganization(ctx: RequestContext) {
  return json(200, organizationView(mustFindOrganization(ctx.store.state, ctx.params.id)));
}

function readOrganizationByName(ctx: RequestContext) {
  const organization = organizationNamed(ctx.store.state, ctx.params.name);
  if (!organization) throw NO_ORGANIZATION();
  return json(200, organizationView(organization));
}

function updateOrganization(ctx: RequestContext) {
  const body = parseBody(updateBody, ctx.body ?? {});
  const updated = ctx.store.transaction((d) => {
    const stored = mustFindOrganization(d, ctx.params.id);
    if (body.name !== undefined) checkNameFree(d, body.name, ctx.params.id);
    if (body.name !== undefined) stored.name = body.name;
    if (body.display_name !== undefined) stored.display_name = body.display_name;
    if (body.branding !== undefined) stored.branding = body.branding;
    if (body.metadata !== undefined) stored.metadata = mergedMetadata(stored.metadata, body.metadata);
    return stored;
  });
  return json(200, organizationView(updated));
}

function removeOrganization(ctx: RequestContext) {
  ctx.store.transaction((d) => {
    if (!deleteOrganization(d, ctx.params.id)) throw NO_ORGANIZATION();
  });
  return noContent();
}

function listMembers(ctx: RequestContext) {
  const state = ctx.store.state;
  mustFindOrganization(state, ctx.params.id);
  const paging = parseQuery(listQuery, ctx.query);
  const project = fieldProjection(ctx.query);
  const members = memberUsers(state, state.organizationMembers, ctx.params.id);
  return json(
    200,
    listPage(
      'members',
      members,
      (user) => user.user_id,
      paging,
      (user) => project(memberView(user)),
    ),
  );
}

/** POST and DELETE /organizations/{id}/members: the users named, each of which must exist. */
function changeMembers(change: typeof addMembers) {
  return (ctx: RequestContext) => {
    const { members } = parseBody(membersBody, ctx.body);
    ctx.store.transaction((d) => {
      mustFindOrganization(d, ctx.params.id);
      mustFindUsers(d, members);
      change(d.organizationMembers, ctx.params.id, members);
    });
    // 204, as recorded for POST.
    return noContent();
  };
}

/** The organizations a user belongs to (offset paging, `{organizations, start, limit, total}` with totals). */
function listUserOrganizations(ctx: RequestContext) {
  const state = ctx.store.state;
  mustFindUser(state, ctx.params.id);
  const paging = parseQuery(userOrganizationsQuery, ctx.query);
  const organizations = groupsOf(state.organizationMembers, ctx.params.id).flatMap(
    (id) => findOrganization(state, id) ?? [],
  );
  return json(
    200,
    offsetPage('organizations', organizations, paging, { view: organizationView, withLength: false }),
  );
}

export const organizationRoutes: Route[] = [
  { method: 'POST', pattern: '/api/v2/organizations', handler: createOrganization },
  { method: 'GET', pattern: '/api/v2/organizations', handler: listOrganizations },
  { method: 'GET', pattern: '/api/v2/organizations/{id}', handler: readOrganization },
  { method: 'GET', pattern: '/api/v2/organizations/name/{name}', handler: readOrganizationByName },
  { method: 'PATCH', pattern: '/api/v2/organizations/{id}', handler: updateOrganization },
  { method: 'DELETE', pattern: '/api/v2/organizations/{id}', handler: removeOrganization },
  { method: 'GET', pattern: '/api/v2/organizations/{id}/members', handler: listMembers },
  { method: 'POST', pattern: '/api/v2/organizations/{id}/members', handler: changeMembers(addMembers) },
  { method: 'DELETE', pattern: '/api/v2/organizations/{id}/members', handler: changeMembers(removeMembers) },
  { method: 'GET', pattern: '/api/v2/users/{id}/organizations', handler: listUserOrganizations },
];
