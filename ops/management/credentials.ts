// Which Auth0 credentials the environment holds, by the auth0 Terraform provider's rule, and the connection
// settings every Management API client of ours is built from. Kept apart from ./client on purpose: the plan
// and deploy commands check credentials before anything runs, and must not load the auth0 SDK to do so
// (their recovery loads it lazily, only when a plan creates something).
import { UsageError } from './errors';

/** How the tool proves who it is: a ready token, or a client that gets one (the provider's two ways). */
export type Auth = { token: string } | { clientId: string; clientSecret: string };

/** The credentials found, or which half of the client pair is missing (none: nothing is set at all). */
export type CredentialsFound =
  | { auth: Auth }
  | { auth?: undefined; missing?: 'AUTH0_CLIENT_ID' | 'AUTH0_CLIENT_SECRET' };

/**
 * The provider's rule: AUTH0_API_TOKEN wins when present, else the client credentials pair. A value of
 * blanks counts as unset (no tenant accepts it, and a trailing newline from a secret store is not part of it).
 */
export function findCredentials(env: NodeJS.ProcessEnv): CredentialsFound {
  const token = env.AUTH0_API_TOKEN?.trim();
  if (token) return { auth: { token } };
  const clientId = env.AUTH0_CLIENT_ID?.trim();
  const clientSecret = env.AUTH0_CLIENT_SECRET?.trim();
  if (clientId && clientSecret) return { auth: { clientId, clientSecret } };
  if (clientId) return { missing: 'AUTH0_CLIENT_SECRET' };
  if (clientSecret) return { missing: 'AUTH0_CLIENT_ID' };
  return {};
}

/** The scopes the mfa tool's application needs; other commands name their own. */
export const MFA_TOOL_SCOPES = 'read:users and update:users';

/**
 * The credentials, or a UsageError naming the variables to set and the scopes the application needs,
 * never a value.
 */
export function readAuth(env: NodeJS.ProcessEnv, scopes = MFA_TOOL_SCOPES): Auth {
  const found = findCredentials(env);
  if (found.auth) return found.auth;
  const detail = found.missing ? ` (${found.missing} is not set)` : '';
  throw new UsageError(
    `Missing Auth0 credentials${detail}: set AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET (a machine-to-machine ` +
      `application with ${scopes}), or AUTH0_API_TOKEN.`,
  );
}

/** What a Management client takes from the environment, besides the domain its command chose. */
export interface Connection {
  auth: Auth;
  /** AUTH0_AUDIENCE, for a tenant behind a custom domain (the provider reads it too). */
  audience?: string;
}

/**
 * The one reading of the environment every Management client of ours is built from (mfa, adopt,
 * recovery): spread it into createManagementClient. Throws readAuth's UsageError, naming `scopes`.
 */
export function connectionFromEnv(env: NodeJS.ProcessEnv, scopes?: string): Connection {
  const auth = readAuth(env, scopes);
  const audience = env.AUTH0_AUDIENCE?.trim();
  return audience ? { auth, audience } : { auth };
}
