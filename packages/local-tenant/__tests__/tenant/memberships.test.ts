import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  addMembers,
  deleteGroup,
  forgetUser,
  groupsOf,
  membersOf,
  newGroupId,
  removeMembers,
} from '../../src/tenant/memberships';
import { emptyTenantFile, type Memberships, type TenantFile } from '../../src/tenant/model';
import { TenantStore } from '../../src/tenant/store';
import { useTempDir } from '../support/tenant';

describe('memberships', () => {
  it('lists members in the order they joined, once each', () => {
    const links: Memberships = {};
    addMembers(links, 'rol_a', ['auth0|2', 'auth0|1']);
    addMembers(links, 'rol_a', ['auth0|1', 'auth0|3']);
    expect(membersOf(links, 'rol_a')).toEqual(['auth0|2', 'auth0|1', 'auth0|3']);
    expect(membersOf(links, 'rol_none')).toEqual([]);
  });

  it('answers a user’s groups, and removal touches only what it names', () => {
    const links: Memberships = {};
    addMembers(links, 'rol_a', ['auth0|1', 'auth0|2']);
    addMembers(links, 'rol_b', ['auth0|1']);
    expect(groupsOf(links, 'auth0|1')).toEqual(['rol_a', 'rol_b']);
    removeMembers(links, 'rol_a', ['auth0|1', 'auth0|nobody']);
    removeMembers(links, 'rol_none', ['auth0|1']);
    expect(links).toEqual({ rol_a: { 'auth0|2': true }, rol_b: { 'auth0|1': true } });
    forgetUser(links, 'auth0|1');
    const groups = [{ id: 'rol_a' }, { id: 'rol_b' }];
    expect(deleteGroup(groups, links, 'rol_a')).toBe(true);
    expect(deleteGroup(groups, links, 'rol_a')).toBe(false);
    expect({ groups, links }).toEqual({ groups: [{ id: 'rol_b' }], links: { rol_b: {} } });
  });

  it('never reads inherited keys as groups or members', () => {
    const links: Memberships = {};
    expect(membersOf(links, 'constructor')).toEqual([]);
    expect(groupsOf({ rol_a: {} }, 'toString')).toEqual([]);
  });

  it('makes ids in Auth0’s shape, each new', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newGroupId('org')));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^org_[A-Za-z0-9]{16}$/);
  });
});

describe('the store', () => {
  const tmp = useTempDir('local-tenant-memberships-', true);

  it('opens a tenant written before roles and organizations with none of them', () => {
    const older: Partial<TenantFile> = emptyTenantFile();
    for (const section of ['roles', 'roleUsers', 'organizations', 'organizationMembers'] as const)
      delete older[section];
    writeFileSync(join(tmp.path, 'tenant.json'), JSON.stringify(older));
    const state = TenantStore.open(tmp.path).state;
    const sections = (of: Record<string, unknown>) => [
      of.roles,
      of.roleUsers,
      of.organizations,
      of.organizationMembers,
    ];
    expect(sections({ ...state })).toEqual([[], {}, [], {}]);
    // Folded at once, so the snapshot on disk holds what the state has.
    expect(sections(JSON.parse(readFileSync(join(tmp.path, 'tenant.json'), 'utf8')))).toEqual([
      [],
      {},
      [],
      {},
    ]);
  });

  it('logs a new link as one patch, and replays it', () => {
    const store = TenantStore.open(tmp.path);
    store.transaction((d) => {
      d.roles.push({ id: 'rol_a', name: 'a' });
      addMembers(d.roleUsers, 'rol_a', ['auth0|1']);
    });
    store.transaction((d) => addMembers(d.roleUsers, 'rol_a', ['auth0|2']));
    const lines = readFileSync(store.logFile, 'utf8').trim().split('\n');
    expect(JSON.parse(lines.at(-1) as string)).toEqual({
      patches: [{ op: 'add', path: ['roleUsers', 'rol_a', 'auth0|2'], value: true }],
    });
    store.close();
    expect(TenantStore.read(tmp.path).state.roleUsers).toEqual({
      rol_a: { 'auth0|1': true, 'auth0|2': true },
    });
  });
});
