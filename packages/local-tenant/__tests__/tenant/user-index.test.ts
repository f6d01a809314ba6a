import { userView } from '../../src/api/users';
import type { StoredUser } from '../../src/tenant/model';
import { candidateIds, matchesSearch, parseSearch } from '../../src/tenant/user-search';
import { UserTable } from '../../src/tenant/user-table';

const CONNECTIONS = ['Username-Password-Authentication', 'Partners'];
const FLAGS: unknown[] = [true, false, 'TRUE', 5, undefined, ['true']];

/** A varied population: two connections, flags of every type, arrays, nested and dotted metadata keys. */
function population(count: number): StoredUser[] {
  return Array.from({ length: count }, (_, i) => {
    const user: StoredUser = {
      user_id: `auth0|u${i}`,
      connection: CONNECTIONS[i % 7 === 0 ? 1 : 0],
      email: `user${i}@example.com`,
      email_verified: false,
      created_at: '2024-01-01T00:00:00.000Z',
      updated_at: '2024-01-01T00:00:00.000Z',
    };
    const flag = FLAGS[i % FLAGS.length];
    if (i % 3 === 0) user.app_metadata = { use_mfa: flag, roles: i % 2 ? ['admin', 'ops'] : ['ops'] };
    if (i % 5 === 0) user.user_metadata = { use_mfa: i % 10 === 0, tier: i % 4 ? 'Gold' : 'silver' };
    if (i % 11 === 0)
      user.app_metadata = { ...user.app_metadata, nested: { use_mfa: true }, 'dotted.key': true };
    return user;
  });
}

function scan(table: UserTable, query: string): string[] {
  const tree = parseSearch(query);
  return [...table.all()].filter((u) => matchesSearch(tree, userView(u))).map((u) => u.user_id);
}

function viaIndex(table: UserTable, query: string): string[] | undefined {
  const tree = parseSearch(query);
  const ids = candidateIds(tree, table);
  if (!ids) return undefined;
  return [...ids]
    .map((id) => table.get(id))
    .filter((u): u is StoredUser => u !== undefined && matchesSearch(tree, userView(u)))
    .sort((a, b) => table.position(a.user_id) - table.position(b.user_id))
    .map((u) => u.user_id);
}

// What the mfa tool sends (ops/mfa: lookups, selections, the pending clauses, listing the flagged), and
// what an operator's --query commonly is: each answered from the indexes, with what a scan finds.
const INDEXED = [
  'app_metadata.use_mfa:true',
  'user_metadata.use_mfa:true',
  'identities.connection:"Partners"',
  'email:("user3@example.com" OR "user10@example.com" OR "nobody@example.com")',
  'user_id:("auth0|u3" OR "auth0|u4") AND (identities.connection:"Username-Password-Authentication")',
  '(identities.connection:"Partners") AND user_metadata.use_mfa:true',
  '(user_metadata.tier:gold) AND NOT app_metadata.use_mfa:true',
  'app_metadata.roles:admin',
  'app_metadata.use_mfa:"true"',
  'app_metadata.use_mfa:false OR user_metadata.use_mfa:false',
  '(identities.connection:"Partners") AND NOT app_metadata.use_mfa:true',
];
// Left to a scan: a NOT alone, wildcards, numbers, nested or dotted keys, bare terms, _exists_, ranges.
const SCANNED = [
  'NOT app_metadata.use_mfa:true',
  'email:user1*',
  'app_metadata.use_mfa:5',
  'app_metadata.nested.use_mfa:true',
  'app_metadata.dotted.key:true',
  'user7',
  '_exists_:app_metadata.use_mfa',
  'app_metadata.use_mfa:true OR email:*@example.org',
];

describe('search from the indexes', () => {
  const table = new UserTable(population(300));

  it.each(INDEXED)('answers %s from the indexes, as a scan does', (query) => {
    const expected = scan(table, query);
    expect(expected.length).toBeGreaterThan(0);
    expect(viaIndex(table, query)).toEqual(expected);
  });

  it.each(SCANNED)('leaves %s to a scan', (query) => {
    expect(viaIndex(table, query)).toBeUndefined();
  });

  it('names only the matching users for a single indexed term (no scan behind it)', () => {
    const ids = candidateIds(parseSearch('app_metadata.use_mfa:true'), table);
    expect([...(ids ?? [])].sort()).toEqual(scan(table, 'app_metadata.use_mfa:true').sort());
  });

  it('follows writes: changed flags, a moved connection, a deleted user', () => {
    const changed = new UserTable(population(60));
    const first = changed.get('auth0|u0') as StoredUser;
    const u3 = changed.get('auth0|u3') as StoredUser;
    changed.apply([
      ['auth0|u0', { ...first, app_metadata: { use_mfa: false }, connection: 'Partners' }],
      ['auth0|u3', { ...u3, app_metadata: { use_mfa: true, roles: [] } }],
      ['auth0|u6', null],
    ]);
    for (const query of [...INDEXED, 'app_metadata.roles:ops']) {
      expect(viaIndex(changed, query)).toEqual(scan(changed, query));
    }
    expect(viaIndex(changed, 'app_metadata.use_mfa:true')).toContain('auth0|u3');
    expect(viaIndex(changed, 'identities.connection:Partners')).toContain('auth0|u0');
  });

  it('scans inside a transaction, where the indexes do not yet hold its changes', () => {
    const writer = table.begin();
    try {
      expect(writer.withValue('app_metadata.use_mfa', 'true')).toBeUndefined();
    } finally {
      table.rollback();
    }
  });
});
