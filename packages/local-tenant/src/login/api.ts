// The post-login `api` object handed to each Action: it records what the Action asks for (MFA,
// denial, claims, metadata, redirects, ...) into the flow state instead of doing it.
import type { JsonMap } from '../tenant/model';

export const MFA_PROVIDERS = ['any', 'guardian', 'google-authenticator', 'duo', 'none'];

export interface MfaRequest {
  provider: string;
  options?: JsonMap;
  action: string;
}

export interface FlowState {
  userMetadata: JsonMap;
  appMetadata: JsonMap;
  /** Keys changed by Actions (value `null` = delete), applied to the stored user at the end. */
  userMetadataUpdates: JsonMap;
  appMetadataUpdates: JsonMap;
  mfa?: MfaRequest;
  denied?: { reason: string; action: string };
  redirect?: { url: string; query?: JsonMap; action: string };
  idTokenClaims: JsonMap;
  accessTokenClaims: JsonMap;
  scopesAdded: string[];
  scopesRemoved: string[];
  calls: string[];
  cache: Map<string, { value: string; expires_at: number }>;
}

/** A fresh flow state without its cache: the part that crosses to an Action's worker. */
export function newWireFlowState(userMetadata: JsonMap, appMetadata: JsonMap): Omit<FlowState, 'cache'> {
  return {
    userMetadata: structuredClone(userMetadata),
    appMetadata: structuredClone(appMetadata),
    userMetadataUpdates: {},
    appMetadataUpdates: {},
    idTokenClaims: {},
    accessTokenClaims: {},
    scopesAdded: [],
    scopesRemoved: [],
    calls: [],
  };
}

export function newFlowState(userMetadata: JsonMap, appMetadata: JsonMap): FlowState {
  return { ...newWireFlowState(userMetadata, appMetadata), cache: new Map() };
}

function plain(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function factorType(factor: unknown): string {
  return (factor as { type?: string } | undefined)?.type ?? 'unknown';
}

function requireString(method: string, name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '')
    throw new TypeError(`${method}: ${name} must be a non-empty string`);
  return value;
}

/**
 * Builds the `api` for one Action. `event` is that Action's event (inside its sandbox): metadata
 * changes are reflected in `event.user` right away, as Auth0 does for the rest of the flow.
 */
export function createPostLoginApi(state: FlowState, actionName: string, event: { user: JsonMap }): JsonMap {
  const api: JsonMap = {};
  const record = (call: string) => state.calls.push(`${actionName}: ${call}`);
  const setMetadata = (kind: 'user' | 'app', name: unknown, value: unknown) => {
    const key = requireString(`api.user.set${kind === 'user' ? 'User' : 'App'}Metadata`, 'name', name);
    const current = kind === 'user' ? state.userMetadata : state.appMetadata;
    const updates = kind === 'user' ? state.userMetadataUpdates : state.appMetadataUpdates;
    const copy = plain(value);
    if (copy === undefined || copy === null) {
      delete current[key];
      updates[key] = null;
    } else {
      current[key] = copy;
      updates[key] = copy;
    }
    const target = event.user[kind === 'user' ? 'user_metadata' : 'app_metadata'] as JsonMap | undefined;
    if (target) {
      if (copy === undefined || copy === null) delete target[key];
      else target[key] = plain(copy);
    }
    record(`set${kind === 'user' ? 'User' : 'App'}Metadata(${key})`);
    return api;
  };

  api.access = {
    deny(reason: unknown) {
      state.denied = { reason: String(reason ?? ''), action: actionName };
      record('access.deny');
      return api;
    },
  };
  api.multifactor = {
    enable(provider: unknown, options?: unknown) {
      if (typeof provider !== 'string' || !MFA_PROVIDERS.includes(provider)) {
        throw new TypeError(`api.multifactor.enable: unknown provider ${JSON.stringify(provider)}`);
      }
      state.mfa = { provider, action: actionName };
      if (options !== undefined && options !== null) state.mfa.options = plain(options) as JsonMap;
      record(`multifactor.enable(${provider})`);
      return api;
    },
  };
  // Every challenge/enroll call asks for MFA with any factor; `options` says which way.
  const requireMfa = (options: JsonMap, call: string) => {
    state.mfa = { provider: 'any', options, action: actionName };
    record(`authentication.${call}`);
    return api;
  };
  api.authentication = {
    challengeWith(factor: unknown, options?: { additionalFactors?: unknown[] }) {
      const type = factorType(factor);
      return requireMfa({ challengeWith: type, ...(plain(options) as JsonMap) }, `challengeWith(${type})`);
    },
    challengeWithAny(factors: unknown) {
      return requireMfa({ challengeWithAny: plain(factors) }, 'challengeWithAny');
    },
    enrollWith(factor: unknown) {
      const type = factorType(factor);
      return requireMfa({ enrollWith: type }, `enrollWith(${type})`);
    },
    enrollWithAny(factors: unknown) {
      return requireMfa({ enrollWithAny: plain(factors) }, 'enrollWithAny');
    },
    recordMethod(url: unknown) {
      record(`authentication.recordMethod(${String(url)})`);
      return api;
    },
    setPrimaryUser(id: unknown) {
      record(`authentication.setPrimaryUser(${String(id)})`);
      return api;
    },
  };
  api.idToken = {
    setCustomClaim(name: unknown, value: unknown) {
      state.idTokenClaims[requireString('api.idToken.setCustomClaim', 'name', name)] = plain(value);
      record(`idToken.setCustomClaim(${String(name)})`);
      return api;
    },
  };
  api.accessToken = {
    setCustomClaim(name: unknown, value: unknown) {
      state.accessTokenClaims[requireString('api.accessToken.setCustomClaim', 'name', name)] = plain(value);
      record(`accessToken.setCustomClaim(${String(name)})`);
      return api;
    },
    addScope(scope: unknown) {
      state.scopesAdded.push(requireString('api.accessToken.addScope', 'scope', scope));
      return api;
    },
    removeScope(scope: unknown) {
      state.scopesRemoved.push(requireString('api.accessToken.removeScope', 'scope', scope));
      return api;
    },
  };
  api.user = {
    setUserMetadata: (name: unknown, value: unknown) => setMetadata('user', name, value),
    setAppMetadata: (name: unknown, value: unknown) => setMetadata('app', name, value),
  };
  api.redirect = {
    sendUserTo(url: unknown, options?: { query?: unknown }) {
      state.redirect = { url: requireString('api.redirect.sendUserTo', 'url', url), action: actionName };
      if (options?.query) state.redirect.query = plain(options.query) as JsonMap;
      record('redirect.sendUserTo');
      return api;
    },
    encodeToken() {
      throw new Error('api.redirect.encodeToken is not supported by the local login simulator');
    },
    validateToken() {
      throw new Error('api.redirect.validateToken is not supported by the local login simulator');
    },
  };
  api.cache = {
    get(key: unknown) {
      const entry = state.cache.get(String(key));
      if (!entry || entry.expires_at < Date.now()) return undefined;
      return { value: entry.value, expires_at: entry.expires_at };
    },
    set(key: unknown, value: unknown, options?: { ttl?: number; expires_at?: number }) {
      const expiresAt = options?.expires_at ?? Date.now() + (options?.ttl ?? 15 * 60 * 1000);
      state.cache.set(String(key), { value: String(value), expires_at: expiresAt });
      return { type: 'success' };
    },
    delete(key: unknown) {
      state.cache.delete(String(key));
      return { type: 'success' };
    },
  };
  api.rules = { wasExecuted: () => false };
  api.session = {
    setExpiresAt: () => api,
    setIdleExpiresAt: () => api,
    revoke: (reason: unknown) => {
      state.denied = { reason: `session revoked: ${String(reason ?? '')}`, action: actionName };
      return api;
    },
  };
  api.samlResponse = new Proxy({}, { get: () => () => api });
  api.transaction = { setResultUrl: () => api };
  api.prompt = {
    render() {
      throw new Error('api.prompt.render is not supported by the local login simulator');
    },
  };
  return api;
}
