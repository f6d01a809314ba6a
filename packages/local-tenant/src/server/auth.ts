// Authentication in one place: the Management API access tokens this tenant issues (HS256 JWTs signed
// with a key kept in the tenant directory; Auth0 signs RS256) and the bearer check of every request.
import { createHmac, timingSafeEqual } from 'node:crypto';
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

function b64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

function mac(runtime: TenantRuntime, signed: string): Buffer {
  return createHmac('sha256', runtime.signingKey).update(signed).digest();
}

/** The audiences this tenant answers to: its Management API under both of its host names. */
export function managementAudiences(runtime: TenantRuntime): string[] {
  return [`https://localhost:${runtime.port}/api/v2/`, `https://127.0.0.1:${runtime.port}/api/v2/`];
}

/** A Management API token for `clientId`, granting every scope. */
export function issueManagementToken(runtime: TenantRuntime, clientId: string, audience: string): string {
  const now = Math.floor(Date.now() / 1000);
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'local-tenant' }));
  const body = b64url(
    JSON.stringify({
      iss: `https://${runtime.domain}/`,
      sub: `${clientId}@clients`,
      aud: audience,
      iat: now,
      exp: now + TOKEN_LIFETIME_SECONDS,
      scope: MANAGEMENT_SCOPES,
      gty: 'client-credentials',
      azp: clientId,
    }),
  );
  return `${head}.${body}.${b64url(mac(runtime, `${head}.${body}`))}`;
}

export type TokenCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; message: string };

export function verifyAccessToken(runtime: TenantRuntime, token: string): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, message: 'Bad HTTP authentication header format' };
  const expected = mac(runtime, `${parts[0]}.${parts[1]}`);
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, message: 'Invalid token' };
  }
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return { ok: false, message: 'Invalid token' };
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) {
    return { ok: false, message: 'Expired token received for JSON Web Token validation' };
  }
  if (typeof claims.aud !== 'string' || !managementAudiences(runtime).includes(claims.aud)) {
    return { ok: false, message: 'Invalid token' };
  }
  return { ok: true, claims };
}

/** The bearer check of the Management API and the admin routes: throws Auth0's 401s. */
export function authenticate(runtime: TenantRuntime, headers: IncomingHttpHeaders): void {
  const header = headers.authorization;
  if (!header) throw ApiError.management(401, 'Missing authentication');
  const bearer = header.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (!bearer) throw ApiError.management(401, 'Bad HTTP authentication header format');
  const check = verifyAccessToken(runtime, bearer);
  if (!check.ok) throw ApiError.management(401, check.message);
}
