// The HTTPS server of the local tenant: 127.0.0.1 only, a route table, bearer authentication,
// Auth0-shaped errors, request counting and fault injection, plus the admin routes under /local/.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { CertificateFiles } from './certificates';
import { type FaultInjector, type FaultSettings, FaultSettingsError } from './faults';
import {
  ApiError,
  type HandlerResult,
  json,
  noContent,
  OAuthError,
  type RequestContext,
  type Route,
  type TenantRuntime,
} from './http';
import { type LoginOptions, runLoginFlow } from './login/simulate';
import { actionRoutes } from './resources/actions';
import { guardianRoutes } from './resources/guardian';
import { oauthRoutes, verifyAccessToken } from './resources/oauth';
import { tenantRoutes } from './resources/tenant';
import { triggerRoutes } from './resources/triggers';
import { userRoutes } from './resources/users';
import { isPlainObject } from './resources/validate';
import type { TenantStore } from './store';

export interface TenantStats {
  /** Requests received outside /local/ (token requests and Management API calls, faulted ones included). */
  calls: number;
  /** The same, by `METHOD /pattern` (e.g. `GET /api/v2/users/{id}`). */
  byRoute: Record<string, number>;
  /** Time spent inside handlers, in ms. */
  handlerMs: number;
  /** Requests answered 429 or 503 by fault injection. */
  faultsInjected: number;
}

const MAX_BODY_BYTES = 1024 * 1024;

interface CompiledRoute extends Route {
  segments: string[];
}

function compile(routes: Route[]): CompiledRoute[] {
  return routes.map((r) => ({ ...r, segments: r.pattern.split('/').slice(1) }));
}

type Match = { route: CompiledRoute; params: Record<string, string> };

function matchRoute(routes: CompiledRoute[], method: string, path: string): Match | undefined {
  const parts = path.split('/').slice(1);
  let best: { match: Match; literals: number } | undefined;
  for (const route of routes) {
    if (route.method !== method || route.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const seg = route.segments[i];
      if (seg.startsWith('{') && seg.endsWith('}')) {
        if (parts[i] === '') ok = false;
        else {
          try {
            params[seg.slice(1, -1)] = decodeURIComponent(parts[i]);
          } catch {
            ok = false;
          }
        }
      } else if (seg === parts[i]) literals++;
      else ok = false;
    }
    if (ok && (!best || literals > best.literals)) best = { match: { route, params }, literals };
  }
  return best?.match;
}

export interface TenantServerOptions {
  store: TenantStore;
  certificates: CertificateFiles;
  credentials: { clientId: string; clientSecret: string; signingKey: string };
  faults: FaultInjector;
  quiet?: boolean;
}

export class TenantServer {
  private readonly server: Server;
  private readonly routes: CompiledRoute[];
  private readonly adminRoutes: CompiledRoute[];
  private port = 0;
  private counters: TenantStats = { calls: 0, byRoute: {}, handlerMs: 0, faultsInjected: 0 };
  readonly runtime: TenantRuntime;

  constructor(private readonly options: TenantServerOptions) {
    const self = this;
    this.runtime = {
      get domain() {
        return `localhost:${self.port}`;
      },
      get port() {
        return self.port;
      },
      clientId: options.credentials.clientId,
      clientSecret: options.credentials.clientSecret,
      signingKey: options.credentials.signingKey,
    };
    this.routes = compile([
      ...oauthRoutes,
      ...guardianRoutes,
      ...actionRoutes,
      ...triggerRoutes,
      ...userRoutes,
      ...tenantRoutes,
    ]);
    this.adminRoutes = compile(this.makeAdminRoutes());
    this.server = createServer(
      {
        key: readFileSync(options.certificates.serverKey),
        cert: readFileSync(options.certificates.serverCert),
      },
      (req, res) => {
        this.handle(req, res).catch((error) => this.fail(res, error));
      },
    );
    this.server.keepAliveTimeout = 30_000;
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', onError);
        this.port = (this.server.address() as AddressInfo).port;
        resolve(this.port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  stats(): TenantStats {
    return { ...this.counters, byRoute: { ...this.counters.byRoute } };
  }

  resetStats(): void {
    this.counters = { calls: 0, byRoute: {}, handlerMs: 0, faultsInjected: 0 };
  }

  setFaults(settings: FaultSettings): void {
    this.options.faults.set(settings);
  }

  private log(message: string): void {
    if (!this.options.quiet) process.stderr.write(`[local-tenant] ${message}\n`);
  }

  private makeAdminRoutes(): Route[] {
    return [
      { method: 'GET', pattern: '/local/stats', handler: () => json(200, this.stats()) },
      {
        method: 'POST',
        pattern: '/local/stats/reset',
        handler: () => {
          this.resetStats();
          return noContent();
        },
      },
      { method: 'GET', pattern: '/local/faults', handler: () => json(200, this.options.faults.get()) },
      {
        method: 'PUT',
        pattern: '/local/faults',
        handler: (ctx) => {
          if (!isPlainObject(ctx.body))
            throw new ApiError(400, 'Fault settings must be a JSON object', 'invalid_body');
          try {
            this.options.faults.set(ctx.body as FaultSettings);
          } catch (error) {
            if (error instanceof FaultSettingsError) throw new ApiError(400, error.message, 'invalid_body');
            throw error;
          }
          return json(200, this.options.faults.get());
        },
      },
      {
        method: 'POST',
        pattern: '/local/login',
        handler: async (ctx) => {
          if (!isPlainObject(ctx.body))
            throw new ApiError(400, 'Expected {email | userId, protocol?}', 'invalid_body');
          const body = ctx.body;
          const allowed = ['email', 'userId', 'protocol', 'password', 'timeoutMs', 'persist'];
          const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
          if (unknown.length)
            throw new ApiError(400, `Unknown login options: ${unknown.join(', ')}`, 'invalid_body');
          const types: Record<string, string> = {
            email: 'string',
            userId: 'string',
            protocol: 'string',
            password: 'string',
            timeoutMs: 'number',
            persist: 'boolean',
          };
          for (const [name, type] of Object.entries(types)) {
            if (body[name] !== undefined && typeof body[name] !== type) {
              throw new ApiError(400, `Login option ${name} must be a ${type}`, 'invalid_body');
            }
          }
          const result = await runLoginFlow(ctx.store, body as LoginOptions, {
            domain: this.runtime.domain,
            clientId: this.runtime.clientId,
          });
          return json(200, result);
        },
      },
    ];
  }

  private async readBody(req: IncomingMessage): Promise<Buffer | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return undefined;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  private send(res: ServerResponse, result: HandlerResult, extraHeaders: Record<string, string> = {}): void {
    const headers: Record<string, string> = { ...extraHeaders, ...result.headers };
    if (result.status === 204 || result.body === undefined) {
      res.writeHead(result.status, headers);
      res.end();
      return;
    }
    const text = JSON.stringify(result.body);
    headers['content-type'] = 'application/json; charset=utf-8';
    headers['content-length'] = String(Buffer.byteLength(text));
    res.writeHead(result.status, headers);
    res.end(text);
  }

  private fail(res: ServerResponse, error: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof OAuthError) {
      this.send(res, json(error.statusCode, { error: error.error, error_description: error.description }));
      return;
    }
    if (error instanceof ApiError) {
      this.send(res, json(error.statusCode, error.toBody()));
      return;
    }
    this.log(`internal error: ${(error as Error)?.stack ?? String(error)}`);
    this.send(res, json(500, new ApiError(500, 'Internal error in the local tenant').toBody()));
  }

  private rateLimitHeaders(remaining: number): Record<string, string> {
    return {
      'x-ratelimit-limit': '50',
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1),
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'https://localhost');
    const path = url.pathname;
    const admin = path === '/local' || path.startsWith('/local/');
    const management = path.startsWith('/api/v2/');
    const match = matchRoute(admin ? this.adminRoutes : this.routes, method, path);
    if (!admin) {
      this.counters.calls++;
      const key = match ? `${method} ${match.route.pattern}` : `${method} (unknown route)`;
      this.counters.byRoute[key] = (this.counters.byRoute[key] ?? 0) + 1;
    }

    const raw = await this.readBody(req);
    if (raw === undefined) throw new ApiError(413, 'Request payload is too large');
    if (!match) throw new ApiError(404, 'Not Found');

    if (management || admin) {
      const header = req.headers.authorization;
      const bearer = header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
      if (!header) throw new ApiError(401, 'Missing authentication');
      if (!bearer) throw new ApiError(401, 'Bad HTTP authentication header format');
      const check = verifyAccessToken(this.runtime, bearer);
      if (!check.ok) throw new ApiError(401, check.message);
    }

    if (management) {
      const fault = this.options.faults.decide(`${method} ${req.url}`);
      if (fault) {
        this.counters.faultsInjected++;
        if (fault === 'rate-limit') {
          this.send(
            res,
            json(429, new ApiError(429, 'Global limit has been reached', 'too_many_requests').toBody()),
            this.rateLimitHeaders(0),
          );
        } else {
          this.send(
            res,
            json(503, new ApiError(503, 'The service is temporarily unavailable (injected fault).').toBody()),
          );
        }
        return;
      }
    }

    let body: unknown;
    if (
      !match.route.rawBody &&
      raw.length > 0 &&
      (method === 'POST' || method === 'PUT' || method === 'PATCH')
    ) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new ApiError(400, 'Invalid request payload JSON format', 'invalid_body');
      }
    }

    const ctx: RequestContext = {
      method,
      path,
      params: match.route.rawBody ? {} : match.params,
      query: url.searchParams,
      headers: req.headers,
      rawBody: raw,
      body,
      store: this.options.store,
      runtime: this.runtime,
    };
    const started = performance.now();
    let result: HandlerResult;
    try {
      result = await match.route.handler(ctx);
    } finally {
      if (!admin) this.counters.handlerMs += performance.now() - started;
    }
    this.send(res, result, management ? this.rateLimitHeaders(49) : {});
  }
}
