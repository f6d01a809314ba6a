// JSON text of a large value in small pieces, so a writer can stop between them and let the event loop
// serve requests: the snapshot of 100,000 users is tens of MB, and one JSON.stringify of it blocks for
// the whole time. The layout stays readable: the top two levels and every large container are indented
// one entry per line (a user, one user's authenticators), anything smaller is one compact line.

/** Containers nearer the top than this are indented one entry per line. */
const INDENTED_LEVELS = 2;
/** Deeper containers with more entries than this are too (each entry is then a piece of its own). */
const LARGE_CONTAINER = 64;

type Container = unknown[] | Record<string, unknown>;

function isContainer(value: unknown): value is Container {
  if (Array.isArray(value)) return true;
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}

/** What JSON.stringify writes for an object's entry: nothing for undefined and functions. */
function skipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** The JSON text of `value`, in pieces; joined, they parse to what `JSON.parse(JSON.stringify(value))` gives. */
export function* jsonPieces(value: unknown, depth = 0): Generator<string> {
  if (!isContainer(value)) {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  const array = Array.isArray(value);
  const keys = array ? undefined : Object.keys(value);
  const size = array ? value.length : (keys as string[]).length;
  if (depth >= INDENTED_LEVELS && size <= LARGE_CONTAINER) {
    yield JSON.stringify(value);
    return;
  }
  const indent = `\n${'  '.repeat(depth + 1)}`;
  let first = true;
  yield array ? '[' : '{';
  for (let i = 0; i < size; i++) {
    const item = array ? value[i] : (value as Record<string, unknown>)[(keys as string[])[i]];
    if (!array && skipped(item)) continue;
    const name = array ? '' : `${JSON.stringify((keys as string[])[i])}: `;
    yield `${first ? '' : ','}${indent}${name}`;
    first = false;
    yield* jsonPieces(skipped(item) ? null : item, depth + 1);
  }
  const end = array ? ']' : '}';
  yield first ? end : `\n${'  '.repeat(depth)}${end}`;
}

/** The pieces joined into chunks of at least `size` characters (the last may be shorter). */
export function* chunked(pieces: Iterable<string>, size: number): Generator<string> {
  let buffer: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    buffer.push(piece);
    length += piece.length;
    if (length >= size) {
      yield buffer.join('');
      buffer = [];
      length = 0;
    }
  }
  if (buffer.length > 0) yield buffer.join('');
}
