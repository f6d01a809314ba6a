// What npm start prints: whether the deploy changed the tenant, and the login table.

/** Terraform's own summary line of the apply, or why there was none. */
export function applySummary(output: string): { changed: boolean; line: string } {
  if (/No changes\. Your infrastructure matches the configuration\./.test(output)) {
    return { changed: false, line: 'No changes: the tenant already matches config/local.json.' };
  }
  const complete = output.match(/Apply complete! Resources: (\d+) added, (\d+) changed, (\d+) destroyed\./);
  if (complete) {
    const changed = complete.slice(1).some((n) => n !== '0');
    return {
      changed,
      line: changed ? complete[0] : 'No changes: the tenant already matches config/local.json.',
    };
  }
  throw new Error(`cdktf deploy did not report an apply result:\n${output.slice(-3000)}`);
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
