// The on, off, status and list commands. Each returns the process exit code: 0 only if every user was handled.
import { FLAG } from '../../actions/conditional-mfa';
import { describeError, isFatal } from './errors';
import type { Session } from './session';
import {
  type Auth0User,
  describeUser,
  findSeedUser,
  METADATA_FIELDS,
  type MetadataField,
  mfaIsOn,
  resolveUser,
  type SetFlagResult,
  setUserFlag,
  storedFlag,
  type UserDirectory,
} from './users';

export interface WriteOptions {
  dryRun: boolean;
  force: boolean;
}

/** A stored value as the operator should read it; anything but a boolean is a mistake the Action ignores. */
export function formatStored(value: unknown): string {
  if (value === undefined) return 'unset';
  if (typeof value === 'boolean') return String(value);
  return `${JSON.stringify(value)} (not a boolean: the Action ignores it)`;
}

/** One line per user: what was (or, in a dry run, would be) written, field by field. */
export function describeResult(result: SetFlagResult, on: boolean, dryRun: boolean): string {
  const who = describeUser(result.user);
  const fields = Object.keys(result.patch) as MetadataField[];
  if (fields.length === 0) return `unchanged ${who}: MFA already ${on ? 'on' : 'off'}`;
  const changes = fields
    .map((field) => `${field}.${FLAG} ${formatStored(storedFlag(result.user, field))} -> ${on}`)
    .join(', ');
  const seedNote = !result.seed
    ? ''
    : result.seed.useMfa === on
      ? ' (seed user; agrees with the configuration)'
      : ` (seed user, forced: the next deploy sets it back to ${result.seed.useMfa})`;
  return `${dryRun ? 'would change' : 'changed'} ${who}: ${changes}${seedNote}`;
}

/**
 * Runs `each` for every identifier: a row error is reported and the next one tried; an error that would
 * fail every next call too (tenant unreachable, credentials refused) stops the run.
 */
async function forEachUser(
  session: Session,
  identifiers: string[],
  each: (identifier: string) => Promise<void>,
): Promise<number> {
  let failed = 0;
  for (const [index, identifier] of identifiers.entries()) {
    try {
      await each(identifier);
    } catch (error) {
      failed += 1;
      session.io.err(`error: ${identifier}: ${describeError(error)}`);
      const left = identifiers.length - index - 1;
      if (isFatal(error)) {
        if (left > 0) session.io.err(`stopped: ${left} more not attempted`);
        break;
      }
    }
  }
  return failed > 0 ? 1 : 0;
}

export function setFlags(
  session: Session,
  identifiers: string[],
  on: boolean,
  options: WriteOptions,
): Promise<number> {
  const setOptions = {
    ...options,
    source: session.source,
    environmentName: session.environment.name,
    seeds: session.environment.config.users,
  };
  return forEachUser(session, identifiers, async (identifier) => {
    const result = await setUserFlag(session.directory, identifier, on, setOptions);
    session.io.out(describeResult(result, on, options.dryRun));
  });
}

/** Both metadata fields are shown whatever the flag source: a flag in the other one is worth seeing. */
export function describeStatus(session: Session, user: Auth0User): string {
  const stored = METADATA_FIELDS.map((field) => `${field}.${FLAG}=${formatStored(storedFlag(user, field))}`);
  const seed = findSeedUser(session.environment.config.users, user);
  const seedNote = seed ? `; seed user, configuration says ${seed.useMfa ? 'on' : 'off'}` : '';
  return `${describeUser(user)}: MFA ${mfaIsOn(user, session.source) ? 'on' : 'off'} (${stored.join(', ')}${seedNote})`;
}

export function showStatus(session: Session, identifiers: string[]): Promise<number> {
  return forEachUser(session, identifiers, async (identifier) => {
    session.io.out(describeStatus(session, await resolveUser(session.directory, identifier)));
  });
}

const PER_PAGE = 100;
/** Auth0's user search returns at most this many results for one query, however it is paged. */
export const SEARCH_LIMIT = 1000;

/** Pages through one search query; warns when the tenant has more matches than search can return. */
export async function searchAll(
  directory: UserDirectory,
  query: string,
  warn: (line: string) => void,
): Promise<Auth0User[]> {
  const found: Auth0User[] = [];
  for (let page = 0; (page + 1) * PER_PAGE <= SEARCH_LIMIT; page++) {
    const { users, total } = await directory.search(query, page, PER_PAGE);
    found.push(...users);
    if (total > SEARCH_LIMIT && page === 0) {
      warn(`${query}: ${total} users match, Auth0 search returns the first ${SEARCH_LIMIT} only`);
    }
    if (users.length < PER_PAGE || found.length >= total) break;
  }
  return found;
}

/** Everyone the deployed Action challenges because of the flag; "either" merges both queries. */
export async function listFlagged(session: Session): Promise<number> {
  const fields = session.source === 'either' ? METADATA_FIELDS : [session.source];
  const flagged = new Map<string, Auth0User>();
  for (const field of fields) {
    const users = await searchAll(session.directory, `${field}.${FLAG}:true`, session.io.err);
    // The search may also match the string "true", which the Action does not honour.
    for (const user of users) if (storedFlag(user, field) === true) flagged.set(user.user_id, user);
  }
  for (const user of flagged.values()) session.io.out(`${user.user_id}\t${user.email ?? ''}`);
  session.io.err(`${flagged.size} user${flagged.size === 1 ? '' : 's'} with ${FLAG} on`);
  return 0;
}
