// The bulk file: a header `user,use_mfa`, then one user (id or email) and on/off per line, read by csv-parse.
// Every cell is checked before anything is sent, so a typo never leaves a half-applied file behind.
import { CsvError, parse } from 'csv-parse/sync';
import { FLAG } from '../../src/config/vocabulary';
import { type Identifier, identifierKey, identifierProblem, parseIdentifier } from './users';

export interface CsvRow {
  /** 1-based line number in the file, as an editor shows it. */
  line: number;
  /** The record's text, hashed into the progress key so an edited line is not taken as done. */
  text: string;
  user: string;
  identifier: Identifier;
  on: boolean;
}

export interface CsvResult {
  rows: CsvRow[];
  problems: string[];
}

export const CSV_HEADER = ['user', FLAG] as const;

const VALUES: Record<string, boolean> = { on: true, true: true, off: false, false: false };

interface CsvRecord {
  record: string[];
  raw: string;
  info: { lines: number };
}

function readRecords(content: string): CsvRecord[] | string {
  try {
    return parse(content, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      // A quote inside an unquoted cell (=HYPERLINK("x")) is kept, so the cell check can name it.
      relax_quotes: true,
      info: true,
      raw: true,
    }) as unknown as CsvRecord[];
  } catch (error) {
    if (error instanceof CsvError) {
      const where = (error as CsvError & { lines?: number }).lines;
      return `${where ? `line ${where}: ` : ''}${error.message.replace(/ at line \d+$/, '')}`;
    }
    throw error;
  }
}

function parseRow({ record, raw, info }: CsvRecord): CsvRow | string {
  const line = info.lines;
  const text = raw.trim();
  if (record.length !== CSV_HEADER.length) {
    return `line ${line}: expected 2 columns (${CSV_HEADER.join(',')}), found ${record.length} in ${JSON.stringify(text)}`;
  }
  const [user, value] = record;
  const problem = identifierProblem(user);
  if (problem) return `line ${line}, column user: ${user === '' ? 'the user is empty' : problem}`;
  const on = VALUES[value.toLowerCase()];
  if (on === undefined) {
    return `line ${line}, column ${FLAG}: ${JSON.stringify(value)} is not one of on, off, true, false`;
  }
  return { line, text, user, identifier: parseIdentifier(user), on };
}

/** Parses the whole file; `problems` names every bad cell with its line, column and value. */
export function parseCsv(content: string): CsvResult {
  const records = readRecords(content);
  if (typeof records === 'string') return { rows: [], problems: [records] };
  const [header, ...body] = records;
  if (!header) return { rows: [], problems: ['the file is empty: expected the header user,use_mfa'] };
  if (header.record.map((name) => name.toLowerCase()).join(',') !== CSV_HEADER.join(',')) {
    return {
      rows: [],
      problems: [
        `line ${header.info.lines}: expected the header user,use_mfa, found ${JSON.stringify(header.raw.trim())}`,
      ],
    };
  }
  const rows: CsvRow[] = [];
  const problems: string[] = [];
  const firstLineOf = new Map<string, number>();
  for (const record of body) {
    const row = parseRow(record);
    if (typeof row === 'string') {
      problems.push(row);
      continue;
    }
    // The same user twice (maybe with opposite values) is a mistake whichever row would win. The same user
    // named once by id and once by email is found once the tenant has answered (see findDuplicateUsers).
    const key = identifierKey(row.identifier);
    const first = firstLineOf.get(key);
    if (first !== undefined) problems.push(`line ${row.line}: ${row.user} is already on line ${first}`);
    else firstLineOf.set(key, row.line);
    rows.push(row);
  }
  return { rows, problems };
}
