// Test helpers: a tenant in a temp dir on a free port, and a small HTTPS client that trusts its CA.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalTenant, type LocalTenantOptions, startLocalTenant } from '../../local-tenant';

// biome-ignore lint/suspicious/noExplicitAny: replies are JSON that each test reads loosely
export interface Reply<T = any> {
  status: number;
  headers: IncomingHttpHeaders;
  body: T;
  text: string;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as is (no JSON encoding). */
  raw?: string;
  headers?: Record<string, string>;
  /** Bearer token; `null` sends none; default: a token of this tenant. */
  token?: string | null;
  host?: string;
}

export class TenantClient {
  private readonly ca: Buffer;
  private cachedToken: string | undefined;

  constructor(readonly tenant: LocalTenant) {
    this.ca = readFileSync(tenant.caFile);
  }

  raw(method: string, path: string, options: CallOptions = {}, bearer?: string): Promise<Reply> {
    const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const headers: Record<string, string> = { ...options.headers };
    if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: options.host ?? 'localhost',
          port: this.tenant.port,
          method,
          path,
          ca: this.ca,
          headers,
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              body = text;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  async token(): Promise<string> {
    if (this.cachedToken) return this.cachedToken;
    const reply = await this.raw('POST', '/oauth/token', {
      raw: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.tenant.clientId,
        client_secret: this.tenant.clientSecret,
        audience: `https://${this.tenant.domain}/api/v2/`,
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    if (reply.status !== 200) throw new Error(`token: ${reply.status} ${reply.text}`);
    this.cachedToken = reply.body.access_token as string;
    return this.cachedToken;
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const bearer = options.token === null ? undefined : (options.token ?? (await this.token()));
    return this.raw(method, path, options, bearer);
  }

  get(path: string, options?: CallOptions) {
    return this.call('GET', path, options);
  }
  post(path: string, body?: unknown, options?: CallOptions) {
    return this.call('POST', path, { ...options, body });
  }
  put(path: string, body?: unknown, options?: CallOptions) {
    return this.call('PUT', path, { ...options, body });
  }
  patch(path: string, body?: unknown, options?: CallOptions) {
    return this.call('PATCH', path, { ...options, body });
  }
  del(path: string, options?: CallOptions) {
    return this.call('DELETE', path, options);
  }

  /** Creates a user and returns its id. */
  async createUser(email: string, extra: Record<string, unknown> = {}): Promise<string> {
    const reply = await this.post('/api/v2/users', {
      connection: 'Username-Password-Authentication',
      email,
      password: 'Corr3ct-Horse-Battery',
      ...extra,
    });
    if (reply.status !== 201) throw new Error(`create user: ${reply.status} ${reply.text}`);
    return reply.body.user_id as string;
  }

  /** Creates (and, unless told otherwise, deploys) a post-login action; returns its id. */
  async createAction(
    name: string,
    code: string,
    options: { deploy?: boolean; secrets?: unknown[] } = {},
  ): Promise<string> {
    const created = await this.post('/api/v2/actions/actions', {
      name,
      code,
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
      ...(options.secrets ? { secrets: options.secrets } : {}),
    });
    if (created.status !== 201) throw new Error(`create action: ${created.status} ${created.text}`);
    const id = created.body.id as string;
    if (options.deploy !== false) {
      const deployed = await this.post(`/api/v2/actions/actions/${id}/deploy`);
      if (deployed.status !== 200) throw new Error(`deploy: ${deployed.status} ${deployed.text}`);
    }
    return id;
  }

  async bind(trigger: string, actionIds: string[]): Promise<Reply> {
    return this.patch(`/api/v2/actions/triggers/${trigger}/bindings`, {
      bindings: actionIds.map((value) => ({ ref: { type: 'action_id', value } })),
    });
  }
}

export interface TestTenant {
  tenant: LocalTenant;
  client: TenantClient;
  dir: string;
  /** Stops the tenant and removes its directory. */
  cleanup(): Promise<void>;
}

export function tempDir(prefix = 'local-tenant-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startTestTenant(options: LocalTenantOptions = {}): Promise<TestTenant> {
  const dir = options.dir ?? tempDir();
  const tenant = await startLocalTenant({ port: 0, quiet: true, ...options, dir });
  return {
    tenant,
    client: new TenantClient(tenant),
    dir,
    async cleanup() {
      await tenant.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const REPO_ROOT = join(__dirname, '..', '..');
