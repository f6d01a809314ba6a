// POST /oauth/token: the client-credentials grant for the Management API, as the Go SDK (HTTP Basic
// first, then credentials in the form) and the Node SDK (JSON or form body) send it.
import { timingSafeEqual } from 'node:crypto';
import {
  issueManagementToken,
  MANAGEMENT_SCOPES,
  managementAudiences,
  TOKEN_LIFETIME_SECONDS,
} from '../server/auth';
import { ApiError } from '../server/errors';
import { json, type RequestContext, type Route } from '../server/request';

function invalidRequest(description: string): ApiError {
  return ApiError.oauth(400, 'invalid_request', description);
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
      throw invalidRequest('Invalid request payload JSON format');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw invalidRequest('Invalid request payload JSON format');
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
    return out;
  }
  if (type === 'application/x-www-form-urlencoded' || type === '') {
    return Object.fromEntries(new URLSearchParams(text));
  }
  throw invalidRequest(`Unsupported content type: ${type}`);
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

export async function issueToken(ctx: RequestContext) {
  const form = parseTokenRequest(ctx);
  const basic = basicCredentials(ctx);
  const clientId = basic?.id ?? form.client_id;
  const clientSecret = basic?.secret ?? form.client_secret;
  const grantType = form.grant_type;

  if (!grantType) throw invalidRequest('Missing required parameter: grant_type');
  if (
    !clientId ||
    clientId !== ctx.runtime.clientId ||
    !clientSecret ||
    !sameSecret(clientSecret, ctx.runtime.clientSecret)
  ) {
    throw ApiError.oauth(401, 'access_denied', 'Unauthorized');
  }
  if (grantType !== 'client_credentials') {
    throw ApiError.oauth(403, 'unauthorized_client', `Grant type '${grantType}' not allowed for the client.`);
  }
  const audience = form.audience;
  if (!audience) {
    throw ApiError.oauth(
      403,
      'access_denied',
      'No audience parameter was provided, and no default audience has been configured',
    );
  }
  if (!managementAudiences(ctx.runtime).includes(audience)) {
    throw ApiError.oauth(403, 'access_denied', `Service not enabled within domain: ${audience}`);
  }
  return json(200, {
    access_token: await issueManagementToken(ctx.runtime, clientId, audience),
    scope: MANAGEMENT_SCOPES,
    expires_in: TOKEN_LIFETIME_SECONDS,
    token_type: 'Bearer',
  });
}

export const oauthRoutes: Route[] = [
  { method: 'POST', pattern: '/oauth/token', handler: issueToken, rawBody: true },
];
