// Authentication in one place: the Management API access tokens this tenant issues (HS256 JWTs signed
// with a key kept in the tenant directory; Auth0 signs RS256) and the bearer check of every request.
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from './errors';
import type { TenantRuntime } from './request';

export const TOKEN_LIFETIME_SECONDS = 86400;

export const MANAGEMENT_SCOPES = [
  'read:users',
  'create:users',
  'update:users',
  'delete:users',
  'read:users_app_metadata',
  'update:users_app_metadata',
  'create:users_app_metadata',
  'delete:users_app_metadata',
  'read:actions',
  'create:actions',
  'update:actions',
  'delete:actions',
  'read:guardian_factors',
  'update:guardian_factors',
  'read:mfa_policies',
  'update:mfa_policies',
  'read:tenant_settings',
  'update:tenant_settings',
  'read:prompts',
  'update:prompts',
  'read:roles',
  'create:roles',
  'update:roles',
  'delete:roles',
  'read:organizations',
  'create:organizations',
  'update:organizations',
  'delete:organizations',
  'read:organization_members',
  'create:organization_members',
  'delete:organization_members',
].join(' ');

/** The audiences this tenant answers to: its Management API under both of its host names. */
export function managementAudiences(runtime: TenantRuntime): string[] {
  return [`https://localhost:${runtime.port}/api/v2/`, `https://127.0.0.1:${runtime.port}/api/v2/`];
}

/** A Management API token for `clientId`, granting every scope, signed RS256 like every token here. */
export function issueManagementToken(
  runtime: TenantRuntime,
  clientId: string,
  audience: string,
): Promise<string> {
  return runtime.signer.sign(
    {
      sub: `${clientId}@clients`,
      aud: audience,
      scope: MANAGEMENT_SCOPES,
      gty: 'client-credentials',
      azp: clientId,
    },
    TOKEN_LIFETIME_SECONDS,
  );
}

export type TokenCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; error: ApiError };

/** Auth0's answers, as its users quote them (see the README's fidelity table for the sources). */
const BAD_HEADER = () => ApiError.management(400, 'Bad HTTP authentication header format', 'Bearer');
const EXPIRED = 'Expired token received for JSON Web Token validation';
const INVALID = 'Invalid token';

/** A Management API token: signed here, not expired, for this tenant's /api/v2/, and a client's (not a user's). */
export async function verifyAccessToken(runtime: TenantRuntime, token: string): Promise<TokenCheck> {
  // Not a JWT at all (an opaque token, a client secret): Auth0 refuses the header, not the token.
  if (token.split('.').length !== 3) return { ok: false, error: BAD_HEADER() };
  try {
    const claims = await runtime.signer.verify(token, managementAudiences(runtime));
    if (claims.gty !== 'client-credentials') return { ok: false, error: ApiError.unauthorized(INVALID) };
    return { ok: true, claims };
  } catch (error) {
    const expired = (error as Error).message === EXPIRED;
    return { ok: false, error: ApiError.unauthorized(expired ? EXPIRED : INVALID) };
  }
}

/**
 * The bearer check of the Management API and the admin routes, answering as Auth0 does: no header or
 * another scheme is 401 `Missing authentication`; a header that is not `Bearer <token>`, or a token
 * that is not a JWT, 400 with errorCode `Bearer`; a refused JWT 401 with the reason in `attributes`.
 */
export async function authenticate(runtime: TenantRuntime, headers: IncomingHttpHeaders): Promise<void> {
  const parts = headers.authorization?.trim().split(/\s+/) ?? [];
  if (parts.length === 0 || parts[0].toLowerCase() !== 'bearer')
    throw ApiError.management(401, 'Missing authentication');
  if (parts.length !== 2) throw BAD_HEADER();
  const check = await verifyAccessToken(runtime, parts[1]);
  if (!check.ok) throw check.error;
}
