import { TenantStore } from '../../src/tenant/store';
import { expectAuth0Error } from '../support/replies';
import { type TestTenant, useTestTenant } from '../support/tenant';

const t = useTestTenant();
const enc = encodeURIComponent;
let serial = 0;

const NO_ROLE = ['The role does not exist.', 'inexistent_role'] as const;
const NO_USER = ['The user does not exist.', 'inexistent_user'] as const;

async function createRole(name = `role-${++serial}`, extra: Record<string, unknown> = {}): Promise<string> {
  const reply = await t.client.post('/api/v2/roles', { name, ...extra });
  if (reply.status !== 200) throw new Error(`role: ${reply.status} ${reply.text}`);
  return reply.body.id as string;
}

const createUsers = (count: number) => createUsersIn(t, count, 'user');

const assign = (roleId: string, users: string[]) =>
  t.client.post(`/api/v2/roles/${enc(roleId)}/users`, { users });

describe('roles', () => {
  it('creates a role with the recorded answer (200, id rol_...) and reads it back', async () => {
    const reply = await t.client.post('/api/v2/roles', { name: 'Shape Admins', description: 'Admins' });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      id: expect.stringMatching(/^rol_[A-Za-z0-9]{16}$/),
      name: 'Shape Admins',
      description: 'Admins',
    });
    expect((await t.client.get(`/api/v2/roles/${reply.body.id}`)).body).toEqual(reply.body);
  });

  it('leaves description out when none was given', async () => {
    const id = await createRole('No Description');
    expect((await t.client.get(`/api/v2/roles/${id}`)).body).toEqual({ id, name: 'No Description' });
  });

  it('refuses a missing or empty name and unknown fields, creating nothing', async () => {
    const before = (await t.client.get('/api/v2/roles?include_totals=true')).body.total;
    expectAuth0Error(
      await t.client.post('/api/v2/roles', { description: 'x' }),
      400,
      "Payload validation error: 'Missing required property: name'.",
      'invalid_body',
    );
    expectAuth0Error(
      await t.client.post('/api/v2/roles', { name: '' }),
      400,
      "Payload validation error: 'String is too short (0 chars), minimum 1' on property name.",
      'invalid_body',
    );
    expectAuth0Error(
      await t.client.post('/api/v2/roles', { name: 'x', permissions: [] }),
      400,
      "Payload validation error: 'Additional properties not allowed: permissions'.",
      'invalid_body',
    );
    expect((await t.client.get('/api/v2/roles?include_totals=true')).body.total).toBe(before);
  });

  it('answers 409 to a taken name, on create and on rename', async () => {
    const taken = await createRole('Taken Name');
    const other = await createRole('Other Name');
    expectAuth0Error(
      await t.client.post('/api/v2/roles', { name: 'Taken Name' }),
      409,
      'A role with this name already exists.',
    );
    expectAuth0Error(
      await t.client.patch(`/api/v2/roles/${other}`, { name: 'Taken Name' }),
      409,
      'A role with this name already exists.',
    );
    expect((await t.client.get(`/api/v2/roles/${other}`)).body.name).toBe('Other Name');
    // Renaming a role to its own name is no conflict.
    expect((await t.client.patch(`/api/v2/roles/${taken}`, { name: 'Taken Name' })).status).toBe(200);
  });

  it('updates name and description', async () => {
    const id = await createRole('Before');
    const reply = await t.client.patch(`/api/v2/roles/${id}`, {
      name: 'After',
      description: 'Now described',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ id, name: 'After', description: 'Now described' });
    expectAuth0Error(
      await t.client.patch(`/api/v2/roles/${id}`, { name: 7 }),
      400,
      "Payload validation error: 'Expected type string but found type integer' on property name.",
      'invalid_body',
    );
  });

  it.each([
    ['GET', (id: string) => t.client.get(`/api/v2/roles/${id}`)],
    ['PATCH', (id: string) => t.client.patch(`/api/v2/roles/${id}`, { name: 'x' })],
    ['DELETE', (id: string) => t.client.del(`/api/v2/roles/${id}`)],
    ['GET users', (id: string) => t.client.get(`/api/v2/roles/${id}/users`)],
    ['POST users', (id: string) => assign(id, ['auth0|x'])],
  ])('%s of an unknown role answers 404', async (_what, call) => {
    expectAuth0Error(await call('rol_doesNotExist0000'), 404, ...NO_ROLE);
  });

  it('deletes a role (204), which then is 404 and no longer anyone’s', async () => {
    const id = await createRole();
    const [user] = await createUsers(1);
    await assign(id, [user]);
    expect((await t.client.del(`/api/v2/roles/${id}`)).status).toBe(204);
    expectAuth0Error(await t.client.get(`/api/v2/roles/${id}`), 404, ...NO_ROLE);
    expect((await t.client.get(`/api/v2/users/${enc(user)}/roles`)).body).toEqual([]);
  });
});

describe('list', () => {
  const l = useTestTenant({
    setup: async ({ client }) => {
      for (const name of ['Billing Admins', 'billing viewers', 'Support', 'Admins'])
        await client.post('/api/v2/roles', { name });
    },
  });
  const names = (roles: Array<{ name: string }>) => roles.map((r) => r.name);

  it('lists every role in creation order, bare or with the recorded totals', async () => {
    expect(names((await l.client.get('/api/v2/roles')).body)).toEqual([
      'Billing Admins',
      'billing viewers',
      'Support',
      'Admins',
    ]);
    const totals = await l.client.get('/api/v2/roles?include_totals=true&page=0&per_page=100');
    expect(totals.body).toEqual({ start: 0, limit: 100, total: 4, roles: expect.any(Array) });
  });

  it('filters by name, ignoring case, on a part of the name', async () => {
    const reply = await l.client.get('/api/v2/roles?name_filter=BILLING&include_totals=true');
    expect(names(reply.body.roles)).toEqual(['Billing Admins', 'billing viewers']);
    expect(reply.body.total).toBe(2);
    expect(names((await l.client.get('/api/v2/roles?name_filter=admins')).body)).toEqual([
      'Billing Admins',
      'Admins',
    ]);
  });

  it('answers an empty page for a filter nothing matches, as recorded', async () => {
    const reply = await l.client.get(
      '/api/v2/roles?include_totals=true&name_filter=this-role-does-not-exist&page=0&per_page=100',
    );
    expect(reply.body).toEqual({ roles: [], start: 0, limit: 100, total: 0 });
  });

  it('pages with page and per_page; past the end is an empty page with the total', async () => {
    expect(names((await l.client.get('/api/v2/roles?page=1&per_page=3')).body)).toEqual(['Admins']);
    const past = await l.client.get('/api/v2/roles?page=5&per_page=3&include_totals=true');
    expect(past.body).toEqual({ start: 15, limit: 3, total: 4, roles: [] });
  });

  it('refuses a per_page over 100 and a non-integer page', async () => {
    expectAuth0Error(
      await l.client.get('/api/v2/roles?per_page=101'),
      400,
      "Query validation error: 'Value 101 is greater than maximum 100' on property per_page.",
      'invalid_query_string',
    );
    expect((await l.client.get('/api/v2/roles?page=first')).status).toBe(400);
  });
});

describe("a role's users", () => {
  const r = useTestTenant();
  let roleId: string;
  let users: string[];

  beforeAll(async () => {
    const role = await r.client.post('/api/v2/roles', { name: 'Members' });
    roleId = role.body.id;
    users = [];
    for (let i = 0; i < 5; i++) users.push(await r.client.createUser(`member-${i}@example.com`));
    const reply = await r.client.post(`/api/v2/roles/${roleId}/users`, { users });
    expect(reply.status).toBe(200);
  });

  const page = async (query: string) =>
    (await r.client.get(`/api/v2/roles/${roleId}/users${query}`)).body as {
      users: Array<{ user_id: string }>;
      next?: string;
    };
  const ids = (list: Array<{ user_id: string }>) => list.map((u) => u.user_id);

  it('lists them as RoleUser (user_id, email, picture, name), in the order assigned', async () => {
    const list = (await r.client.get(`/api/v2/roles/${roleId}/users`)).body;
    expect(ids(list)).toEqual(users);
    expect(list[0]).toEqual({
      user_id: users[0],
      email: 'member-0@example.com',
      picture: expect.stringMatching(/^https:\/\//),
      name: 'member-0@example.com',
    });
  });

  it('pages by checkpoint: take, then from = next, until no next', async () => {
    const first = await page('?take=2');
    expect(ids(first.users)).toEqual(users.slice(0, 2));
    expect(first.next).toEqual(expect.any(String));
    const second = await page(`?take=2&from=${enc(first.next as string)}`);
    expect(ids(second.users)).toEqual(users.slice(2, 4));
    const last = await page(`?take=2&from=${enc(second.next as string)}`);
    expect(ids(last.users)).toEqual(users.slice(4));
    expect(last).not.toHaveProperty('next');
  });

  it('answers one page without next when take covers them all (include_totals as the SDK sends it)', async () => {
    const all = await page('?include_totals=true&take=50');
    expect(all).toEqual({ users: expect.any(Array) });
    expect(ids(all.users)).toEqual(users);
  });

  it('keeps a checkpoint valid when users before it leave the role', async () => {
    const extra = await createUsersIn(r, 3, 'leaving');
    const role = (await r.client.post('/api/v2/roles', { name: 'Shrinking' })).body.id as string;
    await r.client.post(`/api/v2/roles/${role}/users`, { users: extra });
    const first = (await r.client.get(`/api/v2/roles/${role}/users?take=1`)).body;
    await r.client.del(`/api/v2/users/${enc(extra[0])}/roles`, { body: { roles: [role] } });
    const rest = (await r.client.get(`/api/v2/roles/${role}/users?take=5&from=${enc(first.next)}`)).body;
    expect(ids(rest.users)).toEqual(extra.slice(1));
  });

  it('pages by offset with page/per_page and the totals', async () => {
    const reply = await r.client.get(`/api/v2/roles/${roleId}/users?page=1&per_page=2&include_totals=true`);
    expect(reply.body).toEqual({ start: 2, limit: 2, total: 5, users: expect.any(Array) });
    expect(ids(reply.body.users)).toEqual(users.slice(2, 4));
  });

  it('refuses offset paging past the first 1000 and a checkpoint it did not issue', async () => {
    expectAuth0Error(
      await r.client.get(`/api/v2/roles/${roleId}/users?page=10&per_page=100`),
      400,
      'You can only page through the first 1000 records.',
      'invalid_paging',
    );
    expectAuth0Error(
      await r.client.get(`/api/v2/roles/${roleId}/users?from=not-a-checkpoint`),
      400,
      "Query validation error: 'Invalid checkpoint' on property from.",
      'invalid_query_string',
    );
    expect((await r.client.get(`/api/v2/roles/${roleId}/users?take=0`)).status).toBe(400);
  });

  it('assigns a user twice without listing it twice', async () => {
    await r.client.post(`/api/v2/roles/${roleId}/users`, { users: [users[0]] });
    expect(ids((await r.client.get(`/api/v2/roles/${roleId}/users`)).body)).toEqual(users);
  });

  it('refuses an unknown user or an empty list, assigning none of the others', async () => {
    const [fresh] = await createUsersIn(r, 1, 'fresh');
    expectAuth0Error(
      await r.client.post(`/api/v2/roles/${roleId}/users`, { users: [fresh, 'auth0|nobody'] }),
      404,
      ...NO_USER,
    );
    expectAuth0Error(
      await r.client.post(`/api/v2/roles/${roleId}/users`, { users: [] }),
      400,
      "Payload validation error: 'Array is too short (0), minimum 1' on property users.",
      'invalid_body',
    );
    expect(ids((await r.client.get(`/api/v2/roles/${roleId}/users`)).body)).not.toContain(fresh);
  });
});

describe("a user's roles", () => {
  it('lists, assigns (204) and removes (204) roles by id, paged with the recorded totals', async () => {
    const [user] = await createUsers(1);
    const first = await createRole('User Side A', { description: 'A' });
    const second = await createRole('User Side B');
    const path = `/api/v2/users/${enc(user)}/roles`;
    expect((await t.client.get(`${path}?include_totals=true&per_page=50`)).body).toEqual({
      roles: [],
      start: 0,
      limit: 50,
      total: 0,
    });
    expect((await t.client.post(path, { roles: [first, second] })).status).toBe(204);
    expect((await t.client.get(`${path}?include_totals=true&per_page=50`)).body).toEqual({
      roles: [
        { id: first, name: 'User Side A', description: 'A' },
        { id: second, name: 'User Side B' },
      ],
      start: 0,
      limit: 50,
      total: 2,
    });
    expect((await t.client.get(`/api/v2/roles/${first}/users`)).body).toEqual([
      expect.objectContaining({ user_id: user }),
    ]);
    expect((await t.client.del(path, { body: { roles: [first] } })).status).toBe(204);
    expect((await t.client.get(path)).body).toEqual([{ id: second, name: 'User Side B' }]);
  });

  it('answers 404 for an unknown user or role, changing nothing', async () => {
    const [user] = await createUsers(1);
    const role = await createRole();
    expectAuth0Error(await t.client.get(`/api/v2/users/${enc('auth0|nobody')}/roles`), 404, ...NO_USER);
    expectAuth0Error(
      await t.client.post(`/api/v2/users/${enc(user)}/roles`, { roles: [role, 'rol_unknown000000000'] }),
      404,
      ...NO_ROLE,
    );
    expect((await t.client.get(`/api/v2/users/${enc(user)}/roles`)).body).toEqual([]);
    expectAuth0Error(
      await t.client.del(`/api/v2/users/${enc(user)}/roles`),
      400,
      "Payload validation error: 'Expected type object but found type null'.",
      'invalid_body',
    );
  });

  it('deleting a user removes it from its roles, on disk too', async () => {
    const [gone, stays] = await createUsers(2);
    const role = await createRole();
    await assign(role, [gone, stays]);
    expect((await t.client.del(`/api/v2/users/${enc(gone)}`)).status).toBe(204);
    expect(
      (await t.client.get(`/api/v2/roles/${role}/users`)).body.map((u: { user_id: string }) => u.user_id),
    ).toEqual([stays]);
    expect(TenantStore.read(t.dir).state.roleUsers[role]).toEqual({ [stays]: true });
  });
});

async function createUsersIn(tenant: TestTenant, count: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++)
    ids.push(await tenant.client.createUser(`${prefix}-${++serial}-${i}@example.com`));
  return ids;
}
