// Auth0's two ways of answering a page of a list, each written once: the Actions lists' envelope
// (actions, versions, trigger bindings) and the offset lists (users, clients, a user's roles and
// authentication methods).
import type { JsonMap } from '../tenant/model';

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
