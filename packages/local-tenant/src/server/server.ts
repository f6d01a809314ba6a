// The HTTPS server of the local tenant: 127.0.0.1 only. Routing, authentication, fault injection,
// rate-limit headers, request counting and the translation of errors into Auth0's bodies happen here
// and nowhere else; the API areas (src/api) only parse requests and shape answers.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { actionAdminRoutes, actionRoutes } from '../api/actions';
import { adminRoutes, type TenantStats } from '../api/admin';
import { clientRoutes } from '../api/clients';
import { guardianRoutes } from '../api/guardian';
import { oauthRoutes } from '../api/oauth';
import { organizationRoutes } from '../api/organizations';
import { roleRoutes } from '../api/roles';
import { tenantRoutes } from '../api/tenant';
import { triggerRoutes } from '../api/triggers';
import { userRoutes } from '../api/users';
import type { TokenSigner } from '../auth/tokens';
import type { ActionBuilder } from '../builds/builder';
import type { CertificateFiles } from '../certificates';
import type { TenantStore } from '../tenant/store';
import { authenticate } from './auth';
import { ApiError, badRequest } from './errors';
import type { FaultInjector, FaultSettings } from './faults';
import { type Hold, ResponseHolds, type RouteKey } from './holds';
import type { RateLimiter, RateLimitSettings } from './rate-limit';
import { type HandlerResult, json, type RequestContext, type Route, type TenantRuntime } from './request';
import { Router } from './router';

const MAX_BODY_BYTES = 1024 * 1024;

export interface TenantServerOptions {
  store: TenantStore;
  certificates: CertificateFiles;
  credentials: { clientId: string; clientSecret: string };
  signer: TokenSigner;
  /** The Authentication API's routes (they take over /oauth/token, keeping client_credentials). */
  authRoutes?: Route[];
  /** Its admin routes under /local/ (the email outbox). */
  authAdminRoutes?: Route[];
  faults: FaultInjector;
  rateLimiter: RateLimiter;
  /** How long an Action build stays `pending` (ms). */
  buildDelayMs: number;
  builds: ActionBuilder;
  quiet?: boolean;
}

function emptyStats(): TenantStats {
  return { calls: 0, byRoute: {}, handlerMs: 0, faultsInjected: 0 };
}

export class TenantServer {
  private readonly server: Server;
  private readonly api: Router;
  private readonly admin: Router;
  private port = 0;
  private counters = emptyStats();
  private readonly holds = new ResponseHolds();
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
      signer: options.signer,
      buildDelayMs: options.buildDelayMs,
      builds: options.builds,
    };
    this.api = new Router([
      ...(options.authRoutes ?? oauthRoutes),
      ...guardianRoutes,
      ...actionRoutes,
      ...triggerRoutes,
      ...userRoutes,
      ...roleRoutes,
      ...organizationRoutes,
      ...tenantRoutes,
      ...clientRoutes,
    ]);
    this.admin = new Router([
      ...adminRoutes({
        stats: () => this.stats(),
        resetStats: () => this.resetStats(),
        faults: options.faults,
        rateLimiter: options.rateLimiter,
      }),
      ...actionAdminRoutes,
      { method: 'GET', pattern: '/local/holds', handler: () => json(200, { holds: this.holds.list() }) },
      ...(options.authAdminRoutes ?? []),
    ]);
    this.server = createServer(
      {
        key: readFileSync(options.certificates.serverKey),
        cert: readFileSync(options.certificates.serverCert),
      },
      (req, res) => {
        const headers: Record<string, string> = {};
        this.handle(req, res, headers).catch((error) => this.fail(res, error, headers));
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
    this.holds.releaseAll();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  stats(): TenantStats {
    return { ...this.counters, byRoute: { ...this.counters.byRoute } };
  }

  resetStats(): void {
    this.counters = emptyStats();
  }

  setFaults(settings: FaultSettings): void {
    this.options.faults.set(settings);
  }

  setRateLimit(settings: RateLimitSettings): void {
    this.options.rateLimiter.set(settings);
  }

  holdResponses(routes: RouteKey[]): Hold {
    return this.holds.hold(routes);
  }

  private log(message: string): void {
    if (!this.options.quiet) process.stderr.write(`[local-tenant] ${message}\n`);
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
    if (result.text !== undefined) {
      headers['content-length'] = String(Buffer.byteLength(result.text));
      res.writeHead(result.status, headers);
      res.end(result.text);
      return;
    }
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

  private fail(res: ServerResponse, error: unknown, headers: Record<string, string> = {}): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof ApiError) {
      this.send(res, json(error.statusCode, error.toBody()), headers);
      return;
    }
    this.log(`internal error: ${(error as Error)?.stack ?? String(error)}`);
    this.send(
      res,
      json(500, ApiError.management(500, 'Internal error in the local tenant').toBody()),
      headers,
    );
  }

  private count(method: string, pattern: string | undefined): void {
    this.counters.calls++;
    const key = pattern ? `${method} ${pattern}` : `${method} (unknown route)`;
    this.counters.byRoute[key] = (this.counters.byRoute[key] ?? 0) + 1;
  }

  /** Serves one request; `headers` collects what every answer to it carries (the rate-limit headers). */
  private async handle(
    req: IncomingMessage,
    res: ServerResponse,
    headers: Record<string, string>,
  ): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'https://localhost');
    const path = url.pathname;
    const admin = path === '/local' || path.startsWith('/local/');
    const management = path.startsWith('/api/v2/');
    const match = (admin ? this.admin : this.api).match(method, path);
    if (!admin) this.count(method, match?.route.pattern);

    const raw = await this.readBody(req);
    if (raw === undefined) throw ApiError.management(413, 'Request payload is too large');
    if (management) {
      const decision = this.options.rateLimiter.take();
      Object.assign(headers, decision.headers);
      if (!decision.allowed)
        throw ApiError.management(429, 'Global limit has been reached', 'too_many_requests');
    }
    if (!match) throw ApiError.management(404, 'Not Found');
    if (management || admin) await authenticate(this.runtime, req.headers);

    if (management) {
      const fault = this.options.faults.decide(`${method} ${req.url}`);
      if (fault) {
        this.counters.faultsInjected++;
        if (fault === 'rate-limit') {
          // As an exhausted bucket answers: nothing left, try again in a second.
          headers['x-ratelimit-remaining'] = '0';
          headers['x-ratelimit-reset'] = String(Math.floor(Date.now() / 1000) + 1);
          throw ApiError.management(429, 'Global limit has been reached', 'too_many_requests');
        }
        throw ApiError.management(503, 'The service is temporarily unavailable (injected fault).');
      }
    }

    const ctx: RequestContext = {
      method,
      path,
      params: match.route.rawBody ? {} : match.params,
      query: url.searchParams,
      headers: req.headers,
      rawBody: raw,
      body: match.route.rawBody ? undefined : parseJson(method, raw),
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
    if (!admin) await this.holds.beforeAnswer(`${method} ${match.route.pattern}`);
    this.send(res, result, headers);
  }
}

/** The JSON body of a write (DELETEs too: removing members or roles names them); undefined when there is none. */
function parseJson(method: string, raw: Buffer): unknown {
  if (raw.length === 0 || method === 'GET') return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw badRequest('Invalid request payload JSON format', 'invalid_body');
  }
}
