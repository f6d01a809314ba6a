// Users of the database connection: create, read, update (metadata merged at the top level, `null`
// deleting a key, `{}` clearing), delete, search (Lucene subset, v3 paging) and lookup by email.
// Passwords are stored as scrypt hashes and never returned.
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import {
  ApiError,
  badRequest,
  json,
  noContent,
  notFound,
  nowIso,
  projectFields,
  queryInt,
  type RequestContext,
  type Route,
} from '../http';
import type { JsonMap, StoredUser, TenantData } from '../store';
import { matchesSearch, parseSearch, SearchSyntaxError } from './user-search';
import { checkType, isPlainObject, objectBody, payloadError, rejectUnknown, requireProps } from './validate';

/** What both POST and PATCH /users accept. */
const WRITABLE_FIELDS = [
  'email',
  'phone_number',
  'user_metadata',
  'blocked',
  'email_verified',
  'phone_verified',
  'app_metadata',
  'given_name',
  'family_name',
  'name',
  'nickname',
  'picture',
  'connection',
  'password',
  'verify_email',
  'username',
];
const CREATE_FIELDS = [...WRITABLE_FIELDS, 'user_id'];
const UPDATE_FIELDS = [...WRITABLE_FIELDS, 'verify_phone_number', 'client_id'];

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SEARCH_WINDOW = 1000;

// ---- passwords ---------------------------------------------------------------------------------

// A local stand-in holds throwaway test passwords: a light cost (about 2 ms a hash instead of 40 ms)
// keeps the tenant from being the bottleneck of a deploy with many seed users. The parameters are
// stored with each hash, so hashes made with other costs still verify.
const SCRYPT = { N: 1024, r: 8, p: 1 };

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function verifyPassword(password: string, stored: string | undefined): boolean {
  if (!stored) return false;
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt') return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}

// ---- views -------------------------------------------------------------------------------------

/** The user as the Management API returns it (field order as recorded). */
export function userView(user: StoredUser): JsonMap {
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
  if (user.username !== undefined) out.username = user.username;
  if (user.phone_number !== undefined) out.phone_number = user.phone_number;
  if (user.phone_verified !== undefined) out.phone_verified = user.phone_verified;
  if (user.family_name !== undefined) out.family_name = user.family_name;
  if (user.given_name !== undefined) out.given_name = user.given_name;
  if (user.blocked !== undefined) out.blocked = user.blocked;
  // As recorded: user_metadata stays visible once set (even `{}`), empty app_metadata is left out.
  if (user.user_metadata !== undefined) out.user_metadata = user.user_metadata;
  if (user.app_metadata !== undefined && Object.keys(user.app_metadata).length > 0)
    out.app_metadata = user.app_metadata;
  if (user.last_password_reset !== undefined) out.last_password_reset = user.last_password_reset;
  if (user.last_ip !== undefined) out.last_ip = user.last_ip;
  if (user.last_login !== undefined) out.last_login = user.last_login;
  if (user.logins_count !== undefined) out.logins_count = user.logins_count;
  return out;
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

// ---- lookups -----------------------------------------------------------------------------------

export function findUser(data: TenantData, id: string): StoredUser {
  const user = data.users.find((u) => u.user_id === id);
  if (!user) throw notFound('The user does not exist.', 'inexistent_user');
  return user;
}

export function findUsersByEmail(data: TenantData, email: string): StoredUser[] {
  const wanted = email.trim().toLowerCase();
  return data.users.filter((u) => u.email === wanted);
}

/** Merges metadata as Auth0 does: top level only, `null` deletes a key, `{}` clears everything. */
export function mergeMetadata(current: JsonMap | undefined, patch: JsonMap): JsonMap {
  if (Object.keys(patch).length === 0) return {};
  const next: JsonMap = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

// ---- validation --------------------------------------------------------------------------------

function checkCommon(body: JsonMap): void {
  for (const name of [
    'email',
    'phone_number',
    'given_name',
    'family_name',
    'name',
    'nickname',
    'picture',
    'password',
    'username',
    'connection',
    'user_id',
    'client_id',
  ]) {
    checkType(body, name, 'string');
  }
  for (const name of ['blocked', 'email_verified', 'phone_verified', 'verify_email', 'verify_phone_number']) {
    checkType(body, name, 'boolean');
  }
  checkType(body, 'user_metadata', 'object');
  checkType(body, 'app_metadata', 'object');
  if (typeof body.email === 'string' && !EMAIL_RE.test(body.email)) {
    throw payloadError(`Object didn't pass validation for format email: ${body.email}`, 'email');
  }
  if (typeof body.password === 'string' && body.password.length < 8) {
    throw badRequest('PasswordStrengthError: Password is too weak', 'invalid_password');
  }
  if (body.app_metadata !== undefined) {
    for (const reserved of [
      'blocked',
      'clientID',
      'created_at',
      'email',
      'email_verified',
      'user_id',
      'updated_at',
    ]) {
      if (reserved in (body.app_metadata as JsonMap)) {
        throw badRequest(
          `Payload validation error: 'app_metadata.${reserved}' is a reserved attribute.`,
          'invalid_body',
        );
      }
    }
  }
}

function connectionOf(data: TenantData, name: string) {
  const connection = data.connections.find((c) => c.name === name);
  if (!connection) throw badRequest('The connection does not exist.', 'inexistent_connection');
  return connection;
}

// ---- handlers ----------------------------------------------------------------------------------

function createUser(ctx: RequestContext) {
  const body = objectBody(ctx.body);
  rejectUnknown(body, CREATE_FIELDS);
  requireProps(body, ['connection']);
  checkCommon(body);
  const data = ctx.store.data;
  const connection = connectionOf(data, body.connection as string);
  if (connection.strategy === 'auth0') {
    requireProps(body, ['email', 'password']);
  }
  const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : undefined;
  const localId =
    typeof body.user_id === 'string' && body.user_id !== '' ? body.user_id : randomBytes(12).toString('hex');
  const userId = `${connection.strategy}|${localId}`;
  const now = nowIso();
  const emailLocal = email?.split('@')[0];
  const user: StoredUser = {
    user_id: userId,
    connection: connection.name,
    email,
    email_verified: (body.email_verified as boolean | undefined) ?? false,
    name: (body.name as string | undefined) ?? email ?? (body.username as string | undefined) ?? localId,
    nickname:
      (body.nickname as string | undefined) ?? (body.username as string | undefined) ?? emailLocal ?? localId,
    picture: (body.picture as string | undefined) ?? gravatar(email, emailLocal ?? localId),
    created_at: now,
    updated_at: now,
  };
  if (typeof body.username === 'string') user.username = body.username;
  if (typeof body.phone_number === 'string') user.phone_number = body.phone_number;
  if (typeof body.phone_verified === 'boolean') user.phone_verified = body.phone_verified;
  if (typeof body.given_name === 'string') user.given_name = body.given_name;
  if (typeof body.family_name === 'string') user.family_name = body.family_name;
  if (typeof body.blocked === 'boolean') user.blocked = body.blocked;
  if (isPlainObject(body.user_metadata)) user.user_metadata = mergeMetadata(undefined, body.user_metadata);
  if (isPlainObject(body.app_metadata)) user.app_metadata = mergeMetadata(undefined, body.app_metadata);
  if (typeof body.password === 'string') user.password_hash = hashPassword(body.password);

  ctx.store.transaction((d) => {
    const duplicate = d.users.some(
      (u) =>
        u.user_id === userId ||
        (email !== undefined && u.connection === connection.name && u.email === email) ||
        (user.username !== undefined && u.connection === connection.name && u.username === user.username),
    );
    if (duplicate) throw new ApiError(409, 'The user already exists.', 'auth0_idp_error');
    d.users.push(user);
  });
  return json(201, userView(user));
}

function readUser(ctx: RequestContext) {
  const user = findUser(ctx.store.data, ctx.params.id);
  return json(200, projectFields(userView(user), ctx.query));
}

function updateUser(ctx: RequestContext) {
  const body = objectBody(ctx.body);
  rejectUnknown(body, UPDATE_FIELDS);
  checkCommon(body);
  if (Object.keys(body).length === 0) throw payloadError('Too few properties defined (0), minimum 1');
  if (body.connection !== undefined) connectionOf(ctx.store.data, body.connection as string);
  const passwordHash = typeof body.password === 'string' ? hashPassword(body.password) : undefined;
  const updated = ctx.store.transaction((d) => {
    const user = findUser(d, ctx.params.id);
    if (typeof body.email === 'string') {
      const email = body.email.trim().toLowerCase();
      if (d.users.some((u) => u !== user && u.connection === user.connection && u.email === email)) {
        throw new ApiError(409, 'The specified new email already exists', 'email_conflict');
      }
      if (email !== user.email && body.email_verified === undefined) user.email_verified = false;
      user.email = email;
    }
    if (typeof body.username === 'string') {
      if (
        d.users.some((u) => u !== user && u.connection === user.connection && u.username === body.username)
      ) {
        throw new ApiError(409, 'The specified new username already exists', 'username_conflict');
      }
      user.username = body.username;
    }
    if (typeof body.email_verified === 'boolean') user.email_verified = body.email_verified;
    if (typeof body.phone_number === 'string') user.phone_number = body.phone_number;
    if (typeof body.phone_verified === 'boolean') user.phone_verified = body.phone_verified;
    for (const name of ['given_name', 'family_name', 'name', 'nickname', 'picture'] as const) {
      if (typeof body[name] === 'string') user[name] = body[name] as string;
    }
    if (typeof body.blocked === 'boolean') user.blocked = body.blocked;
    if (isPlainObject(body.user_metadata))
      user.user_metadata = mergeMetadata(user.user_metadata, body.user_metadata);
    if (isPlainObject(body.app_metadata))
      user.app_metadata = mergeMetadata(user.app_metadata, body.app_metadata);
    const now = nowIso();
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
  ctx.store.transaction((d) => {
    d.users = d.users.filter((u) => u.user_id !== ctx.params.id);
  });
  return noContent();
}

function sortUsers(users: JsonMap[], sort: string | null): JsonMap[] {
  if (!sort) return users;
  const m = sort.match(/^([\w.]+):(-?1)$/);
  if (!m)
    throw badRequest(
      `Query validation error: 'String does not match pattern' on property sort.`,
      'invalid_query_string',
    );
  const [, field, dir] = m;
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

function listUsers(ctx: RequestContext) {
  const engine = ctx.query.get('search_engine');
  if (engine !== null && engine !== 'v3') {
    throw badRequest(
      `You are not allowed to use search_engine=${engine}. Use search_engine=v3 instead.`,
      'operation_not_supported',
    );
  }
  const page = queryInt(ctx.query, 'page', 0, 0, 100000);
  const perPage = queryInt(ctx.query, 'per_page', 50, 0, 100);
  if ((page + 1) * perPage > SEARCH_WINDOW) {
    throw badRequest(`You can only page through the first ${SEARCH_WINDOW} records.`, 'invalid_paging');
  }
  const q = ctx.query.get('q');
  let views = ctx.store.data.users.map(userView);
  if (q?.trim()) {
    let tree: ReturnType<typeof parseSearch>;
    try {
      tree = parseSearch(q);
    } catch (error) {
      if (error instanceof SearchSyntaxError)
        throw badRequest(`Invalid query: ${error.message}`, 'invalid_query');
      throw error;
    }
    views = views.filter((v) => matchesSearch(tree, v));
  }
  views = sortUsers(views, ctx.query.get('sort'));
  const total = views.length;
  const slice = views.slice(page * perPage, page * perPage + perPage).map((v) => projectFields(v, ctx.query));
  if (ctx.query.get('include_totals') === 'true') {
    return json(200, { start: page * perPage, limit: perPage, length: slice.length, total, users: slice });
  }
  return json(200, slice);
}

function usersByEmail(ctx: RequestContext) {
  const email = ctx.query.get('email');
  if (!email)
    throw badRequest("Query validation error: 'Missing required property: email'.", 'invalid_query_string');
  return json(
    200,
    findUsersByEmail(ctx.store.data, email).map((u) => projectFields(userView(u), ctx.query)),
  );
}

/** Roles and permissions are not modelled: every user has none (what the auth0_user data source reads). */
function emptyUserList(key: string) {
  return (ctx: RequestContext) => {
    findUser(ctx.store.data, ctx.params.id);
    const perPage = queryInt(ctx.query, 'per_page', 50, 0, 100);
    const page = queryInt(ctx.query, 'page', 0, 0, 100000);
    if (ctx.query.get('include_totals') === 'true') {
      return json(200, { [key]: [], start: page * perPage, limit: perPage, total: 0 });
    }
    return json(200, []);
  };
}

export const userRoutes: Route[] = [
  { method: 'GET', pattern: '/api/v2/users', handler: listUsers },
  { method: 'POST', pattern: '/api/v2/users', handler: createUser },
  { method: 'GET', pattern: '/api/v2/users/{id}', handler: readUser },
  { method: 'PATCH', pattern: '/api/v2/users/{id}', handler: updateUser },
  { method: 'DELETE', pattern: '/api/v2/users/{id}', handler: deleteUser },
  { method: 'GET', pattern: '/api/v2/users/{id}/roles', handler: emptyUserList('roles') },
  { method: 'GET', pattern: '/api/v2/users/{id}/permissions', handler: emptyUserList('permissions') },
  { method: 'GET', pattern: '/api/v2/users-by-email', handler: usersByEmail },
];
