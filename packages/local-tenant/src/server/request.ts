// What a handler of an API area receives and returns, and the route table type. The server (routing,
// authentication, errors, rate limits) is the only caller of handlers.
import type { IncomingHttpHeaders } from 'node:http';
import type { TokenSigner } from '../auth/tokens';
import type { ActionBuilder } from '../builds/builder';
import type { TenantStore } from '../tenant/store';

export interface HandlerResult {
  status: number;
  body?: unknown;
  /** A non-JSON body (a login page, plain text): sent as is, with the result's content-type. */
  text?: string;
  headers?: Record<string, string>;
}

/** What the tenant knows about itself while it serves (the port is only known after listen). */
export interface TenantRuntime {
  readonly domain: string;
  readonly port: number;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Signs and checks every token of the tenant (RS256, the key of /.well-known/jwks.json). */
  readonly signer: TokenSigner;
  /** How long an Action build stays `pending`. */
  readonly buildDelayMs: number;
  /** Checks the dependencies of Action builds against the npm registry, in the background. */
  readonly builds: ActionBuilder;
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
