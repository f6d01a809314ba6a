// Post-login Action: challenge with MFA exactly the users whose `use_mfa` flag is on.
// The tenant's MFA policy stays "never"; this Action is the only thing that asks for a second factor.
// Deployed as CommonJS by src/action-build: keep this file free of imports other than types.
import type { ChallengeFactor, FLAG as FLAG_FIELD, FlagSource, MfaProvider } from '../src/config/vocabulary';
import type { PostLoginApi, PostLoginEvent } from './types';

export interface ConditionalMfaSettings {
  /** Where the flag is read: users can edit their own user_metadata, not app_metadata. */
  flagSource: FlagSource;
  provider: MfaProvider;
  allowRememberBrowser: boolean;
  /** "any": api.multifactor.enable(provider); a list: api.authentication.challengeWithAny with those factors. */
  challenge: 'any' | ChallengeFactor[];
  /** Whose logins are challenged: every application's, only the listed ones', or all but the listed (trusted). */
  applications: { scope: 'all' } | { scope: 'only' | 'except'; clientIds: string[] };
}

export const DEFAULT_SETTINGS: ConditionalMfaSettings = {
  flagSource: 'user_metadata',
  provider: 'any',
  allowRememberBrowser: false,
  challenge: 'any',
  applications: { scope: 'all' },
};

/** The metadata field that holds the flag (src/config/vocabulary.ts; the type keeps the two equal). */
export const FLAG: typeof FLAG_FIELD = 'use_mfa';

/**
 * A plain object: what JSON gives, possibly built in another realm (the Actions runtime's sandbox), so its
 * prototype is null or a realm's Object.prototype. Not an array, a primitive, a class instance or an object
 * whose prototype was chosen to carry fields (Object.create({ use_mfa: true })).
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

/** A field of the object itself: an inherited one (a prototype's, or Object.prototype's) never counts. */
function ownField(container: unknown, key: string): unknown {
  if (typeof container !== 'object' || container === null || !Object.hasOwn(container, key)) return undefined;
  return (container as Record<string, unknown>)[key];
}

// Only the JSON boolean true turns MFA on: "true", 1 or "yes" are typing mistakes we refuse to guess at.
function flagIsOn(user: unknown, metadataField: 'user_metadata' | 'app_metadata'): boolean {
  const metadata = ownField(user, metadataField);
  return isPlainObject(metadata) && ownField(metadata, FLAG) === true;
}

/** Whether the application logged in to is in scope; a login without a client id is not a listed one. */
function inScope(event: PostLoginEvent, applications: ConditionalMfaSettings['applications']): boolean {
  if (applications.scope === 'all') return true;
  const clientId = ownField(ownField(event, 'client'), 'client_id');
  const listed = typeof clientId === 'string' && applications.clientIds.includes(clientId);
  return applications.scope === 'only' ? listed : !listed;
}

export function requiresMfa(event: PostLoginEvent, settings: ConditionalMfaSettings): boolean {
  // A refresh-token exchange has no user present to answer a challenge.
  if (ownField(ownField(event, 'transaction'), 'protocol') === 'oauth2-refresh-token') return false;
  if (!inScope(event, settings.applications)) return false;
  const user = ownField(event, 'user');
  if (settings.flagSource === 'user_metadata') return flagIsOn(user, 'user_metadata');
  if (settings.flagSource === 'app_metadata') return flagIsOn(user, 'app_metadata');
  return flagIsOn(user, 'user_metadata') || flagIsOn(user, 'app_metadata');
}

export function createPostLoginHandler(settings: ConditionalMfaSettings) {
  return async function handle(event: PostLoginEvent, api: PostLoginApi): Promise<void> {
    if (!requiresMfa(event, settings)) return;
    if (settings.challenge === 'any') {
      api.multifactor.enable(settings.provider, { allowRememberBrowser: settings.allowRememberBrowser });
    } else {
      api.authentication.challengeWithAny(settings.challenge.map((type) => ({ type })));
    }
  };
}

export const onExecutePostLogin = createPostLoginHandler(DEFAULT_SETTINGS);
