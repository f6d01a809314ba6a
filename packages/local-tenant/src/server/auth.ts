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

export type TokenCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; message: string };

/** A Management API token: signed here, not expired, for this tenant's /api/v2/, and a client's (not a user's). */
export async function verifyAccessToken(runtime: TenantRuntime, token: string): Promise<TokenCheck> {
  if (token.split('.').length !== 3) return { ok: false, message: 'Bad HTTP authentication header format' };
  try {
    const claims = await runtime.signer.verify(token, managementAudiences(runtime));
    if (claims.gty !== 'client-credentials') return { ok: false, message: 'Invalid token' };
    return { ok: true, claims };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/** The bearer check of the Management API and the admin routes: throws Auth0's 401s. */
export async function authenticate(runtime: TenantRuntime, headers: IncomingHttpHeaders): Promise<void> {
  const header = headers.authorization;
  if (!header) throw ApiError.management(401, 'Missing authentication');
  const bearer = header.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (!bearer) throw ApiError.management(401, 'Bad HTTP authentication header format');
  const check = await verifyAccessToken(runtime, bearer);
  if (!check.ok) throw ApiError.management(401, check.message);
}
