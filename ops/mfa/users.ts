// Finding a user from what the operator typed, and reading and writing their use_mfa flag.
import { DEFAULT_SETTINGS, FLAG, requiresMfa } from '../../actions/conditional-mfa';
import type { SeedUser } from '../../src/config/schema';
import type { FlagSource } from '../../src/config/vocabulary';
import { RowError } from './errors';

export type { FlagSource };
export type MetadataField = 'user_metadata' | 'app_metadata';
export const METADATA_FIELDS: readonly MetadataField[] = ['user_metadata', 'app_metadata'];

export interface Auth0User {
  user_id: string;
  email?: string;
  identities?: Array<{ connection: string; provider?: string }>;
  user_metadata?: Record<string, unknown> | null;
  app_metadata?: Record<string, unknown> | null;
}

/** A role or an organization, by the name the operator typed. */
export interface NamedGroup {
  id: string;
  name: string;
}

/** What the tool needs from the Management API; the SDK implements it in directory.ts, unit tests fake it. */
export interface UserDirectory {
  /** undefined when the user does not exist. */
  getById(userId: string): Promise<Auth0User | undefined>;
  getByEmail(email: string): Promise<Auth0User[]>;
  search(query: string, page: number, perPage: number): Promise<{ users: Auth0User[]; total: number }>;
  update(userId: string, patch: MetadataPatch): Promise<void>;
  /** Roles whose name contains `name` (Auth0's name_filter); the caller picks the exact one. */
  findRoles(name: string): Promise<NamedGroup[]>;
  roleMembers(roleId: string): Promise<string[]>;
  /** undefined when there is no organization of that name. */
  findOrganization(name: string): Promise<NamedGroup | undefined>;
  organizationMembers(organizationId: string): Promise<string[]>;
  /** Every enrolled factor (authenticator app, phone, email, WebAuthn, recovery code) of the user. */
  authenticationMethods(userId: string): Promise<Array<{ id: string; type: string }>>;
  deleteAuthenticationMethods(userId: string): Promise<void>;
  invalidateRememberBrowser(userId: string): Promise<void>;
}

/** Only the metadata objects named here are touched, and inside them only use_mfa (see planFlagChange). */
export type MetadataPatch = Partial<Record<MetadataField, { [FLAG]: boolean }>>;

export type Identifier = { kind: 'id'; userId: string } | { kind: 'email'; email: string };

/**
 * A user id is `provider|id` (auth0|abc, google-oauth2|123, samlp|corp|x): the provider is a lower-case
 * name, the rest holds no space, quote, backslash or control character.
 */
const USER_ID = /^[a-z0-9][a-z0-9-]*\|[^\s"'\\\p{Cc}]+$/u;
/** An email as the WHATWG form rule has it, Unicode letters allowed, without `|` (which marks user ids). */
const EMAIL =
  /^[\p{L}\p{N}.!#$%&'*+/=?^_`{}~-]+@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*$/u;
/** What a spreadsheet runs as a formula when the file is opened (CSV injection): never a user. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Why `raw` is not a user identifier, or undefined when it is one. */
export function identifierProblem(raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') return 'is empty';
  if (FORMULA_START.test(value)) {
    return `${JSON.stringify(raw)} starts like a spreadsheet formula (=, +, -, @); it is neither a user id nor an email`;
  }
  if (USER_ID.test(value) || EMAIL.test(value)) return undefined;
  return `${JSON.stringify(raw)} is neither a user id (provider|id, e.g. auth0|abc123) nor an email address`;
}

export function parseIdentifier(raw: string): Identifier {
  const problem = identifierProblem(raw);
  if (problem) throw new RowError(problem.startsWith('is ') ? `the user ${problem}` : problem);
  const value = raw.trim();
  return value.includes('|') ? { kind: 'id', userId: value } : { kind: 'email', email: value };
}

/** The same user named twice compares equal: emails without case (as Auth0 stores them), ids as they are. */
export function identifierKey(identifier: Identifier): string {
  return identifier.kind === 'id' ? `id:${identifier.userId}` : `email:${identifier.email.toLowerCase()}`;
}

function connectionsOf(user: Auth0User): string {
  const names = (user.identities ?? []).map((identity) => identity.connection);
  return names.length > 0 ? ` (${names.join(', ')})` : '';
}

export function ambiguousEmail(email: string, users: Auth0User[]): RowError {
  const ids = users.map((user) => `${user.user_id}${connectionsOf(user)}`).join(', ');
  return new RowError(
    `${email} is ambiguous: ${users.length} users have it (${ids}); name one by its user id`,
  );
}

/**
 * The one user an identifier names. An email may belong to several users (one per connection): the tool
 * refuses to guess and lists their ids, since setting the flag on the wrong account is a security change.
 */
export async function resolveUser(directory: UserDirectory, raw: string): Promise<Auth0User> {
  const identifier = parseIdentifier(raw);
  if (identifier.kind === 'id') {
    const user = await directory.getById(identifier.userId);
    if (!user) throw new RowError(`no user with id ${identifier.userId}`);
    return user;
  }
  let users = await directory.getByEmail(identifier.email);
  // Auth0 stores database users' emails in lower case and this lookup is case-sensitive.
  const lower = identifier.email.toLowerCase();
  if (users.length === 0 && lower !== identifier.email) users = await directory.getByEmail(lower);
  if (users.length === 0) throw new RowError(`no user with email ${identifier.email}`);
  if (users.length > 1) throw ambiguousEmail(identifier.email, users);
  return users[0];
}

/** Where on/off write: "either" writes app_metadata, which users cannot edit (as the stack's seed users). */
export function writeField(source: FlagSource): MetadataField {
  return source === 'user_metadata' ? 'user_metadata' : 'app_metadata';
}

/** Whether the deployed Action challenges this user: the same function the Action runs. */
export function mfaIsOn(user: Auth0User, source: FlagSource): boolean {
  return requiresMfa(
    { user: { user_id: user.user_id, user_metadata: user.user_metadata, app_metadata: user.app_metadata } },
    { ...DEFAULT_SETTINGS, flagSource: source },
  );
}

export function storedFlag(user: Auth0User, field: MetadataField): unknown {
  return user[field]?.[FLAG];
}

/**
 * The smallest PATCH body that leaves the Action deciding `on` for this user; empty when nothing changes.
 *
 * Only `{use_mfa: ...}` is sent inside a metadata object: Auth0 merges metadata at the top level, so every
 * other key the user or another system keeps there stays untouched.
 *
 * `off` writes `false` rather than removing the key (null): the record then says that someone turned MFA
 * off, which an audit (and `status`) can tell apart from a user never flagged, and a later bulk export
 * shows the decision. A stored value that is not exactly the wanted boolean (absent, "true", 1) is rewritten.
 *
 * With flagSource "either" the Action also honours user_metadata, so `off` clears a `true` found there as
 * well; otherwise the user would still be challenged after the tool reported "off".
 */
export function planFlagChange(user: Auth0User, source: FlagSource, on: boolean): MetadataPatch {
  const patch: MetadataPatch = {};
  const field = writeField(source);
  if (storedFlag(user, field) !== on) patch[field] = { [FLAG]: on };
  if (!on && source === 'either' && storedFlag(user, 'user_metadata') === true) {
    patch.user_metadata = { [FLAG]: false };
  }
  return patch;
}

/**
 * The seed user of the configuration this Auth0 user is, if any. Seed users are managed by the stack:
 * a change made here is reverted on the next deploy. Matched on email and connection, as the stack keys
 * them; a user without identities in the answer is matched on email alone, to err on the side of asking.
 */
export function findSeedUser(seeds: readonly SeedUser[], user: Auth0User): SeedUser | undefined {
  const email = user.email?.toLowerCase();
  if (!email) return undefined;
  const connections = (user.identities ?? []).map((identity) => identity.connection);
  return seeds.find(
    (seed) =>
      seed.email.toLowerCase() === email &&
      (connections.length === 0 || connections.includes(seed.connection)),
  );
}

export function describeUser(user: Auth0User): string {
  return user.email ? `${user.user_id} <${user.email}>` : user.user_id;
}

export interface SetFlagOptions {
  source: FlagSource;
  environmentName: string;
  seeds: readonly SeedUser[];
  dryRun: boolean;
  force: boolean;
}

export interface SetFlagResult {
  user: Auth0User;
  /** Empty when the user already had the wanted value. */
  patch: MetadataPatch;
  seed?: SeedUser;
}

/**
 * Works out the change for a user found already (nothing is sent). A seed user is refused without `force`
 * when the change goes against the configuration, since the next deploy would set it back; a change that
 * agrees with the configuration is harmless and goes through.
 */
export function planUserFlag(user: Auth0User, on: boolean, options: SetFlagOptions): SetFlagResult {
  const seed = findSeedUser(options.seeds, user);
  const patch = planFlagChange(user, options.source, on);
  if (Object.keys(patch).length > 0 && seed && seed.useMfa !== on && !options.force) {
    throw new RowError(
      `${describeUser(user)} is a seed user of environment ${options.environmentName} (config "users", ` +
        `useMfa: ${seed.useMfa}): the next deploy would set it back. Change the configuration instead, ` +
        'or pass --force to change it here anyway',
    );
  }
  return { user, patch, seed };
}

/** Plans the change and, unless dryRun, sends it: one PATCH, and none when nothing changes. */
export async function applyUserFlag(
  directory: UserDirectory,
  user: Auth0User,
  on: boolean,
  options: SetFlagOptions,
): Promise<SetFlagResult> {
  const result = planUserFlag(user, on, options);
  if (Object.keys(result.patch).length > 0 && !options.dryRun)
    await directory.update(user.user_id, result.patch);
  return result;
}

/** Resolves the identifier and sets the flag (or, with dryRun, only works out the change). */
export async function setUserFlag(
  directory: UserDirectory,
  identifier: string,
  on: boolean,
  options: SetFlagOptions,
): Promise<SetFlagResult> {
  return applyUserFlag(directory, await resolveUser(directory, identifier), on, options);
}
