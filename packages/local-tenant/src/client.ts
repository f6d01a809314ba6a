// The one HTTPS client the tests use to talk to a local tenant. It trusts the tenant's own CA, which
// Node's fetch cannot be given without the undici package (NODE_EXTRA_CA_CERTS is read only at start).
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, type RequestOptions, request } from 'node:https';
import { urlToHttpOptions } from 'node:url';
import type { LocalTenant } from './index';
/** The shape of `fetch` (the auth0 SDK's `fetch` option takes one). */
export type FetchLike = (url: Parameters<typeof fetch>[0], init?: RequestInit) => Promise<Response>;

interface RawReply {
  status: number;
  statusMessage?: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One exchange; `options` carry the CA (or an agent holding it). */
function exchange(options: RequestOptions, payload?: string): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          statusMessage: res.statusMessage,
          headers: res.headers,
          body: Buffer.concat(chunks),
        }),
      );
    });
    req.on('error', reject);
    req.end(payload);
  });
}

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

/** What the client needs of a tenant: also met by a tenant another process runs. */
export type TenantAddress = Pick<LocalTenant, 'port' | 'domain' | 'clientId' | 'clientSecret' | 'caFile'>;

/** The password of the users `createUser` makes. */
export const TEST_USER_PASSWORD = 'Corr3ct-Horse-Battery';

export class TenantClient {
  private readonly ca: Buffer;
  private cachedToken: string | undefined;

  constructor(readonly tenant: TenantAddress) {
    this.ca = readFileSync(tenant.caFile);
  }

  async raw(method: string, path: string, options: CallOptions = {}, bearer?: string): Promise<Reply> {
    const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const headers: Record<string, string> = { ...options.headers };
    if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    const reply = await exchange(
      {
        host: options.host ?? 'localhost',
        port: this.tenant.port,
        method,
        path,
        ca: this.ca,
        headers,
        agent: false,
      },
      payload,
    );
    const text = reply.body.toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { status: reply.status, headers: reply.headers, body, text };
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

  /** With a token of this tenant unless `options.token` says otherwise. */
  async request(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const bearer = options.token === null ? undefined : (options.token ?? (await this.token()));
    return this.raw(method, path, options, bearer);
  }

  get(path: string, options?: CallOptions) {
    return this.request('GET', path, options);
  }
  post(path: string, body?: unknown, options?: CallOptions) {
    return this.request('POST', path, { ...options, body });
  }
  put(path: string, body?: unknown, options?: CallOptions) {
    return this.request('PUT', path, { ...options, body });
  }
  patch(path: string, body?: unknown, options?: CallOptions) {
    return this.request('PATCH', path, { ...options, body });
  }
  del(path: string, options?: CallOptions) {
    return this.request('DELETE', path, options);
  }

  /** The Management API as an operator's script uses it: `path` under /api/v2, an error status throws. */
  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const reply = await this.request(method, `/api/v2${path}`, { body });
    if (reply.status >= 400)
      throw new Error(`${method} ${path} -> ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body as T;
  }

  /** Creates a user and returns its id. */
  async createUser(email: string, extra: Record<string, unknown> = {}): Promise<string> {
    const reply = await this.post('/api/v2/users', {
      connection: 'Username-Password-Authentication',
      email,
      password: TEST_USER_PASSWORD,
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

function bodyText(body: RequestInit['body']): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  throw new Error(`unsupported request body ${Object.prototype.toString.call(body)}`);
}

/**
 * The same exchange as a fetch, for the auth0 SDK (which takes any fetch). Connection errors reject
 * like fetch does (with a `cause`).
 */
export function fetchTrusting(ca: string | Buffer): FetchLike {
  // Connections are kept, as fetch keeps them: a TLS handshake per call would cost both ends more than
  // the call (idle sockets do not keep the process alive).
  const agent = new Agent({ ca, keepAlive: true });
  return async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init.headers);
    if (init.body instanceof URLSearchParams && !headers.has('content-type')) {
      headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
    }
    const reply = await exchange(
      {
        ...urlToHttpOptions(url),
        method: init.method ?? 'GET',
        headers: Object.fromEntries(headers),
        agent,
        signal: init.signal ?? undefined,
      },
      bodyText(init.body),
    ).catch((error) => {
      throw Object.assign(new TypeError('fetch failed'), { cause: error });
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(reply.headers)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
        responseHeaders.append(name, one);
      }
    }
    const body = reply.status === 204 || reply.status === 304 ? null : reply.body;
    return new Response(body, {
      status: reply.status,
      statusText: reply.statusMessage,
      headers: responseHeaders,
    });
  };
}
