// Programmatic API of the local Auth0 tenant, for tests and scripts:
//   const tenant = await startLocalTenant({ dir, port: 0, quiet: true });
//   ... run terraform / the Node SDK with tenant.env ...
//   const login = await simulateLogin(tenant, { email: 'a@example.com' });
//   await tenant.stop();
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TenantStats } from './api/admin';
import { issueToken } from './api/oauth';
import { type Authentication, createAuthentication } from './auth';
import { ActionBuilder } from './builds/builder';
import { dependencyCacheDir } from './builds/install-cache';
import { offlineFromEnv } from './builds/registry';
import { ensureCertificates } from './certificates';
import {
  DEFAULT_TENANT_DIR,
  loadOrCreateCredentials,
  lockDirectory,
  SEED_PASSWORD_FILE,
  writeConnectionEnv,
} from './directory';
import { type LoginOptions, type LoginResult, runLoginFlow } from './login/simulate';
import { FaultInjector, type FaultSettings } from './server/faults';
import { type Hold, holdRoutesFromEnv, type RouteKey } from './server/holds';
import { checkRateLimit, DEFAULT_RATE_LIMIT, RateLimiter, type RateLimitSettings } from './server/rate-limit';
import { TenantServer } from './server/server';
import { TenantStore } from './tenant/store';
import { findConnection } from './tenant/users';

export { ensureNodeRuntime, NODE_RUNTIME_VERSIONS } from './actions-runtime/runtimes';
export type { TenantStats } from './api/admin';
export { DEFAULT_REGISTRY, offlineFromEnv, registryUrl } from './builds/registry';
export {
  type CallOptions,
  type FetchLike,
  fetchTrusting,
  type Reply,
  type TenantAddress,
  TenantClient,
} from './client';
export { CONNECTION_ENV_FILE, DEFAULT_TENANT_DIR, readConnectionEnv, SEED_PASSWORD_FILE } from './directory';
export type { LoginOptions, LoginResult } from './login/simulate';
export type { FaultSettings } from './server/faults';
export { parseFaultSpec } from './server/faults';
export type { Hold, RouteKey } from './server/holds';
export { DEFAULT_RATE_LIMIT, parseRateLimitSpec, type RateLimitSettings } from './server/rate-limit';
export { TenantStore } from './tenant/store';

export interface LocalTenantOptions {
  /** Directory of the tenant's data, certificates and connection.env; default `<repo>/.local-tenant`. */
  dir?: string;
  /** Port on 127.0.0.1; default env LOCAL_TENANT_PORT or 8443; 0 = any free port. */
  port?: number;
  faults?: FaultSettings;
  /** No log lines on stderr. */
  quiet?: boolean;
  /** Database connections to have besides Username-Password-Authentication (created when missing). */
  connections?: string[];
  /** The Management API's token bucket (headers on every /api/v2 answer, 429 when empty); default 1000/s. */
  rateLimit?: RateLimitSettings;
  /** How long a new or changed Action stays `pending` before it is `built`, in ms (default 0). */
  buildDelayMs?: number;
  /**
   * The npm registry that Action dependencies are checked against and installed from (a build fails
   * when one cannot be installed); default env npm_config_registry, else https://registry.npmjs.org.
   * Installs go to `<dir>/action-dependencies`, one folder per dependency set.
   */
  registry?: string;
  /** Never ask the registry: a build with dependencies fails, saying the tenant is offline (default: env LOCAL_TENANT_OFFLINE=1). */
  offline?: boolean;
  /** Where the tenant tells what Auth0's dashboard would show (why a build failed); default stderr unless quiet. */
  log?: (line: string) => void;
  /**
   * The seed users' password, when the caller knows it (else the file `seed-user-password` in `dir`,
   * which `npm start` keeps): connection.env then exports it as TF_VAR_seed_user_password.
   */
  seedUserPassword?: string;
}

export interface LocalTenant {
  /** `localhost:PORT`: the provider's AUTH0_DOMAIN. */
  domain: string;
  port: number;
  /** `https://localhost:PORT` */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** The local CA certificate (PEM). */
  caFile: string;
  connectionEnvFile: string;
  /** The variables of connection.env: AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET, SSL_CERT_FILE, NODE_EXTRA_CA_CERTS, CURL_CA_BUNDLE. */
  env: Record<string, string>;
  setFaults(f: FaultSettings): void;
  setRateLimit(r: RateLimitSettings): void;
  /**
   * Holds the answers of these routes (`METHOD /pattern`, as in stats().byRoute) after the call is
   * carried out, until `release()`: a client killed meanwhile leaves the object behind, unknown to it.
   */
  holdResponses(routes: RouteKey[]): Hold;
  stats(): TenantStats;
  resetStats(): void;
  stop(): Promise<void>;
}

const stores = new WeakMap<LocalTenant, { store: TenantStore; clientId: string }>();

function defaultPort(): number {
  const fromEnv = process.env.LOCAL_TENANT_PORT;
  if (fromEnv === undefined || fromEnv === '') return 8443;
  const port = Number(fromEnv);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`LOCAL_TENANT_PORT must be a port number, got "${fromEnv}"`);
  }
  return port;
}

function ensureConnections(store: TenantStore, names: string[]): void {
  const missing = names.filter((name) => !findConnection(store.state, name));
  if (missing.length === 0) return;
  store.transaction((data) => {
    for (const name of missing) {
      data.connections.push({ id: `con_${randomBytes(8).toString('hex')}`, name, strategy: 'auth0' });
    }
  });
}

/** TF_VAR_seed_user_password for connection.env, when the password is known. */
function seedPasswordEnv(dir: string, given: string | undefined): Record<string, string> {
  const file = join(dir, SEED_PASSWORD_FILE);
  const password = given ?? (existsSync(file) ? readFileSync(file, 'utf8').trim() : '');
  return password ? { TF_VAR_seed_user_password: password } : {};
}

export async function startLocalTenant(opts: LocalTenantOptions = {}): Promise<LocalTenant> {
  const dir = resolve(opts.dir ?? DEFAULT_TENANT_DIR);
  const requestedPort = opts.port ?? defaultPort();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lock = lockDirectory(dir);
  let server: TenantServer | undefined;
  let authentication: Authentication | undefined;
  try {
    const certificates = ensureCertificates(dir);
    const credentials = loadOrCreateCredentials(dir);
    const store = TenantStore.open(dir);
    ensureConnections(store, opts.connections ?? []);
    const dependenciesDir = dependencyCacheDir(dir);
    const builds = new ActionBuilder(store, {
      cacheDir: dependenciesDir,
      url: opts.registry,
      offline: opts.offline ?? offlineFromEnv(),
      log: opts.log ?? (opts.quiet ? undefined : (line) => process.stderr.write(`[local-tenant] ${line}\n`)),
    });
    const faults = new FaultInjector(opts.faults ?? {});
    const rateLimiter = new RateLimiter(checkRateLimit(opts.rateLimit ?? DEFAULT_RATE_LIMIT));
    let domainOf = () => 'localhost';
    authentication = await createAuthentication({
      store,
      dir,
      domain: () => domainOf(),
      clientCredentials: issueToken,
      workers: { dependenciesDir },
    });
    server = new TenantServer({
      store,
      certificates,
      credentials,
      faults,
      rateLimiter,
      buildDelayMs: opts.buildDelayMs ?? 0,
      builds,
      quiet: opts.quiet,
      signer: authentication.signer,
      authRoutes: authentication.routes,
      authAdminRoutes: authentication.adminRoutes,
    });
    const startHold = holdRoutesFromEnv();
    if (startHold.length > 0) server.holdResponses(startHold);
    const port = await server.listen(requestedPort);
    builds.resumeAll();
    lock.setPort(port);
    const domain = `localhost:${port}`;
    domainOf = () => domain;
    const env: Record<string, string> = {
      AUTH0_DOMAIN: domain,
      AUTH0_CLIENT_ID: credentials.clientId,
      AUTH0_CLIENT_SECRET: credentials.clientSecret,
      SSL_CERT_FILE: certificates.bundle,
      CURL_CA_BUNDLE: certificates.bundle,
      NODE_EXTRA_CA_CERTS: certificates.caCert,
      LOCAL_TENANT_APP_CLIENT_ID: authentication.loginApp.client_id,
      LOCAL_TENANT_APP_CLIENT_SECRET: authentication.loginApp.client_secret,
      LOCAL_TENANT_APP_CALLBACK: authentication.loginAppCallback(),
      ...seedPasswordEnv(dir, opts.seedUserPassword),
    };
    const connectionEnvFile = writeConnectionEnv(dir, env);
    const running = server;
    const auth = authentication;
    let stopped: Promise<void> | undefined;
    const tenant: LocalTenant = {
      domain,
      port,
      baseUrl: `https://${domain}`,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      caFile: certificates.caCert,
      connectionEnvFile,
      env,
      setFaults: (f) => running.setFaults(f),
      setRateLimit: (r) => running.setRateLimit(r),
      holdResponses: (routes) => running.holdResponses(routes),
      stats: () => running.stats(),
      resetStats: () => running.resetStats(),
      stop: () => {
        stopped ??= running.close().finally(async () => {
          await builds.close();
          auth.close();
          store.close();
          lock.release();
        });
        return stopped;
      },
    };
    stores.set(tenant, { store, clientId: credentials.clientId });
    if (!opts.quiet) process.stderr.write(`[local-tenant] listening on https://${domain} (data in ${dir})\n`);
    return tenant;
  } catch (error) {
    await server?.close().catch(() => undefined);
    authentication?.close();
    lock.release();
    throw error;
  }
}

/**
 * Simulates a login of a stored user (by email or id) through the post-login trigger of a running
 * tenant (in this process) or of a store opened with `TenantStore.open(dir)` (tenant not running).
 */
export async function simulateLogin(
  target: LocalTenant | TenantStore,
  options: LoginOptions,
): Promise<LoginResult> {
  if (target instanceof TenantStore) {
    return runLoginFlow(target, options, { domain: 'localhost', clientId: 'local-login-simulator' });
  }
  const entry = stores.get(target);
  if (!entry) throw new Error('simulateLogin: not a tenant started by startLocalTenant in this process');
  return runLoginFlow(entry.store, options, { domain: target.domain, clientId: entry.clientId });
}
