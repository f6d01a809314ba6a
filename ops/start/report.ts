// What npm start prints: what the deploy changed (from the plan's data, never from console text),
// and the login table.
import { countsLine } from '../plan/render';
import type { Counts } from '../plan/summary';

export const NO_CHANGES = 'No changes: the tenant already matches config/local.json.';

export function deploySummary(counts: Counts, applied: boolean): { changed: boolean; line: string } {
  return applied
    ? { changed: true, line: `Deployed: ${countsLine(counts)}` }
    : { changed: false, line: NO_CHANGES };
}

export function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
