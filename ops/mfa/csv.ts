// The bulk file: a header `user,use_mfa`, then one user (id or email) and on/off per line.
// Every row is checked before anything is sent, so a typo never leaves a half-applied file behind.

export interface CsvRow {
  /** 1-based line number in the file, as an editor shows it. */
  line: number;
  /** The line's text, hashed into the progress key so an edited line is not taken as done. */
  text: string;
  user: string;
  on: boolean;
}

export interface CsvResult {
  rows: CsvRow[];
  problems: string[];
}

export const CSV_HEADER = ['user', 'use_mfa'] as const;

const VALUES: Record<string, boolean> = { on: true, true: true, off: false, false: false };

/**
 * Splits one line into fields; double quotes may wrap a field (spreadsheets quote freely) and `""` inside
 * them is a quote. Fields never span lines: neither user ids nor emails contain a line break.
 */
export function splitCsvLine(text: string): string[] | undefined {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (char === ',') {
      fields.push(field.trim());
      field = '';
    } else field += char;
  }
  if (quoted) return undefined;
  fields.push(field.trim());
  return fields;
}

function parseRow(line: number, text: string): CsvRow | string {
  const fields = splitCsvLine(text);
  if (!fields) return `line ${line}: unbalanced quotes in ${JSON.stringify(text)}`;
  if (fields.length !== 2) {
    return `line ${line}: expected 2 columns (user,use_mfa), found ${fields.length} in ${JSON.stringify(text)}`;
  }
  const [user, value] = fields;
  if (!user) return `line ${line}: the user column is empty`;
  const on = VALUES[value.toLowerCase()];
  if (on === undefined) {
    return `line ${line}: use_mfa ${JSON.stringify(value)} is not one of on, off, true, false`;
  }
  return { line, text, user, on };
}

/** Parses the whole file; `problems` names every bad line with its number and value. */
export function parseCsv(content: string): CsvResult {
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex((text) => text.trim() !== '');
  if (headerIndex < 0) return { rows: [], problems: ['the file is empty: expected the header user,use_mfa'] };
  const header = splitCsvLine(lines[headerIndex])?.map((name) => name.toLowerCase());
  if (header?.join(',') !== CSV_HEADER.join(',')) {
    return {
      rows: [],
      problems: [
        `line ${headerIndex + 1}: expected the header user,use_mfa, found ${JSON.stringify(lines[headerIndex])}`,
      ],
    };
  }
  const rows: CsvRow[] = [];
  const problems: string[] = [];
  const firstLineOf = new Map<string, number>();
  lines.forEach((text, index) => {
    if (index <= headerIndex || text.trim() === '') return;
    const row = parseRow(index + 1, text);
    if (typeof row === 'string') {
      problems.push(row);
      return;
    }
    // The same user twice (maybe with opposite values) is a mistake whichever row would win.
    // Emails compare without case, as Auth0 stores them; user ids are compared as they are.
    const key = row.user.includes('|') ? row.user : row.user.toLowerCase();
    const first = firstLineOf.get(key);
    if (first !== undefined) problems.push(`line ${row.line}: ${row.user} is already on line ${first}`);
    else firstLineOf.set(key, row.line);
    rows.push(row);
  });
  return { rows, problems };
}
