// Finds many users with few calls: one user search for a batch of emails or ids
// (`email:("a@x" OR "b@x")`), concurrently, and the immediately consistent endpoints (users-by-email,
// GET /users/{id}) only for what the search did not find, since search may lag a write by a few seconds.

import { runPool } from '../management/pool';
import { describeError, isFatal, RowError } from './errors';
import {
  type Auth0User,
  ambiguousEmail,
  type Identifier,
  identifierKey,
  resolveUser,
  type UserDirectory,
} from './users';

/**
 * Auth0 documents no length limit for `q`; URLs past a few kilobytes are refused by proxies on the way,
 * so a batch stays under this many characters of query (before URL encoding) and this many terms.
 */
export const MAX_QUERY_CHARS = 2000;
export const MAX_TERMS = 50;
/** Auth0's largest page. */
export const PER_PAGE = 100;
/** Auth0's user search returns at most this many results for one query, however it is paged. */
export const SEARCH_LIMIT = 1000;

/** A Lucene phrase: the value between double quotes, with `"` and `\` escaped. */
export function phrase(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

export interface Batch {
  query: string;
  values: string[];
}

/** `field:("a" OR "b" ...)`, ANDed with `filter` when given, cut into batches within the limits above. */
export function batchQueries(
  field: 'email' | 'user_id',
  values: readonly string[],
  filter?: string,
): Batch[] {
  const suffix = filter ? ` AND (${filter})` : '';
  const build = (terms: string[]) => `${field}:(${terms.map(phrase).join(' OR ')})${suffix}`;
  const batches: Batch[] = [];
  let current: string[] = [];
  for (const value of values) {
    const candidate = [...current, value];
    if (current.length > 0 && (candidate.length > MAX_TERMS || build(candidate).length > MAX_QUERY_CHARS)) {
      batches.push({ query: build(current), values: current });
      current = [value];
    } else current = candidate;
  }
  if (current.length > 0) batches.push({ query: build(current), values: current });
  return batches;
}

/** Every page of one search (at most SEARCH_LIMIT users); `total` is the tenant's count of all matches. */
export async function searchPages(
  directory: UserDirectory,
  query: string,
): Promise<{ users: Auth0User[]; total: number }> {
  const users: Auth0User[] = [];
  let total = 0;
  for (let page = 0; (page + 1) * PER_PAGE <= SEARCH_LIMIT; page++) {
    const answer = await directory.search(query, page, PER_PAGE);
    users.push(...answer.users);
    total = answer.total;
    if (answer.users.length < PER_PAGE || users.length >= total) break;
  }
  return { users, total };
}

export type Resolution = Auth0User | RowError;

export interface ResolveResult {
  /** By identifierKey; absent when the run stopped before the identifier was looked up. */
  found: Map<string, Resolution>;
  /** The error that stopped the run (tenant unreachable, credentials refused), if one did. */
  fatal?: unknown;
}

/** The user an email names among the search's answers: exact spelling first, then without case. */
function pickByEmail(email: string, users: Auth0User[]): Resolution | undefined {
  const lower = email.toLowerCase();
  const candidates = users.filter((user) => user.email?.toLowerCase() === lower);
  const exact = candidates.filter((user) => user.email === email);
  const chosen = exact.length > 0 ? exact : candidates;
  if (chosen.length === 0) return undefined;
  return chosen.length === 1 ? chosen[0] : ambiguousEmail(email, chosen);
}

export async function resolveIdentifiers(
  directory: UserDirectory,
  identifiers: readonly Identifier[],
  concurrency: number,
): Promise<ResolveResult> {
  const found = new Map<string, Resolution>();
  let fatal: unknown;
  const stopped = () => fatal !== undefined;
  const fail = (error: unknown) => {
    fatal ??= error;
  };
  const emails = identifiers.flatMap((id) => (id.kind === 'email' ? [id.email] : []));
  const ids = identifiers.flatMap((id) => (id.kind === 'id' ? [id.userId] : []));
  const batches = [
    ...batchQueries('email', emails).map((batch) => ({ ...batch, kind: 'email' as const })),
    ...batchQueries('user_id', ids).map((batch) => ({ ...batch, kind: 'id' as const })),
  ];
  await runPool(
    batches,
    async (batch) => {
      try {
        const { users } = await searchPages(directory, batch.query);
        for (const value of batch.values) {
          const match =
            batch.kind === 'email' ? pickByEmail(value, users) : users.find((user) => user.user_id === value);
          const key = identifierKey(
            batch.kind === 'email' ? { kind: 'email', email: value } : { kind: 'id', userId: value },
          );
          if (match) found.set(key, match);
        }
      } catch (error) {
        if (isFatal(error)) fail(error);
        // A batch the search refused (e.g. 400 on an odd value) falls back to one lookup per identifier.
      }
    },
    { concurrency, stopped },
  );
  const missing = identifiers.filter((identifier) => !found.has(identifierKey(identifier)));
  await runPool(
    missing,
    async (identifier) => {
      const raw = identifier.kind === 'id' ? identifier.userId : identifier.email;
      try {
        found.set(identifierKey(identifier), await resolveUser(directory, raw));
      } catch (error) {
        if (error instanceof RowError) found.set(identifierKey(identifier), error);
        else if (isFatal(error)) fail(error);
        else found.set(identifierKey(identifier), new RowError(describeError(error)));
      }
    },
    { concurrency, stopped },
  );
  return { found, fatal };
}

/** Full user records for ids (role or organization members), keeping only those that match `filter`. */
export async function usersByIds(
  directory: UserDirectory,
  ids: readonly string[],
  concurrency: number,
  filter?: string,
): Promise<{ users: Auth0User[]; fatal?: unknown }> {
  const users: Auth0User[] = [];
  let fatal: unknown;
  await runPool(
    batchQueries('user_id', ids, filter),
    async (batch) => {
      try {
        users.push(...(await searchPages(directory, batch.query)).users);
      } catch (error) {
        fatal ??= error;
      }
    },
    { concurrency, stopped: () => fatal !== undefined },
  );
  return { users, fatal };
}
