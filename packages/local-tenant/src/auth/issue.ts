// The tokens of a completed login, with the claims Auth0 puts in them: the ID token (audience the
// client, profile/email claims by scope, amr after MFA, nonce), the access token (for /userinfo),
// and an opaque refresh token when offline_access was granted.
import type { JsonMap } from '../tenant/model';
import type { TokenSigner } from './tokens';

export const ID_TOKEN_LIFETIME_SECONDS = 36_000;
export const ACCESS_TOKEN_LIFETIME_SECONDS = 86_400;

/** Claims an Action cannot set (Auth0 ignores them). */
const RESERVED = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'azp',
  'nonce',
  'auth_time',
  'at_hash',
  'c_hash',
  'acr',
  'amr',
  'sid',
  'scope',
  'gty',
  'org_id',
]);

const PROFILE_CLAIMS = ['name', 'nickname', 'given_name', 'family_name', 'picture', 'updated_at'];

export interface UserProfile {
  user_id: string;
  email?: string;
  email_verified?: boolean;
  [claim: string]: unknown;
}

export interface CompletedLogin {
  user: UserProfile;
  clientId: string;
  scope: string[];
  nonce?: string;
  /** `['mfa']` when a second factor was passed in this login (or `pwd` etc., Auth0 only lists mfa). */
  amr: string[];
  authTime: number;
  sessionId: string;
  idTokenClaims: JsonMap;
  accessTokenClaims: JsonMap;
}

function custom(claims: JsonMap): JsonMap {
  return Object.fromEntries(Object.entries(claims).filter(([k]) => !RESERVED.has(k)));
}

/** The claims /userinfo and the ID token share, by granted scope. */
export function profileClaims(user: UserProfile, scope: string[]): JsonMap {
  const claims: JsonMap = { sub: user.user_id };
  if (scope.includes('profile'))
    for (const c of PROFILE_CLAIMS) if (user[c] !== undefined) claims[c] = user[c];
  if (scope.includes('email') && user.email !== undefined) {
    claims.email = user.email;
    claims.email_verified = user.email_verified ?? false;
  }
  return claims;
}

export interface TokenSet {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  scope: string;
  expires_in: number;
  token_type: 'Bearer';
}

export async function issueTokens(
  signer: TokenSigner,
  login: CompletedLogin,
  refreshToken?: string,
): Promise<TokenSet> {
  const scope = login.scope.join(' ');
  const accessToken = await signer.sign(
    {
      ...custom(login.accessTokenClaims),
      sub: login.user.user_id,
      aud: [`${signer.issuer}userinfo`],
      azp: login.clientId,
      scope,
    },
    ACCESS_TOKEN_LIFETIME_SECONDS,
  );
  const set: TokenSet = {
    access_token: accessToken,
    scope,
    expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
    token_type: 'Bearer',
  };
  if (login.scope.includes('openid')) {
    const claims: JsonMap = {
      ...custom(login.idTokenClaims),
      ...profileClaims(login.user, login.scope),
      aud: login.clientId,
      sid: login.sessionId,
      auth_time: login.authTime,
    };
    if (login.nonce) claims.nonce = login.nonce;
    if (login.amr.length) claims.amr = login.amr;
    set.id_token = await signer.sign(claims, ID_TOKEN_LIFETIME_SECONDS);
  }
  if (refreshToken) set.refresh_token = refreshToken;
  return set;
}
