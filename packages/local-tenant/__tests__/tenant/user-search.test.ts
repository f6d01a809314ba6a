import { matchesSearch, parseSearch, SearchSyntaxError } from '../../src/tenant/user-search';

const alice = {
  user_id: 'auth0|abc',
  email: 'alice@example.com',
  name: 'Alice Liddell',
  logins_count: 3,
  created_at: '2024-05-01T00:00:00.000Z',
  user_metadata: { use_mfa: true, tags: ['a', 'b'] },
  app_metadata: { plan: 'pro' },
};
const bob = {
  user_id: 'auth0|def',
  email: 'bob@example.com',
  name: 'Bob',
  user_metadata: { use_mfa: 'true' },
};

const people = { alice, bob };
type Row = [query: string, who: keyof typeof people, matches: boolean];

/** Each row: a query, whom it is tried on, whether it matches (rows alike by design: duplicates pairs them). */
const cases: Record<string, Row[]> = {
  'matches field:value, quoted values, case-insensitively': [
    ['email:"ALICE@example.com"', 'alice', true],
    ['email:alice@example.com', 'bob', false],
    ['name:"Alice Liddell"', 'alice', true],
  ],
  // A boolean matches by value; a string "true" is compared as text, which equals "true".
  'matches booleans by value, and the string "true" as text': [
    ['user_metadata.use_mfa:true', 'alice', true],
    ['user_metadata.use_mfa:false', 'alice', false],
    ['user_metadata.use_mfa:true', 'bob', true],
  ],
  'combines with AND, OR, NOT, parentheses, and ORs juxtaposed clauses': [
    ['email:alice@example.com AND app_metadata.plan:pro', 'alice', true],
    ['email:alice@example.com AND app_metadata.plan:free', 'alice', false],
    ['email:nobody@x.io OR app_metadata.plan:pro', 'alice', true],
    ['NOT email:alice@example.com', 'alice', false],
    ['-email:alice@example.com', 'bob', true],
    ['(email:x@y.z || email:bob@example.com) && name:Bob', 'bob', true],
    ['email:x@y.z email:bob@example.com', 'bob', true],
  ],
  'supports wildcards, _exists_, ranges, arrays and numbers': [
    ['email:*@example.com', 'alice', true],
    ['email:al?ce*', 'alice', true],
    ['_exists_:app_metadata.plan', 'alice', true],
    ['_exists_:app_metadata.plan', 'bob', false],
    ['created_at:[2024-01-01 TO 2024-12-31]', 'alice', true],
    ['created_at:{2024-06-01 TO *]', 'alice', false],
    ['logins_count:[2 TO 5]', 'alice', true],
    ['user_metadata.tags:b', 'alice', true],
    ['logins_count:3', 'alice', true],
  ],
  'matches bare terms against email, name and id fields': [
    ['alice', 'alice', true],
    ['bob@example.com', 'bob', true],
    ['carol', 'alice', false],
  ],
};

describe('parseSearch / matchesSearch', () => {
  describe.each(Object.entries(cases))('%s', (_, rows) => {
    it.each(rows)('%s on %s: %p', (query, who, matches) => {
      expect(matchesSearch(parseSearch(query), people[who])).toBe(matches);
    });
  });

  it('reports syntax errors', () => {
    expect(() => parseSearch('email:"open')).toThrow(SearchSyntaxError);
    expect(() => parseSearch('(email:x')).toThrow(SearchSyntaxError);
    expect(() => parseSearch('email:x)')).toThrow(SearchSyntaxError);
  });
});
