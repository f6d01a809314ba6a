// Shared by the mfa tool's tests: an in-memory user directory, captured output, temporary config folders.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io, Session } from '../../../ops/mfa/session';
import type { Auth0User, FlagSource, MetadataPatch, UserDirectory } from '../../../ops/mfa/users';
import { parseEnvironment } from '../../../src/config/load';

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
