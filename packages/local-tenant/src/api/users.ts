// Users over HTTP: create, read, update (metadata merged at the top level, `null` deleting a key, `{}`
// clearing), delete, search (Lucene subset, v3 paging) and lookup by email. Passwords are stored as
// scrypt hashes (hashed off the event loop) and never returned.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { badRequest, conflict, notFound } from '../server/errors';
import { checkOffsetWindow, offsetPage } from '../server/paging';
import { json, noContent, type RequestContext, type Route } from '../server/request';
import { fieldProjection, pagingQuery, parseBody, parseQuery } from '../server/validation';
import type { Immutable, JsonMap, StoredUser, TenantState } from '../tenant/model';
import { hashPassword } from '../tenant/passwords';
import { candidateIds, matchesSearch, parseSearch, SearchSyntaxError } from '../tenant/user-search';
import type { UserReader } from '../tenant/user-table';
import {
  findConnection,
  mergeMetadata,
  normalizeEmail,
  deleteUser as removeUser,
  taken,
} from '../tenant/users';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const RESERVED_APP_METADATA = [
  'blocked',
  'clientID',
  'created_at',
  'email',
  'email_verified',
  'user_id',
  'updated_at',
];

// ---- views -------------------------------------------------------------------------------------

/** The user as the Management API returns it (field order as recorded). */
export function userView(user: Immutable<StoredUser>): JsonMap {
  const [provider, ...rest] = user.user_id.split('|');
  const out: JsonMap = {
    created_at: user.created_at,
    email: user.email,
    email_verified: user.email_verified,
    identities: [{ user_id: rest.join('|'), connection: user.connection, provider, isSocial: false }],
    name: user.name,
    nickname: user.nickname,
    picture: user.picture,
    updated_at: user.updated_at,
    user_id: user.user_id,
  };
  if (user.email === undefined) delete out.email;
  const view = out as Partial<StoredUser>;
  copyDefined(view, user, [
    'username',
    'phone_number',
    'phone_verified',
    'family_name',
    'given_name',
    'blocked',
  ]);
  // As recorded: user_metadata stays visible once set (even `{}`), empty app_metadata is left out.
  if (user.user_metadata !== undefined) out.user_metadata = user.user_metadata;
  if (user.app_metadata !== undefined && Object.keys(user.app_metadata).length > 0)
    out.app_metadata = user.app_metadata;
  copyDefined(view, user, ['last_password_reset', 'last_ip', 'last_login', 'logins_count']);
  return out;
}

/** A user in a group's list (Auth0's RoleUser and OrganizationMember): id, picture, name and email. */
export function memberView(user: Immutable<StoredUser>) {
  const out: Record<string, unknown> = { user_id: user.user_id };
  if (user.email !== undefined) out.email = user.email;
  if (user.picture !== undefined) out.picture = user.picture;
  if (user.name !== undefined) out.name = user.name;
  return out;
}

/** Sets on `to` each of `keys` that `from` has, in the order of `keys` (views keep Auth0's field order). */
function copyDefined<S extends object, K extends keyof S>(
  to: { -readonly [P in K]?: S[P] },
  from: S,
  keys: readonly K[],
): void {
  for (const key of keys) {
    const value = from[key];
    if (value !== undefined) to[key] = value;
  }
}

function gravatar(email: string | undefined, fallbackName: string): string {
  const hash = createHash('md5')
    .update((email ?? '').trim().toLowerCase())
    .digest('hex');
  const initials =
    fallbackName
      .replace(/[^a-z0-9]/gi, '')
      .slice(0, 2)
      .toLowerCase() || 'un';
  return `https://s.gravatar.com/avatar/${hash}?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2F${initials}.png`;
}

// ---- requests ----------------------------------------------------------------------------------

const metadata = z.record(z.string(), z.unknown());

/** What both POST and PATCH /users accept, each field optional. */
const writableFields = z
  .strictObject({
    email: z.string().regex(EMAIL_RE),
    phone_number: z.string(),
    user_metadata: metadata,
    blocked: z.boolean(),
    email_verified: z.boolean(),
    phone_verified: z.boolean(),
    app_metadata: metadata,
    given_name: z.string(),
    family_name: z.string(),
    name: z.string(),
    nickname: z.string(),
    picture: z.string(),
    connection: z.string(),
    password: z.string(),
    verify_email: z.boolean(),
    username: z.string(),
  })
  .partial();
const createBody = writableFields.extend({ connection: z.string(), user_id: z.string().optional() });
const updateBody = writableFields.extend({
  verify_phone_number: z.boolean().optional(),
  client_id: z.string().optional(),
});

/** Rules beyond the payload's shape, in Auth0's wording. */
function checkUserFields(body: { email?: string; password?: string; app_metadata?: JsonMap }): void {
  if (body.password !== undefined && body.password.length < 8) {
    throw badRequest('PasswordStrengthError: Password is too weak', 'invalid_password');
  }
  for (const reserved of RESERVED_APP_METADATA) {
    if (body.app_metadata && Object.hasOwn(body.app_metadata, reserved)) {
      throw badRequest(
        `Payload validation error: 'app_metadata.${reserved}' is a reserved attribute.`,
        'invalid_body',
      );
    }
  }
}

/** An email that fails the format check gets Auth0's format wording rather than a pattern error. */
function parseUserBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const email = (body as { email?: unknown } | undefined)?.email;
  if (typeof email === 'string' && !EMAIL_RE.test(email)) {
    throw badRequest(
      `Payload validation error: 'Object didn't pass validation for format email: ${email}' on property email.`,
      'invalid_body',
    );
  }
  return parseBody(schema, body);
}

function connectionOf(data: TenantState, name: string) {
  const connection = findConnection(data, name);
  if (!connection) throw badRequest('The connection does not exist.', 'inexistent_connection');
  return connection;
}

export function mustFindUser<D extends TenantState>(
  data: D,
  id: string,
): NonNullable<ReturnType<D['users']['get']>> {
  const user = data.users.get(id) as ReturnType<D['users']['get']>;
  if (!user) throw notFound('The user does not exist.', 'inexistent_user');
  return user;
}

/** Every user named exists (checked before anything changes). */
export function mustFindUsers(data: TenantState, userIds: readonly string[]): void {
  for (const userId of userIds) mustFindUser(data, userId);
}

// ---- handlers ----------------------------------------------------------------------------------

async function createUser(ctx: RequestContext) {
  const body = parseUserBody(createBody, ctx.body);
  checkUserFields(body);
  const connection = connectionOf(ctx.store.state, body.connection);
  if (connection.strategy === 'auth0') {
    if (body.email === undefined)
      throw badRequest("Payload validation error: 'Missing required property: email'.", 'invalid_body');
    if (body.password === undefined)
      throw badRequest("Payload validation error: 'Missing required property: password'.", 'invalid_body');
  }
  const email = body.email === undefined ? undefined : normalizeEmail(body.email);
  const localId = body.user_id ? body.user_id : randomBytes(12).toString('hex');
  const userId = `${connection.strategy}|${localId}`;
  const now = new Date().toISOString();
  const emailLocal = email?.split('@')[0];
  const user: StoredUser = {
    user_id: userId,
    connection: connection.name,
    email,
    email_verified: body.email_verified ?? false,
    name: body.name ?? email ?? body.username ?? localId,
    nickname: body.nickname ?? body.username ?? emailLocal ?? localId,
    picture: body.picture ?? gravatar(email, emailLocal ?? localId),
    created_at: now,
    updated_at: now,
  };
  copyDefined(user, body, [
    'username',
    'phone_number',
    'phone_verified',
    'given_name',
    'family_name',
    'blocked',
  ]);
  if (body.user_metadata) user.user_metadata = mergeMetadata(undefined, body.user_metadata);
  if (body.app_metadata) user.app_metadata = mergeMetadata(undefined, body.app_metadata);
  if (body.password !== undefined) user.password_hash = await hashPassword(body.password);

  ctx.store.transaction((d) => {
    const duplicate =
      d.users.get(userId) !== undefined ||
      (email !== undefined && taken(d, connection.name, 'email', email)) ||
      (user.username !== undefined && taken(d, connection.name, 'username', user.username));
    if (duplicate) throw conflict('The user already exists.', 'auth0_idp_error');
    d.users.insert(user);
  });
  return json(201, userView(user));
}

function readUser(ctx: RequestContext) {
  return json(200, fieldProjection(ctx.query)(userView(mustFindUser(ctx.store.state, ctx.params.id))));
}

async function updateUser(ctx: RequestContext) {
  const body = parseUserBody(updateBody, ctx.body);
  checkUserFields(body);
  if (Object.keys(body).length === 0) {
    throw badRequest(
      "Payload validation error: 'Too few properties defined (0), minimum 1'.",
      'invalid_body',
    );
  }
  if (body.connection !== undefined) connectionOf(ctx.store.state, body.connection);
  const passwordHash = body.password === undefined ? undefined : await hashPassword(body.password);
  const updated = ctx.store.transaction((d) => {
    const user = mustFindUser(d, ctx.params.id);
    if (body.email !== undefined) {
      const email = normalizeEmail(body.email);
      if (taken(d, user.connection, 'email', email, user.user_id)) {
        throw conflict('The specified new email already exists', 'email_conflict');
      }
      if (email !== user.email && body.email_verified === undefined) user.email_verified = false;
      user.email = email;
    }
    if (body.username !== undefined) {
      if (taken(d, user.connection, 'username', body.username, user.user_id)) {
        throw conflict('The specified new username already exists', 'username_conflict');
      }
      user.username = body.username;
    }
    copyDefined(user, body, [
      'email_verified',
      'phone_number',
      'phone_verified',
      'given_name',
      'family_name',
      'name',
      'nickname',
      'picture',
      'blocked',
    ]);
    if (body.user_metadata) user.user_metadata = mergeMetadata(user.user_metadata, body.user_metadata);
    if (body.app_metadata) user.app_metadata = mergeMetadata(user.app_metadata, body.app_metadata);
    const now = new Date().toISOString();
    if (passwordHash) {
      user.password_hash = passwordHash;
      user.last_password_reset = now;
    }
    user.updated_at = now;
    return user;
  });
  return json(200, userView(updated));
}

function deleteUser(ctx: RequestContext) {
  // Auth0 answers 204 whether or not the user existed.
  ctx.store.transaction((d) => removeUser(d, ctx.params.id));
  return noContent();
}

/**
 * The users a query can match, in creation order, from the indexes; undefined: scan them all (also when
 * the index names most users: a scan already goes in creation order, the index's answer must be sorted).
 */
function indexed(
  users: UserReader,
  tree: ReturnType<typeof parseSearch>,
): Immutable<StoredUser>[] | undefined {
  const ids = candidateIds(tree, users);
  if (!ids || ids.size * 4 > users.size) return undefined;
  const found: Immutable<StoredUser>[] = [];
  for (const id of ids) {
    const user = users.get(id);
    if (user) found.push(user);
  }
  return found.sort((a, b) => users.position(a.user_id) - users.position(b.user_id));
}

function sortUsers(users: JsonMap[], sort: string | undefined): JsonMap[] {
  if (!sort) return users;
  const [field, dir] = sort.split(':');
  const sign = dir === '1' ? 1 : -1;
  return [...users].sort((a, b) => {
    const x = a[field];
    const y = b[field];
    if (x === y) return 0;
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    return String(x) < String(y) ? -sign : sign;
  });
}

/** Users lists take `per_page=0` (totals only). */
const userPaging = pagingQuery(50, 100, 0);

const listQuery = userPaging.extend({
  search_engine: z.string().optional(),
  q: z.string().optional(),
  sort: z
    .string()
    .regex(/^[\w.]+:-?1$/)
    .optional(),
});

function listUsers(ctx: RequestContext) {
  const query = parseQuery(listQuery, ctx.query);
  if (query.search_engine !== undefined && query.search_engine !== 'v3') {
    throw badRequest(
      `You are not allowed to use search_engine=${query.search_engine}. Use search_engine=v3 instead.`,
      'operation_not_supported',
    );
  }
  checkOffsetWindow(query);
  const users = ctx.store.state.users;
  let candidates: Iterable<Immutable<StoredUser>> = users.all();
  let tree: ReturnType<typeof parseSearch> | undefined;
  if (query.q?.trim()) {
    try {
      tree = parseSearch(query.q);
    } catch (error) {
      if (error instanceof SearchSyntaxError)
        throw badRequest(`Invalid query: ${error.message}`, 'invalid_query');
      throw error;
    }
    candidates = indexed(users, tree) ?? candidates;
  }
  let views = [...candidates].map(userView);
  if (tree) {
    const matching = tree;
    views = views.filter((v) => matchesSearch(matching, v));
  }
  views = sortUsers(views, query.sort);
  const view = fieldProjection(ctx.query);
  return json(200, offsetPage('users', views, query, { view }));
}

const byEmailQuery = z.object({ email: z.string().min(1) });

function usersByEmail(ctx: RequestContext) {
  const { email } = parseQuery(byEmailQuery, ctx.query);
  // Case-sensitive, as Auth0 documents: stored emails are lowercase, so `Alice@...` finds no one.
  const project = fieldProjection(ctx.query);
  const users = ctx.store.state.users.byEmail(email);
  return json(
    200,
    users.map((u) => project(userView(u))),
  );
}

/** Permissions are not modelled: every user has none (what the auth0_user data source reads). */
function listPermissions(ctx: RequestContext) {
  mustFindUser(ctx.store.state, ctx.params.id);
  const paging = parseQuery(userPaging, ctx.query);
  return json(200, offsetPage('permissions', [], paging, { withLength: false }));
}

export const userRoutes: Route[] = [
  { method: 'GET', pattern: '/api/v2/users', handler: listUsers },
  { method: 'POST', pattern: '/api/v2/users', handler: createUser },
  { method: 'GET', pattern: '/api/v2/users/{id}', handler: readUser },
  { method: 'PATCH', pattern: '/api/v2/users/{id}', handler: updateUser },
  { method: 'DELETE', pattern: '/api/v2/users/{id}', handler: deleteUser },
  { method: 'GET', pattern: '/api/v2/users/{id}/permissions', handler: listPermissions },
  { method: 'GET', pattern: '/api/v2/users-by-email', handler: usersByEmail },
];
