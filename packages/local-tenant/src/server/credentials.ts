// What the token and MFA endpoints of both APIs read the same way: a form or JSON body as strings,
// the client's id and secret (HTTP Basic first, then the body), and a constant-time secret check.
import { timingSafeEqual } from 'node:crypto';
import { ApiError } from './errors';
import type { RequestContext } from './request';

export interface ClientAuth {
  clientId?: string;
  clientSecret?: string;
}

const invalidRequest = (description: string) => ApiError.oauth(400, 'invalid_request', description);

/** The media type of the request body, lowercased, without parameters. */
export function contentType(ctx: RequestContext): string {
  return String(ctx.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
}

/** A form or JSON body as strings (Auth0 accepts both on its token and MFA endpoints). */
export function formOf(ctx: RequestContext): Record<string, string> {
  const text = ctx.rawBody.toString('utf8');
  const type = contentType(ctx);
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text || '{}');
    } catch {
      throw invalidRequest('Invalid request payload JSON format');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw invalidRequest('Invalid request payload JSON format');
    return Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'string')) as Record<
      string,
      string
    >;
  }
  if (type === 'application/x-www-form-urlencoded' || type === '')
    return Object.fromEntries(new URLSearchParams(text));
  throw invalidRequest(`Unsupported content type: ${type}`);
}

/** Client id and secret: HTTP Basic first (RFC 6749 2.3.1, form-encoded parts), then the body. */
export function clientAuthOf(ctx: RequestContext, form: Record<string, string>): ClientAuth {
  const header = ctx.headers.authorization;
  if (header?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const formDecode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    if (colon >= 0) {
      try {
        return {
          clientId: formDecode(decoded.slice(0, colon)),
          clientSecret: formDecode(decoded.slice(colon + 1)),
        };
      } catch {
        // malformed: fall back to the body
      }
    }
  }
  return { clientId: form.client_id, clientSecret: form.client_secret };
}

/** Compares a presented secret with the expected one in constant time. */
export function sameSecret(presented: string, expected: string): boolean {
  const x = Buffer.from(presented);
  const y = Buffer.from(expected);
  return x.length === y.length && timingSafeEqual(x, y);
}
