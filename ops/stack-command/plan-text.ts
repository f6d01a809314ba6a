// The human-readable plan, taken from `terraform plan`'s own output instead of a second
// `terraform show PLANFILE` (which starts Terraform and the provider again: a third of a plan's time).
// What `show` prints is the same text without the refresh progress before it and the "Saved the plan"
// footer after it.

/** Progress lines of the refresh: `addr: Refreshing state... [id=...]`, `addr: Reading...`, `addr: Read complete after 0s`. */
const PROGRESS = /^\S.*: (Refreshing state\.\.\.( \[.*\])?|Reading\.\.\.|Read complete after .*)$/;
const SEPARATOR = /^─{10,}$/;

export function planText(stdout: string): string {
  const lines = stdout.replace(/\r\n/g, '\n').split('\n');
  let start = 0;
  while (start < lines.length && (PROGRESS.test(lines[start]) || lines[start] === '')) start++;
  let end = lines.length;
  const footer = lines.findIndex(
    (line, i) => SEPARATOR.test(line) && /^Saved the plan to:/.test(lines[i + 2] ?? ''),
  );
  if (footer >= 0) end = footer;
  while (end > start && lines[end - 1] === '') end--;
  return `\n${lines.slice(start, end).join('\n')}\n`;
}
