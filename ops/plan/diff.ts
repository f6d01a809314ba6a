// A line diff in unified format (Myers' O(ND) algorithm), for showing how an Action's code changes.

export type Edit = { op: ' ' | '-' | '+'; line: string };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The shortest edit script turning `a` into `b`, line by line. */
export function diffLines(a: string[], b: string[]): Edit[] {
  // Common prefix and suffix first: most Action edits are small.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  const middle = myers(x, y);
  return [
    ...a.slice(0, start).map((line) => ({ op: ' ' as const, line })),
    ...middle,
    ...a.slice(endA).map((line) => ({ op: ' ' as const, line })),
  ];
}

function myers(a: string[], b: string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((line) => ({ op: '+', line }));
  if (m === 0) return a.map((line) => ({ op: '-', line }));
  const max = n + m;
  const offset = max;
  let v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let xPos: number;
      if (k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])) xPos = v[offset + k + 1];
      else xPos = v[offset + k - 1] + 1;
      let yPos = xPos - k;
      while (xPos < n && yPos < m && a[xPos] === b[yPos]) {
        xPos++;
        yPos++;
      }
      next[offset + k] = xPos;
      if (xPos >= n && yPos >= m) {
        found = true;
        break;
      }
    }
    v = next;
  }
  trace.push(v.slice());
  // Walk back through the saved frontiers.
  const edits: Edit[] = [];
  let xPos = n;
  let yPos = m;
  for (let d = trace.length - 2; d >= 0; d--) {
    const frontier = trace[d];
    const k = xPos - yPos;
    let prevK: number;
    if (k === -d || (k !== d && frontier[offset + k - 1] < frontier[offset + k + 1])) prevK = k + 1;
    else prevK = k - 1;
    const prevX = d === 0 ? 0 : frontier[offset + prevK];
    const prevY = prevX - prevK;
    while (xPos > prevX && yPos > prevY && xPos > 0 && yPos > 0 && a[xPos - 1] === b[yPos - 1]) {
      edits.push({ op: ' ', line: a[xPos - 1] });
      xPos--;
      yPos--;
    }
    if (d === 0) break;
    if (xPos === prevX) edits.push({ op: '+', line: b[--yPos] });
    else edits.push({ op: '-', line: a[--xPos] });
  }
  while (xPos > 0 && yPos > 0) {
    edits.push({ op: ' ', line: a[--xPos] });
    yPos--;
  }
  return edits.reverse();
}

/** A unified diff of two texts with `context` lines around each change; '' when they are equal. */
export function unifiedDiff(before: string, after: string, context = 3, names = ['before', 'after']): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const edits = diffLines(a, b);
  if (edits.every((e) => e.op === ' ')) return '';
  const out = [`--- ${names[0]}`, `+++ ${names[1]}`];
  // Positions (in edits) of changed lines, grouped into hunks that overlap with their context.
  const changed = edits.flatMap((e, i) => (e.op === ' ' ? [] : [i]));
  let i = 0;
  while (i < changed.length) {
    let last = changed[i];
    let j = i;
    while (j + 1 < changed.length && changed[j + 1] - last <= 2 * context + 1) last = changed[++j];
    const from = Math.max(0, changed[i] - context);
    const to = Math.min(edits.length - 1, last + context);
    let lineA = 1;
    let lineB = 1;
    for (let k = 0; k < from; k++) {
      if (edits[k].op !== '+') lineA++;
      if (edits[k].op !== '-') lineB++;
    }
    const hunk = edits.slice(from, to + 1);
    const countA = hunk.filter((e) => e.op !== '+').length;
    const countB = hunk.filter((e) => e.op !== '-').length;
    out.push(
      `@@ -${countA === 0 ? lineA - 1 : lineA},${countA} +${countB === 0 ? lineB - 1 : lineB},${countB} @@`,
    );
    for (const e of hunk) out.push(`${e.op}${e.line}`);
    i = j + 1;
  }
  return `${out.join('\n')}\n`;
}
