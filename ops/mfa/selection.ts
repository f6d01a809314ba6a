// `on|off --query/--connection/--role/--organization`: flag every user a selection names. It counts first and
// shows the dry run; only `--yes` writes. Resuming is re-running: the search asks only for users whose flag
// is not yet the wanted value, so a run that stopped does the rest, and rounds go past search's 1,000 cap.
import { FLAG } from '../../actions/conditional-mfa';
import { UsageError } from '../management/errors';
import { applyChanges, type Outcome } from './apply';
import { describeResult, type WriteOptions, writeSettings } from './commands';
import { describeError } from './errors';
import { phrase, SEARCH_LIMIT, searchPages, usersByIds } from './lookup';
import type { Session } from './session';
import { type Auth0User, type NamedGroup, planFlagChange, type UserDirectory, writeField } from './users';

export interface Selection {
  query?: string;
  connection?: string;
  role?: string;
  organization?: string;
}

export interface SelectOptions extends WriteOptions {
  /** Write after the count and the dry run; without it the command stops there. */
  yes: boolean;
}

export function hasSelection(selection: Selection): boolean {
  return [selection.query, selection.connection, selection.role, selection.organization].some(
    (value) => value !== undefined,
  );
}

/** The Lucene query of --query and --connection together, or undefined when neither is given. */
export function selectionQuery(selection: Selection): string | undefined {
  for (const [option, value] of Object.entries(selection)) {
    if (value !== undefined && value.trim() === '') throw new UsageError(`--${option} is empty`);
  }
  const parts = [
    ...(selection.query ? [`(${selection.query.trim()})`] : []),
    ...(selection.connection ? [`identities.connection:${phrase(selection.connection.trim())}`] : []),
  ];
  return parts.length > 0 ? parts.join(' AND ') : undefined;
}

/**
 * Clauses that match users whose flag is not yet `on` where the Action reads it (each searched on its own:
 * a purely negative group inside parentheses matches nothing in Lucene).
 */
export function pendingClauses(session: Session, on: boolean): string[] {
  const field = writeField(session.source);
  const clauses = [`NOT ${field}.${FLAG}:${on}`];
  if (!on && session.source === 'either') clauses.push(`user_metadata.${FLAG}:true`);
  return clauses;
}

/** The one role or organization of that name; a near miss lists the names the tenant has. */
function exactlyNamed(kind: string, name: string, candidates: NamedGroup[]): NamedGroup {
  const exact = candidates.filter((group) => group.name === name);
  if (exact.length === 1) return exact[0];
  const names = candidates.map((group) => group.name).join(', ');
  throw new UsageError(
    `no ${kind} named "${name}"${names ? ` (${kind}s with similar names: ${names})` : ''}`,
  );
}

async function membersOf(directory: UserDirectory, selection: Selection): Promise<string[] | undefined> {
  const lists: string[][] = [];
  if (selection.role !== undefined) {
    const role = exactlyNamed('role', selection.role, await directory.findRoles(selection.role));
    lists.push(await directory.roleMembers(role.id));
  }
  if (selection.organization !== undefined) {
    const organization = await directory.findOrganization(selection.organization);
    if (!organization) throw new UsageError(`no organization named "${selection.organization}"`);
    lists.push(await directory.organizationMembers(organization.id));
  }
  if (lists.length === 0) return undefined;
  const [first, ...others] = lists;
  return [...new Set(first)].filter((id) => others.every((list) => list.includes(id)));
}

interface Candidates {
  /** Users the selection names whose flag needs a change (at most SEARCH_LIMIT per clause). */
  users: Auth0User[];
  /** All users the selection names, changed or not. */
  matched: number;
  /** More users need a change than one search could return: another round follows the writes. */
  more: boolean;
}

async function findCandidates(session: Session, selection: Selection, on: boolean, concurrency: number) {
  const { directory } = session;
  const query = selectionQuery(selection);
  const needsChange = (user: Auth0User) => Object.keys(planFlagChange(user, session.source, on)).length > 0;
  const members = await membersOf(directory, selection);
  if (members) {
    const { users, fatal } = await usersByIds(directory, members, concurrency, query);
    if (fatal !== undefined) throw fatal;
    return { users: users.filter(needsChange), matched: users.length, more: false } satisfies Candidates;
  }
  if (!query)
    throw new UsageError('no selection: give users, or --query, --connection, --role or --organization');
  const { total: matched } = await directory.search(query, 0, 1);
  const byId = new Map<string, Auth0User>();
  let more = false;
  for (const clause of pendingClauses(session, on)) {
    const { users, total } = await searchPages(directory, `(${query}) AND ${clause}`);
    if (total > SEARCH_LIMIT) more = true;
    for (const user of users) if (needsChange(user)) byId.set(user.user_id, user);
  }
  return { users: [...byId.values()], matched, more } satisfies Candidates;
}

function describeSelection(selection: Selection): string {
  return Object.entries(selection)
    .filter(([, value]) => value !== undefined)
    .map(([option, value]) => `--${option} ${JSON.stringify(value)}`)
    .join(' ');
}

export async function setFlagsBySelection(
  session: Session,
  selection: Selection,
  on: boolean,
  options: SelectOptions,
): Promise<number> {
  const { io } = session;
  const what = describeSelection(selection);
  const writing = options.yes && !options.dryRun;
  const totals = { changed: 0, unchanged: 0, failed: 0 };
  for (let round = 1; ; round++) {
    const changedBefore = totals.changed;
    const candidates = await findCandidates(session, selection, on, options.concurrency);
    if (round === 1) {
      io.out(
        `${what}: ${candidates.matched} user${candidates.matched === 1 ? '' : 's'}, ` +
          `${candidates.users.length}${candidates.more ? '+' : ''} to turn MFA ${on ? 'on' : 'off'}`,
      );
    }
    const settings = writeSettings(session, { ...options, dryRun: !writing });
    const report = (outcome: Outcome<{ user: Auth0User; on: boolean }>) => {
      if ('error' in outcome) {
        totals.failed += 1;
        io.err(`error: ${outcome.change.user.user_id}: ${outcome.error}`);
        return;
      }
      totals[outcome.changed ? 'changed' : 'unchanged'] += 1;
      io.out(describeResult(outcome.result, on, !writing));
    };
    const changes = candidates.users.map((user) => ({ user, on }));
    const { notAttempted, fatal } = await applyChanges(session.directory, changes, settings, report);
    if (!writing) {
      io.out(
        `dry run: would change ${totals.changed}${candidates.more ? ' (and more after them)' : ''}, ` +
          `refused ${totals.failed}. Nothing changed; add --yes to write`,
      );
      return totals.failed > 0 ? 1 : 0;
    }
    if (fatal !== undefined || notAttempted > 0) {
      io.err(
        `stopped: ${describeError(fatal)}; ${notAttempted} not attempted. Run the same command again to do the rest`,
      );
      return 1;
    }
    // Search lags writes by a moment: a round that changed nothing would only find the same users again.
    if (!candidates.more || totals.changed === changedBefore) break;
  }
  io.out(`changed ${totals.changed}, unchanged ${totals.unchanged}, failed ${totals.failed}`);
  return totals.failed > 0 ? 1 : 0;
}
