// What logins keep in the tenant's data (section `auth` of tenant.json): the login application, each
// user's MFA authenticators, refresh tokens and remembered browsers. Codes and tokens only as hashes.
import type { Immutable } from '../tenant/model';
import type { LocalFactor } from './factors';

export interface StoredClient {
  client_id: string;
  client_secret: string;
  name: string;
  /** Callback URLs; a path (starting with /) is a page of this tenant under any of its host names. */
  callbacks: string[];
  /** Allowed Logout URLs (`returnTo`, `post_logout_redirect_uri` with this client); paths as for callbacks. */
  allowed_logout_urls?: string[];
  grant_types: string[];
}

/** A client as the state holds it (read-only). */
export type Client = Immutable<StoredClient>;

export interface StoredAuthenticator {
  /** `totp|dev_...`, `email|dev_...`, `recovery-code|dev_...`, as Auth0 names them. */
  id: string;
  type: LocalFactor;
  /** False until the first code is verified (an enrollment in progress). */
  confirmed: boolean;
  created_at: string;
  last_auth_at?: string;
  /** TOTP secret (base32): the tenant must compute codes, so it cannot keep only a hash. */
  secret?: string;
  email?: string;
  code_hash?: string;
}

export interface StoredRefreshToken {
  id: string;
  token_hash: string;
  user_id: string;
  client_id: string;
  scope: string;
  audience?: string;
  created_at: string;
}

export interface RememberedBrowser {
  hash: string;
  expires_at: string;
}

export interface AuthData {
  clients: StoredClient[];
  authenticators: Record<string, StoredAuthenticator[]>;
  refreshTokens: StoredRefreshToken[];
  rememberedBrowsers: Record<string, RememberedBrowser[]>;
}

export function emptyAuthData(): AuthData {
  return { clients: [], authenticators: {}, refreshTokens: [], rememberedBrowsers: {} };
}
