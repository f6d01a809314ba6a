// POST /oauth/token: the client-credentials grant for the Management API, as the Go SDK (HTTP Basic
// first, then credentials in the form) and the Node SDK (JSON or form body) send it.
// Tokens are HS256 JWTs signed with a key kept in the tenant directory (Auth0 signs RS256).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { json, OAuthError, type RequestContext, type Route, type TenantRuntime } from '../http';

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

function sign(runtime: TenantRuntime, payload: Record<string, unknown>): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'local-tenant' }));
  const body = b64url(JSON.stringify(payload));
  const mac = createHmac('sha256', runtime.signingKey).update(`${head}.${body}`).digest();
  return `${head}.${body}.${b64url(mac)}`;
}

/** The audiences this tenant answers to: its Management API under both of its host names. */
export function managementAudiences(runtime: TenantRuntime): string[] {
  return [`https://localhost:${runtime.port}/api/v2/`, `https://127.0.0.1:${runtime.port}/api/v2/`];
}

export type TokenCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; message: string };

export function verifyAccessToken(runtime: TenantRuntime, token: string): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, message: 'Bad HTTP authentication header format' };
  const expected = createHmac('sha256', runtime.signingKey).update(`${parts[0]}.${parts[1]}`).digest();
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

function parseTokenRequest(ctx: RequestContext): Record<string, string> {
  const type = String(ctx.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  const text = ctx.rawBody.toString('utf8');
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text || '{}');
    } catch {
      throw new OAuthError(400, 'invalid_request', 'Invalid request payload JSON format');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new OAuthError(400, 'invalid_request', 'Invalid request payload JSON format');
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
    return out;
  }
  if (type === 'application/x-www-form-urlencoded' || type === '') {
    return Object.fromEntries(new URLSearchParams(text));
  }
  throw new OAuthError(400, 'invalid_request', `Unsupported content type: ${type}`);
}

function basicCredentials(ctx: RequestContext): { id: string; secret: string } | undefined {
  const header = ctx.headers.authorization;
  if (!header?.toLowerCase().startsWith('basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 2.3.1: both parts are form-urlencoded before base64.
  const formDecode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  try {
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function issueToken(ctx: RequestContext) {
  const form = parseTokenRequest(ctx);
  const basic = basicCredentials(ctx);
  const clientId = basic?.id ?? form.client_id;
  const clientSecret = basic?.secret ?? form.client_secret;
  const grantType = form.grant_type;

  if (!grantType) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: grant_type');
  if (!clientId) throw new OAuthError(401, 'access_denied', 'Unauthorized');
  if (
    clientId !== ctx.runtime.clientId ||
    !clientSecret ||
    !sameSecret(clientSecret, ctx.runtime.clientSecret)
  ) {
    throw new OAuthError(401, 'access_denied', 'Unauthorized');
  }
  if (grantType !== 'client_credentials') {
    throw new OAuthError(403, 'unauthorized_client', `Grant type '${grantType}' not allowed for the client.`);
  }
  const audience = form.audience;
  if (!audience) {
    throw new OAuthError(
      403,
      'access_denied',
      'No audience parameter was provided, and no default audience has been configured',
    );
  }
  if (!managementAudiences(ctx.runtime).includes(audience)) {
    throw new OAuthError(403, 'access_denied', `Service not enabled within domain: ${audience}`);
  }
  const now = Math.floor(Date.now() / 1000);
  const accessToken = sign(ctx.runtime, {
    iss: `https://${ctx.runtime.domain}/`,
    sub: `${clientId}@clients`,
    aud: audience,
    iat: now,
    exp: now + TOKEN_LIFETIME_SECONDS,
    scope: MANAGEMENT_SCOPES,
    gty: 'client-credentials',
    azp: clientId,
  });
  return json(200, {
    access_token: accessToken,
    scope: MANAGEMENT_SCOPES,
    expires_in: TOKEN_LIFETIME_SECONDS,
    token_type: 'Bearer',
  });
}

export const oauthRoutes: Route[] = [
  { method: 'POST', pattern: '/oauth/token', handler: issueToken, rawBody: true },
];
