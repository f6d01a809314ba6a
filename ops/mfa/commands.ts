// The on, off, status and list commands. Each returns the process exit code: 0 only if every user was handled.
import { FLAG } from '../../actions/conditional-mfa';
import { type ApplyOptions, applyChanges } from './apply';
import { describeError, isFatal } from './errors';
import { resolveIdentifiers, SEARCH_LIMIT, searchPages } from './lookup';
import type { Session } from './session';
import {
  type Auth0User,
  describeUser,
  findSeedUser,
  type Identifier,
  identifierKey,
  METADATA_FIELDS,
  type MetadataField,
  mfaIsOn,
  parseIdentifier,
  resolveUser,
  type SetFlagResult,
  storedFlag,
  type UserDirectory,
} from './users';

/** Enough to keep a real tenant's bucket busy at ~100 ms per call; the pacer decides the pace. */
export const DEFAULT_CONCURRENCY = 8;

export interface WriteOptions {
  dryRun: boolean;
  force: boolean;
  /** Requests in flight at once; the pacer keeps them under the tenant's rate limit. */
  concurrency: number;
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
export async function forEachUser(
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

/**
 * Sets the flag for users named on the command line: all looked up first (batched), then written
 * concurrently; the answers are printed in the order the users were given.
 */
export async function setFlags(
  session: Session,
  identifiers: string[],
  on: boolean,
  options: WriteOptions,
): Promise<number> {
  const { io, directory } = session;
  const errors = new Map<number, string>();
  const lines = new Map<number, string>();
  const parsed: Array<{ index: number; identifier: Identifier }> = [];
  identifiers.forEach((raw, index) => {
    try {
      parsed.push({ index, identifier: parseIdentifier(raw) });
    } catch (error) {
      errors.set(index, describeError(error));
    }
  });
  const { found, fatal } = await resolveIdentifiers(
    directory,
    parsed.map(({ identifier }) => identifier),
    options.concurrency,
  );
  const changes: Array<{ index: number; user: Auth0User; on: boolean }> = [];
  const seen = new Set<string>();
  for (const { index, identifier } of parsed) {
    const resolution = found.get(identifierKey(identifier));
    if (resolution instanceof Error) errors.set(index, resolution.message);
    else if (resolution && !seen.has(resolution.user_id)) {
      seen.add(resolution.user_id);
      changes.push({ index, user: resolution, on });
    }
  }
  let notAttempted =
    fatal === undefined ? 0 : parsed.filter((p) => !found.has(identifierKey(p.identifier))).length;
  if (fatal === undefined) {
    const applied = await applyChanges(directory, changes, writeSettings(session, options), (outcome) => {
      if ('error' in outcome) errors.set(outcome.change.index, outcome.error);
      else lines.set(outcome.change.index, describeResult(outcome.result, on, options.dryRun));
    });
    notAttempted = applied.notAttempted;
  }
  identifiers.forEach((raw, index) => {
    const line = lines.get(index);
    if (line) io.out(line);
    const error = errors.get(index);
    if (error) io.err(`error: ${raw}: ${error}`);
  });
  if (fatal !== undefined) io.err(`error: ${describeError(fatal)}`);
  if (notAttempted > 0) io.err(`stopped: ${notAttempted} more not attempted`);
  return errors.size > 0 || fatal !== undefined || notAttempted > 0 ? 1 : 0;
}

/** What every write needs besides the user: the flag source and seed users of the environment. */
export function writeSettings(session: Session, options: WriteOptions): ApplyOptions {
  return {
    ...options,
    source: session.source,
    environmentName: session.environment.name,
    seeds: session.environment.config.users,
  };
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

/** One search query's matches; warns when the tenant has more than search can return. */
export async function searchAll(
  directory: UserDirectory,
  query: string,
  warn: (line: string) => void,
): Promise<Auth0User[]> {
  const { users, total } = await searchPages(directory, query);
  if (total > SEARCH_LIMIT)
    warn(`${query}: ${total} users match, Auth0 search returns the first ${SEARCH_LIMIT} only`);
  return users;
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
