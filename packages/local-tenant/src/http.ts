// Shared HTTP vocabulary of the local tenant: Auth0-shaped errors, the request context handed to
// resource handlers, and the route table type. Kept free of server plumbing so resources stay small.
import type { IncomingHttpHeaders } from 'node:http';
import type { TenantStore } from './store';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? 'Error';
}

/** Body of every Management API error: `{statusCode, error, message}` plus Auth0's optional `errorCode`. */
export interface Auth0ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  errorCode?: string;
}

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly errorCode?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): Auth0ErrorBody {
    const body: Auth0ErrorBody = {
      statusCode: this.statusCode,
      error: statusText(this.statusCode),
      message: this.message,
    };
    if (this.errorCode) body.errorCode = this.errorCode;
    return body;
  }
}

/** Errors of the OAuth endpoints use the OAuth 2 shape, not the Management API one. */
export class OAuthError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

export function notFound(message: string, errorCode?: string): ApiError {
  return new ApiError(404, message, errorCode);
}

export function badRequest(message: string, errorCode?: string): ApiError {
  return new ApiError(400, message, errorCode);
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What the tenant knows about itself while it serves (the port is only known after listen). */
export interface TenantRuntime {
  readonly domain: string;
  readonly port: number;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly signingKey: string;
}

export interface RequestContext {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** Parsed JSON body; undefined when the request had no body. */
  body: unknown;
  store: TenantStore;
  runtime: TenantRuntime;
}

export type Handler = (ctx: RequestContext) => HandlerResult | Promise<HandlerResult>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path with `{name}` placeholders, each matching one URL segment. */
  pattern: string;
  handler: Handler;
  /** The handler reads `rawBody` itself (form-encoded token requests). */
  rawBody?: boolean;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): HandlerResult {
  return { status, body, headers };
}

export function noContent(): HandlerResult {
  return { status: 204 };
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** Query booleans as Auth0 reads them: `true`/`false`, anything else is absent. */
export function queryBool(query: URLSearchParams, name: string): boolean | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw badRequest(
    `Query validation error: 'Expected type boolean but found type string' on property ${name}.`,
    'invalid_query_string',
  );
}

export function queryInt(
  query: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = query.get(name);
  if (value === null || value === '') return fallback;
  if (!/^\d+$/.test(value)) {
    throw badRequest(
      `Query validation error: 'Expected type integer but found type string' on property ${name}.`,
      'invalid_query_string',
    );
  }
  const n = Number(value);
  if (n < min) {
    throw badRequest(
      `Query validation error: 'Value ${n} is less than minimum ${min}' on property ${name}.`,
      'invalid_query_string',
    );
  }
  if (n > max) {
    throw badRequest(
      `Query validation error: 'Value ${n} is greater than maximum ${max}' on property ${name}.`,
      'invalid_query_string',
    );
  }
  return n;
}

/** Applies Auth0's `fields` / `include_fields` projection to one record. */
export function projectFields(
  record: Record<string, unknown>,
  query: URLSearchParams,
): Record<string, unknown> {
  const fields = query.get('fields');
  if (!fields) return record;
  const names = new Set(
    fields
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean),
  );
  const include = query.get('include_fields') !== 'false';
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (names.has(key) === include) out[key] = value;
  }
  return out;
}
