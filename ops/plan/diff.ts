// The unified diff of an Action's code, from the `diff` package (jsdiff).
import { structuredPatch } from 'diff';

/** A unified diff of two texts with `context` lines around each change; '' when they are equal. */
export function unifiedDiff(before: string, after: string, context = 3, names = ['before', 'after']): string {
  if (before === after) return '';
  const patch = structuredPatch(names[0], names[1], before, after, undefined, undefined, { context });
  const out = [`--- ${names[0]}`, `+++ ${names[1]}`];
  for (const hunk of patch.hunks) {
    out.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, ...hunk.lines);
  }
  return `${out.join('\n')}\n`;
}
