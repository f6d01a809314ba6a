// Bulk import: one CSV row at a time, each finished row recorded next to the file, so a run that stops
// (tenant unreachable, Ctrl-C, a crash) picks up where it stopped instead of starting over.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { describeResult, type WriteOptions } from './commands';
import type { CsvRow } from './csv';
import { describeError, isFatal } from './errors';
import type { Session } from './session';
import { setUserFlag } from './users';

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
  for (const [index, row] of rows.entries()) {
    const prefix = `[${String(index + 1).padStart(width)}/${rows.length}] line ${row.line}`;
    const key = rowKey(row);
    if (done.has(key)) {
      summary.skipped += 1;
      io.err(`${prefix}: ${row.user}: done in an earlier run`);
      continue;
    }
    try {
      const result = await setUserFlag(session.directory, row.user, row.on, setOptions);
      const outcome: Outcome = Object.keys(result.patch).length > 0 ? 'changed' : 'unchanged';
      summary[outcome] += 1;
      if (!options.dryRun) record(progress, { key, user: row.user, outcome });
      io.err(`${prefix}: ${describeResult(result, row.on, options.dryRun)}`);
    } catch (error) {
      const reason = describeError(error);
      summary.failed.push({ line: row.line, user: row.user, reason });
      io.err(`${prefix}: ${row.user}: failed: ${reason}`);
      if (isFatal(error)) {
        summary.notAttempted = rows.length - index - 1;
        break;
      }
    }
  }
  // Once every row is in place the record has served its purpose; a later run of the same file checks all
  // rows again (cheap, and it catches flags changed since).
  if (!options.dryRun && summary.failed.length === 0) rmSync(progress, { force: true });
  return summary;
}

export function formatSummary(summary: ImportSummary, csvFile: string, dryRun: boolean): string[] {
  const lines = [
    `${dryRun ? 'dry run: would change' : 'changed'} ${summary.changed}, unchanged ${summary.unchanged}, ` +
      `failed ${summary.failed.length}` +
      (summary.skipped > 0 ? `, skipped ${summary.skipped} (done in an earlier run)` : '') +
      (summary.notAttempted > 0 ? `, not attempted ${summary.notAttempted}` : ''),
  ];
  for (const failure of summary.failed)
    lines.push(`  line ${failure.line} ${failure.user}: ${failure.reason}`);
  if (summary.notAttempted > 0 || (summary.failed.length > 0 && !dryRun)) {
    lines.push(
      `progress is kept in ${progressPath(csvFile)}: run the same import again to do only the rows not yet done`,
    );
  }
  return lines;
}
