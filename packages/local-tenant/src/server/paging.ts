// Auth0's ways of answering a page of a list, each written once: the Actions lists' envelope
// (actions, versions, trigger bindings), the offset lists (users, clients, roles, a user's roles and
// authentication methods) with their 1000-record window, and checkpoint pages (`from`/`take`, answered
// with `next`: a role's users, an organization's members, organizations).
import type { JsonMap } from '../tenant/model';
import { badRequest } from './errors';

/** A list request's paging, as `pagingQuery` parses it. */
export interface Paging {
  page: number;
  per_page: number;
  include_totals?: boolean;
}

function pageOf<T>(items: readonly T[], { page, per_page: perPage }: Paging): T[] {
  return items.slice(page * perPage, page * perPage + perPage);
}

/**
 * Auth0's list envelope as recorded: `total` only on a page that has items, `page` only when not 0,
 * `per_page` always. The Go SDK's pager (`total > start + limit`) then stops after one empty page.
 */
export function pageEnvelope<T>(key: string, items: T[], paging: Paging): JsonMap {
  const slice = pageOf(items, paging);
  const out: JsonMap = { [key]: slice };
  if (slice.length > 0) out.total = items.length;
  if (paging.page > 0) out.page = paging.page;
  out.per_page = paging.per_page;
  return out;
}

/**
 * An offset list: the page as a bare array, or with `include_totals` inside
 * `{ start, limit, length, total, <key> }`. `withLength: false` for the lists whose totals have no
 * `length` (a user's roles, permissions and authentication methods). `view` shapes each item of the page.
 */
export function offsetPage<T>(
  key: string,
  items: readonly T[],
  paging: Paging,
  options: { view?: (item: T) => unknown; withLength?: boolean } = {},
): unknown {
  const { view = (item: T) => item, withLength = true } = options;
  const slice = pageOf(items, paging).map(view);
  if (!paging.include_totals) return slice;
  const start = paging.page * paging.per_page;
  const totals = withLength
    ? { start, limit: paging.per_page, length: slice.length, total: items.length }
    : { start, limit: paging.per_page, total: items.length };
  return { ...totals, [key]: slice };
}

/** How far offset paging reaches (`page` and `per_page`): past it, Auth0 asks for checkpoint paging. */
export const OFFSET_WINDOW = 1000;

/** Auth0's refusal of a page past the offset window (quoted in the README's wordings). */
export function checkOffsetWindow({ page, per_page: perPage }: Paging): void {
  if ((page + 1) * perPage > OFFSET_WINDOW)
    throw badRequest(`You can only page through the first ${OFFSET_WINDOW} records.`, 'invalid_paging');
}

/** A checkpoint request: `from` is the `next` of the page before (absent: the first page). */
export interface Checkpoint {
  from?: string;
  take: number;
}

/** What `next` carries: the id of the page's first item and where it stood, so a removal cannot skip it. */
interface Cursor {
  id: string;
  at: number;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.id, cursor.at])).toString('base64url');
}

function decodeCursor(from: string): Cursor {
  try {
    const [id, at] = JSON.parse(Buffer.from(from, 'base64url').toString('utf8')) as unknown[];
    if (typeof id === 'string' && Number.isSafeInteger(at) && (at as number) >= 0)
      return { id, at: at as number };
  } catch {
    // worded below
  }
  throw badRequest(`Query validation error: 'Invalid checkpoint' on property from.`, 'invalid_query_string');
}

/**
 * A checkpoint page (Auth0's member lists): `{ <key>: [...], next }`, with `next` only while items remain.
 * The page starts at the item `from` names, or where it stood if it has left the list since.
 */
export function checkpointPage<T>(
  key: string,
  items: readonly T[],
  idOf: (item: T) => string,
  { from, take }: Checkpoint,
  view: (item: T) => unknown = (item) => item,
): JsonMap {
  let start = 0;
  if (from !== undefined) {
    const cursor = decodeCursor(from);
    const found = items[cursor.at] !== undefined && idOf(items[cursor.at]) === cursor.id;
    const moved = found ? -1 : items.findIndex((item) => idOf(item) === cursor.id);
    start = found ? cursor.at : moved >= 0 ? moved : Math.min(cursor.at, items.length);
  }
  const slice = items.slice(start, start + take);
  const out: JsonMap = { [key]: slice.map(view) };
  const after = start + take;
  if (after < items.length) out.next = encodeCursor({ id: idOf(items[after]), at: after });
  return out;
}

/** A list that takes both kinds of paging (as `pagingQuery` with `checkpoint` parses it). */
export type ListPaging = Paging & { from?: string; take?: number };

/** Default page size of checkpoint lists (Auth0's `take`). */
const DEFAULT_TAKE = 50;

/**
 * A page of a list Auth0 pages both ways: checkpoint when the request has `from` or `take`, otherwise
 * offset (within the window) with `{ start, limit, total, <key> }` totals.
 */
export function listPage<T>(
  key: string,
  items: readonly T[],
  idOf: (item: T) => string,
  paging: ListPaging,
  view: (item: T) => unknown = (item) => item,
): unknown {
  if (paging.from !== undefined || paging.take !== undefined)
    return checkpointPage(key, items, idOf, { from: paging.from, take: paging.take ?? DEFAULT_TAKE }, view);
  checkOffsetWindow(paging);
  return offsetPage(key, items, paging, { view, withLength: false });
}
