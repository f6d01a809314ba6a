// Bulk import: every row looked up first (in batches, see lookup.ts), then written concurrently at the
// tenant's rate limit, each finished row recorded next to the file, so a run that stops (tenant
// unreachable, Ctrl-C, a crash) picks up where it stopped instead of starting over.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { applyChanges } from './apply';
import { describeResult, type WriteOptions } from './commands';
import type { CsvRow } from './csv';
import { describeError } from './errors';
import { resolveIdentifiers } from './lookup';
import type { Session } from './session';
import { type Auth0User, identifierKey } from './users';

export interface ImportOptions extends WriteOptions {
  /** Ignore (and replace) the progress of an earlier run. */
  restart: boolean;
}

type Outcome = 'changed' | 'unchanged';

interface ProgressEntry {
  key: string;
  user: string;
  outcome: Outcome;
}

export interface ImportSummary {
  changed: number;
  unchanged: number;
  /** Finished by an earlier run, per the progress file. */
  skipped: number;
  failed: Array<{ line: number; user: string; reason: string }>;
  /** Rows not tried because the run stopped (see isFatal). */
  notAttempted: number;
  /** Why the run stopped early, if it did. */
  stopped?: string;
}

/** The file names one user on two lines (by id on one, by email on the other): nothing is written. */
export class DuplicateUsersError extends Error {
  constructor(readonly problems: string[]) {
    super(`${problems.length} user${problems.length === 1 ? '' : 's'} named on two lines`);
  }
}

/** Lines that name a user an earlier line already named, once the tenant said who each row is. */
export function findDuplicateUsers(rows: ReadonlyArray<{ row: CsvRow; user: Auth0User }>): string[] {
  const firstLine = new Map<string, CsvRow>();
  const problems: string[] = [];
  for (const { row, user } of rows) {
    const first = firstLine.get(user.user_id);
    if (first) {
      problems.push(`line ${row.line}: ${row.user} is the same user as line ${first.line} (${first.user})`);
    } else firstLine.set(user.user_id, row);
  }
  return problems;
}

/**
 * JSON Lines, one finished row a line, appended as each row finishes: a crash loses at most the row in
 * flight, and a large file does not rewrite a growing JSON document after every row.
 */
export function progressPath(csvFile: string): string {
  return `${csvFile}.progress.jsonl`;
}

/**
 * A row is known by its line number and its text: an edited line, or lines moved by an edit above,
 * no longer match and are done again (which is harmless: a row already in place reports "unchanged").
 */
export function rowKey(row: CsvRow): string {
  const hash = createHash('sha256').update(row.text.trim()).digest('hex').slice(0, 16);
  return `${row.line}:${hash}`;
}

/** Keys of finished rows; an unreadable line (the one being written when the process died) is skipped. */
export function readProgress(path: string): Set<string> {
  const done = new Set<string>();
  if (!existsSync(path)) return done;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    try {
      const entry = JSON.parse(line) as Partial<ProgressEntry>;
      if (typeof entry.key === 'string') done.add(entry.key);
    } catch {
      // A partial last line: that row was not recorded, so it is done again.
    }
  }
  return done;
}

function record(path: string, entry: ProgressEntry): void {
  appendFileSync(path, `${JSON.stringify(entry)}\n`);
}

export async function importRows(
  session: Session,
  csvFile: string,
  rows: CsvRow[],
  options: ImportOptions,
): Promise<ImportSummary> {
  const { io } = session;
  const progress = progressPath(csvFile);
  // A dry run reads the progress (to show what a real run would skip) but never writes or removes it.
  if (options.restart && !options.dryRun) rmSync(progress, { force: true });
  const done = options.restart ? new Set<string>() : readProgress(progress);
  const summary: ImportSummary = { changed: 0, unchanged: 0, skipped: 0, failed: [], notAttempted: 0 };
  const setOptions = {
    ...options,
    source: session.source,
    environmentName: session.environment.name,
    seeds: session.environment.config.users,
  };
  const width = String(rows.length).length;
  const prefix = (index: number, row: CsvRow) =>
    `[${String(index + 1).padStart(width)}/${rows.length}] line ${row.line}`;
  const pending = rows
    .map((row, index) => ({ row, index, key: rowKey(row) }))
    .filter(({ key }) => !done.has(key));
  summary.skipped = rows.length - pending.length;
  if (summary.skipped > 0) io.err(`${summary.skipped} rows done in an earlier run (${progress}): skipped`);

  // Every row is looked up before the first write, so that one user named twice is found in time.
  const { found, fatal } = await resolveIdentifiers(
    session.directory,
    pending.map(({ row }) => row.identifier),
    options.concurrency,
  );
  if (fatal !== undefined) {
    summary.stopped = describeError(fatal);
    summary.notAttempted = pending.length;
    return summary;
  }
  const resolved: Array<(typeof pending)[number] & { user: Auth0User }> = [];
  for (const entry of pending) {
    const resolution = found.get(identifierKey(entry.row.identifier));
    if (resolution && !(resolution instanceof Error)) resolved.push({ ...entry, user: resolution });
    else {
      const reason = resolution?.message ?? 'not looked up';
      summary.failed.push({ line: entry.row.line, user: entry.row.user, reason });
      io.err(`${prefix(entry.index, entry.row)}: ${entry.row.user}: failed: ${reason}`);
    }
  }
  const duplicates = findDuplicateUsers(resolved);
  if (duplicates.length > 0) throw new DuplicateUsersError(duplicates);

  const changes = resolved.map((entry) => ({ ...entry, on: entry.row.on }));
  const { notAttempted, fatal: stoppedBy } = await applyChanges(
    session.directory,
    changes,
    setOptions,
    (outcome) => {
      const { row, index, key } = outcome.change;
      if ('error' in outcome) {
        summary.failed.push({ line: row.line, user: row.user, reason: outcome.error });
        io.err(`${prefix(index, row)}: ${row.user}: failed: ${outcome.error}`);
        return;
      }
      const result: Outcome = outcome.changed ? 'changed' : 'unchanged';
      summary[result] += 1;
      if (!options.dryRun) record(progress, { key, user: row.user, outcome: result });
      io.err(`${prefix(index, row)}: ${describeResult(outcome.result, row.on, options.dryRun)}`);
    },
  );
  summary.notAttempted = notAttempted;
  if (stoppedBy !== undefined) summary.stopped = describeError(stoppedBy);
  // Once every row is in place the record has served its purpose; a later run of the same file checks all
  // rows again (cheap, and it catches flags changed since).
  if (!options.dryRun && summary.failed.length === 0 && notAttempted === 0) rmSync(progress, { force: true });
  return summary;
}

export function formatSummary(summary: ImportSummary, csvFile: string, dryRun: boolean): string[] {
  const lines = [
    ...(summary.stopped ? [`stopped: ${summary.stopped}`] : []),
    `${dryRun ? 'dry run: would change' : 'changed'} ${summary.changed}, unchanged ${summary.unchanged}, ` +
      `failed ${summary.failed.length}` +
      (summary.skipped > 0 ? `, skipped ${summary.skipped} (done in an earlier run)` : '') +
      (summary.notAttempted > 0 ? `, not attempted ${summary.notAttempted}` : ''),
  ];
  for (const failure of summary.failed)
    lines.push(`  line ${failure.line} ${failure.user}: ${failure.reason}`);
  if (!dryRun && (summary.notAttempted > 0 || summary.failed.length > 0)) {
    lines.push(
      `progress is kept in ${progressPath(csvFile)}: run the same import again to do only the rows not yet done`,
    );
  }
  return lines;
}
