// Shared by the mfa tool's tests: an in-memory user directory, captured output, temporary config folders.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pacer } from '../../../ops/mfa/rate-limit';
import type { Io, Session } from '../../../ops/mfa/session';
import type {
  Auth0User,
  FlagSource,
  MetadataField,
  MetadataPatch,
  NamedGroup,
  UserDirectory,
} from '../../../ops/mfa/users';
import { parseEnvironment } from '../../../src/config/load';
import { tempDir } from '../../support/temp-dirs';

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

// The one temporary-folder helper of the tests, for the mfa tests' files too.
export { tempDir };

/** A config folder holding one file per environment. */
export function configDir(environments: Record<string, unknown>): string {
  const dir = tempDir('mfa-config-');
  for (const [name, content] of Object.entries(environments)) {
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(content));
  }
  return dir;
}

/** The values of a batch query `field:("a" OR "b")`, unescaped. */
function batchValues(list: string): string[] {
  return [...list.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => match[1].replace(/\\(.)/g, '$1'));
}

/** Auth0's user store as far as the tool sees it, with PATCH's top-level metadata merge and null delete. */
export class FakeDirectory implements UserDirectory {
  readonly updates: Array<{ userId: string; patch: MetadataPatch }> = [];
  readonly lookups: string[] = [];
  readonly resets: string[] = [];
  roles: Array<NamedGroup & { members: string[] }> = [];
  organizations: Array<NamedGroup & { members: string[] }> = [];
  methods: Record<string, Array<{ id: string; type: string }>> = {};
  /** Makes an update throw (checked before it is applied), e.g. to play a lost connection. */
  failUpdate?: (userId: string) => Error | undefined;
  /** Matches the filter part of a search (after ` AND `); the default knows the tool's own clauses. */
  matchesFilter: (filter: string, user: Auth0User) => boolean = (filter, user) => {
    const not = /^NOT (user_metadata|app_metadata)\.use_mfa:(true|false)$/.exec(filter);
    if (not) return String(user[not[1] as MetadataField]?.use_mfa) !== not[2];
    const is = /^(user_metadata|app_metadata)\.use_mfa:(true|false)$/.exec(filter);
    if (is) return String(user[is[1] as MetadataField]?.use_mfa) === is[2];
    const connection = /^identities\.connection:"(.*)"$/.exec(filter);
    if (connection) return (user.identities ?? []).some((identity) => identity.connection === connection[1]);
    throw new Error(`unexpected filter ${filter}`);
  };

  constructor(readonly users: Auth0User[]) {}

  async getById(userId: string) {
    this.lookups.push(`id:${userId}`);
    return structuredClone(this.users.find((user) => user.user_id === userId));
  }

  async getByEmail(email: string) {
    this.lookups.push(`email:${email}`);
    return structuredClone(this.users.filter((user) => user.email === email));
  }

  /** Splits `a AND (b) AND c` at the top level, keeping parenthesised parts whole. */
  private clauses(query: string): string[] {
    const parts: string[] = [];
    let depth = 0;
    let current = '';
    for (let i = 0; i < query.length; i++) {
      const char = query[i];
      if (char === '(') depth++;
      if (char === ')') depth--;
      if (depth === 0 && query.startsWith(' AND ', i)) {
        parts.push(current);
        current = '';
        i += 4;
        continue;
      }
      current += char;
    }
    parts.push(current);
    const unwrap = (part: string): string => (/^\((?!\)).*\)$/.test(part) ? unwrap(part.slice(1, -1)) : part);
    return parts.map(unwrap);
  }

  private matches(clause: string, user: Auth0User): boolean {
    const batch = /^(email|user_id):\((.*)\)$/.exec(clause);
    if (batch) {
      const values = batchValues(batch[2]);
      return batch[1] === 'email'
        ? values.some((value) => value.toLowerCase() === user.email?.toLowerCase())
        : values.includes(user.user_id);
    }
    return this.matchesFilter(clause, user);
  }

  async search(query: string, page: number, perPage: number) {
    this.lookups.push(`search:${query}`);
    const clauses = this.clauses(query);
    const all = this.users.filter((user) => clauses.every((clause) => this.matches(clause, user)));
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

  async findRoles(name: string) {
    return this.roles.filter((role) => role.name.includes(name)).map(({ id, name }) => ({ id, name }));
  }

  async roleMembers(roleId: string) {
    return this.roles.find((role) => role.id === roleId)?.members ?? [];
  }

  async findOrganization(name: string) {
    const found = this.organizations.find((organization) => organization.name === name);
    return found ? { id: found.id, name: found.name } : undefined;
  }

  async organizationMembers(organizationId: string) {
    return this.organizations.find((organization) => organization.id === organizationId)?.members ?? [];
  }

  async authenticationMethods(userId: string) {
    return this.methods[userId] ?? [];
  }

  async deleteAuthenticationMethods(userId: string) {
    this.resets.push(`methods:${userId}`);
    this.methods[userId] = [];
  }

  async invalidateRememberBrowser(userId: string) {
    this.resets.push(`browsers:${userId}`);
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
  return {
    io: captureIo({}),
    environment,
    source: parsed.config.action.flagSource,
    directory,
    pacer: new Pacer(),
  };
}

export type TestSeed = { email: string; useMfa: boolean; connection?: string };

/** A config folder with one environment for `domain`, so that AUTH0_DOMAIN selects it. */
export function tenantConfig(domain: string, flagSource: FlagSource, users: TestSeed[] = []): string {
  return configDir({ local: { domain, action: { flagSource }, users } });
}
