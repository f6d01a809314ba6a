// Small, safe Markdown builders: text from a plan never closes a code block, breaks a table or
// injects HTML into a pull-request comment.

/** Line ends as Markdown reads them: a lone \r ends a line too, and could end a table row or start a heading. */
const LINE_END = /\r\n|\r|\n/g;

/** A fenced block whose fence is longer than any backtick run inside the text. */
export function codeBlock(text: string, language = ''): string {
  text = text.replace(LINE_END, '\n');
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text.replace(/\n$/, '')}\n${fence}`;
}

/** Inline code that survives backticks, pipes and newlines in the value. */
export function inlineCode(text: string): string {
  const flat = text.replace(LINE_END, '↵').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Plain text for Markdown: no HTML, no emphasis, no table breaks. */
export function escapeText(text: string): string {
  return text
    .replace(LINE_END, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~])/g, '\\$1');
}

export function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

/** Cuts text to at most `max` characters at a line end, saying how much was left out. */
export function truncate(text: string, max: number, note: (omitted: number) => string): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf('\n', max);
  const kept = text.slice(0, cut > max / 2 ? cut : max);
  const omitted = text.slice(kept.length).split('\n').filter(Boolean).length;
  return `${kept}\n${note(omitted)}\n`;
}
