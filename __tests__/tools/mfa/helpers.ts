// Shared by the mfa tool's tests: an in-memory user directory, captured output, temporary config
// folders, and a fetch that trusts the local tenant's CA (NODE_EXTRA_CA_CERTS is read only at Node start).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnvironment } from '../../../src/config/load';
import type { FetchLike } from '../../../tools/mfa/client';
import type { Io, Session } from '../../../tools/mfa/session';
import type { Auth0User, FlagSource, MetadataPatch, UserDirectory } from '../../../tools/mfa/users';

export interface CapturedIo extends Io {
  stdout: string[];
  stderr: string[];
}

export function captureIo(env: NodeJS.ProcessEnv, extra: Partial<Io> = {}): CapturedIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    env,
    ...extra,
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A config folder holding one file per environment. */
export function configDir(environments: Record<string, unknown>): string {
  const dir = tempDir('mfa-config-');
  for (const [name, content] of Object.entries(environments)) {
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(content));
  }
  return dir;
}

/** Auth0's user store as far as the tool sees it, with PATCH's top-level metadata merge and null delete. */
export class FakeDirectory implements UserDirectory {
  readonly updates: Array<{ userId: string; patch: MetadataPatch }> = [];
  readonly lookups: string[] = [];
  /** Makes an update throw (checked before it is applied), e.g. to play a lost connection. */
  failUpdate?: (userId: string) => Error | undefined;

  constructor(readonly users: Auth0User[]) {}

  async getById(userId: string) {
    this.lookups.push(`id:${userId}`);
    return structuredClone(this.users.find((user) => user.user_id === userId));
  }

  async getByEmail(email: string) {
    this.lookups.push(`email:${email}`);
    return structuredClone(this.users.filter((user) => user.email === email));
  }

  async search(query: string, page: number, perPage: number) {
    const match = /^(user_metadata|app_metadata)\.use_mfa:true$/.exec(query);
    if (!match) throw new Error(`unexpected query ${query}`);
    const field = match[1] as 'user_metadata' | 'app_metadata';
    const all = this.users.filter((user) => String(user[field]?.use_mfa) === 'true');
    return { users: structuredClone(all.slice(page * perPage, (page + 1) * perPage)), total: all.length };
  }

  async update(userId: string, patch: MetadataPatch) {
    const failure = this.failUpdate?.(userId);
    if (failure) throw failure;
    this.updates.push({ userId, patch });
    const user = this.users.find((candidate) => candidate.user_id === userId);
    if (!user) throw Object.assign(new Error('The user does not exist.'), { statusCode: 404 });
    for (const [field, values] of Object.entries(patch) as Array<[keyof MetadataPatch, object]>) {
      user[field] = { ...(user[field] ?? {}), ...values };
    }
  }
}

function bodyText(body: RequestInit['body']): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  throw new Error(`unsupported request body ${Object.prototype.toString.call(body)}`);
}

/**
 * fetch over node:https with the tenant's CA: the SDK takes any fetch, and Node's built-in one cannot be
 * given a CA without the undici package. Connection errors reject like fetch does (with a `cause`).
 */
export function fetchTrusting(ca: string | Buffer): FetchLike {
  const agent = new Agent({ ca });
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const headers = new Headers(init.headers);
      if (init.body instanceof URLSearchParams && !headers.has('content-type')) {
        headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
      }
      const payload = bodyText(init.body);
      const req = request(
        url,
        {
          method: init.method ?? 'GET',
          headers: Object.fromEntries(headers),
          agent,
          signal: init.signal ?? undefined,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
                responseHeaders.append(name, one);
              }
            }
            const status = res.statusCode ?? 500;
            const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
            resolve(new Response(body, { status, statusText: res.statusMessage, headers: responseHeaders }));
          });
        },
      );
      req.on('error', (error) => reject(Object.assign(new TypeError('fetch failed'), { cause: error })));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
}

/** A session over a FakeDirectory, for command logic that needs no HTTP. */
export function fakeSession(
  directory: UserDirectory,
  config: { flagSource?: FlagSource; users?: Array<{ email: string; useMfa: boolean }> } = {},
): Session & { io: CapturedIo } {
  const parsed = parseEnvironment(
    'config/test.json',
    JSON.stringify({
      domain: 'tenant.example',
      action: { flagSource: config.flagSource ?? 'user_metadata' },
      users: config.users ?? [],
    }),
  );
  if (!parsed.config) throw new Error(parsed.problems.join('\n'));
  const environment = {
    name: 'test',
    stackName: 'auth0-test',
    file: 'config/test.json',
    config: parsed.config,
  };
  return { io: captureIo({}), environment, source: parsed.config.action.flagSource, directory };
}

export type TestSeed = { email: string; useMfa: boolean; connection?: string };

/** A config folder with one environment for `domain`, so that AUTH0_DOMAIN selects it. */
export function tenantConfig(domain: string, flagSource: FlagSource, users: TestSeed[] = []): string {
  return configDir({ local: { domain, action: { flagSource }, users } });
}
