import { chunked, jsonPieces } from '../../src/tenant/json-pieces';

describe('jsonPieces', () => {
  const value = {
    schemaVersion: 1,
    skipped: undefined,
    when: new Date(0),
    settings: { flags: { a: true, b: false }, nested: { deep: { deeper: [1, 'two', null] } } },
    holes: [1, undefined, () => 0, 3],
    empty: { list: [], map: {} },
    users: Array.from({ length: 200 }, (_, i) => ({ user_id: `auth0|${i}`, name: `"quoted" \u00e9 ${i}` })),
    auth: {
      authenticators: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`auth0|${i}`, [{ id: i }]])),
    },
  };

  it('joins to text that parses to what JSON.stringify gives', () => {
    const text = [...jsonPieces(value)].join('');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('puts one entry per line at the top levels and in large containers, each as small piece', () => {
    const pieces = [...jsonPieces(value)];
    const text = pieces.join('');
    expect(text.split('\n')).toContain('    {"user_id":"auth0|7","name":"\\"quoted\\" \u00e9 7"},');
    expect(text).toContain('\n      "auth0|5": [{"id":5}],');
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(100);
  });

  it('writes scalars and empty containers as JSON.stringify does', () => {
    for (const scalar of [null, 1.5, 'text', true, [], {}]) {
      expect([...jsonPieces(scalar)].join('')).toBe(JSON.stringify(scalar));
    }
  });

  it('chunks pieces into joined runs of at least the size asked, losing nothing', () => {
    const pieces = [...jsonPieces(value)];
    const chunks = [...chunked(pieces, 1000)];
    expect(chunks.join('')).toBe(pieces.join(''));
    expect(chunks.slice(0, -1).every((c) => c.length >= 1000)).toBe(true);
    expect(chunks.length).toBeGreaterThan(5);
  });
});
