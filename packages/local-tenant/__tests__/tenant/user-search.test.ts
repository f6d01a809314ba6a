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

const match = (q: string, record: Record<string, unknown>) => matchesSearch(parseSearch(q), record);

describe('parseSearch / matchesSearch', () => {
  it('matches field:value, quoted values, case-insensitively', () => {
    expect(match('email:"ALICE@example.com"', alice)).toBe(true);
    expect(match('email:alice@example.com', bob)).toBe(false);
    expect(match('name:"Alice Liddell"', alice)).toBe(true);
  });

  it('matches booleans by value: true is not the string "true"... except as text', () => {
    expect(match('user_metadata.use_mfa:true', alice)).toBe(true);
    expect(match('user_metadata.use_mfa:false', alice)).toBe(false);
    // a string "true" is compared as text, which equals "true"
    expect(match('user_metadata.use_mfa:true', bob)).toBe(true);
  });

  it('combines with AND, OR, NOT, parentheses, and ORs juxtaposed clauses', () => {
    expect(match('email:alice@example.com AND app_metadata.plan:pro', alice)).toBe(true);
    expect(match('email:alice@example.com AND app_metadata.plan:free', alice)).toBe(false);
    expect(match('email:nobody@x.io OR app_metadata.plan:pro', alice)).toBe(true);
    expect(match('NOT email:alice@example.com', alice)).toBe(false);
    expect(match('-email:alice@example.com', bob)).toBe(true);
    expect(match('(email:x@y.z || email:bob@example.com) && name:Bob', bob)).toBe(true);
    expect(match('email:x@y.z email:bob@example.com', bob)).toBe(true);
  });

  it('supports wildcards, _exists_, ranges, arrays and numbers', () => {
    expect(match('email:*@example.com', alice)).toBe(true);
    expect(match('email:al?ce*', alice)).toBe(true);
    expect(match('_exists_:app_metadata.plan', alice)).toBe(true);
    expect(match('_exists_:app_metadata.plan', bob)).toBe(false);
    expect(match('created_at:[2024-01-01 TO 2024-12-31]', alice)).toBe(true);
    expect(match('created_at:{2024-06-01 TO *]', alice)).toBe(false);
    expect(match('logins_count:[2 TO 5]', alice)).toBe(true);
    expect(match('user_metadata.tags:b', alice)).toBe(true);
    expect(match('logins_count:3', alice)).toBe(true);
  });

  it('matches bare terms against email, name and id fields', () => {
    expect(match('alice', alice)).toBe(true);
    expect(match('bob@example.com', bob)).toBe(true);
    expect(match('carol', alice)).toBe(false);
  });

  it('reports syntax errors', () => {
    expect(() => parseSearch('email:"open')).toThrow(SearchSyntaxError);
    expect(() => parseSearch('(email:x')).toThrow(SearchSyntaxError);
    expect(() => parseSearch('email:x)')).toThrow(SearchSyntaxError);
  });
});
