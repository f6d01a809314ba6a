import { ApiError } from '../../src/server/errors';
import { checkpointPage, listPage } from '../../src/server/paging';

const items = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
const idOf = (item: { id: string }) => item.id;
const ids = (page: Record<string, unknown>) => (page.items as Array<{ id: string }>).map(idOf);

/** Every page from the first, following `next`. */
function walk(list: typeof items, take: number): string[][] {
  const pages: string[][] = [];
  let from: string | undefined;
  do {
    const page = checkpointPage('items', list, idOf, { from, take });
    pages.push(ids(page));
    from = page.next as string | undefined;
  } while (from !== undefined);
  return pages;
}

describe('checkpointPage', () => {
  it('walks the list in takes, with next on every page but the last', () => {
    expect(walk(items, 2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(walk(items, 5)).toEqual([['a', 'b', 'c', 'd', 'e']]);
    expect(walk(items, 100)).toEqual([['a', 'b', 'c', 'd', 'e']]);
    expect(walk([], 3)).toEqual([[]]);
  });

  it('gives no next when the page ends exactly at the last item', () => {
    const first = checkpointPage('items', items, idOf, { take: 3 });
    const second = checkpointPage('items', items, idOf, { from: first.next as string, take: 2 });
    expect(ids(second)).toEqual(['d', 'e']);
    expect(second).not.toHaveProperty('next');
  });

  it('follows the item next names when items before it left, and resumes at its place when it left itself', () => {
    const first = checkpointPage('items', items, idOf, { take: 2 });
    const withoutA = items.filter((item) => item.id !== 'a');
    expect(ids(checkpointPage('items', withoutA, idOf, { from: first.next as string, take: 2 }))).toEqual([
      'c',
      'd',
    ]);
    const withoutC = items.filter((item) => item.id !== 'c');
    expect(ids(checkpointPage('items', withoutC, idOf, { from: first.next as string, take: 2 }))).toEqual([
      'd',
      'e',
    ]);
    const emptied = checkpointPage('items', [], idOf, { from: first.next as string, take: 2 });
    expect(emptied).toEqual({ items: [] });
  });

  it.each([
    ['not base64 JSON', 'not-a-checkpoint'],
    ['JSON of another shape', Buffer.from('{"id":"a"}').toString('base64url')],
    ['a negative place', Buffer.from('["a",-1]').toString('base64url')],
    ['a fractional place', Buffer.from('["a",1.5]').toString('base64url')],
  ])('refuses a from that is %s with a query error', (_what, from) => {
    let thrown: unknown;
    try {
      checkpointPage('items', items, idOf, { from, take: 2 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect((thrown as ApiError).toBody()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: "Query validation error: 'Invalid checkpoint' on property from.",
      errorCode: 'invalid_query_string',
    });
  });
});

describe('listPage', () => {
  it('pages by checkpoint when take or from is given, by offset otherwise', () => {
    expect(listPage('items', items, idOf, { page: 0, per_page: 50, take: 2 })).toEqual({
      items: items.slice(0, 2),
      next: expect.any(String),
    });
    expect(listPage('items', items, idOf, { page: 1, per_page: 2, include_totals: true })).toEqual({
      start: 2,
      limit: 2,
      total: 5,
      items: items.slice(2, 4),
    });
    expect(listPage('items', items, idOf, { page: 0, per_page: 2 })).toEqual(items.slice(0, 2));
  });

  it('refuses an offset page past the first 1000 records, but not the page that ends at 1000', () => {
    expect(() => listPage('items', items, idOf, { page: 9, per_page: 100 })).not.toThrow();
    expect(() => listPage('items', items, idOf, { page: 10, per_page: 100 })).toThrow(
      'You can only page through the first 1000 records.',
    );
  });
});
