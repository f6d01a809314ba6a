import { TenantStore } from '../../src/tenant/store';
import { expectAuth0Error } from '../support/replies';
import { useTestTenant } from '../support/tenant';

const t = useTestTenant();
const enc = encodeURIComponent;
let serial = 0;

const NO_ORGANIZATION = ['The organization does not exist.', 'inexistent_organization'] as const;
const NO_USER = ['The user does not exist.', 'inexistent_user'] as const;
const TAKEN = 'An organization with this name already exists.';

async function createOrganization(name = `org-${++serial}`, extra: Record<string, unknown> = {}) {
  const reply = await t.client.post('/api/v2/organizations', { name, ...extra });
  if (reply.status !== 201) throw new Error(`organization: ${reply.status} ${reply.text}`);
  return reply.body.id as string;
}

async function createUsers(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await t.client.createUser(`member-${++serial}@example.com`));
  return ids;
}

const membersPath = (id: string) => `/api/v2/organizations/${id}/members`;
const ids = (list: Array<{ user_id: string }>) => list.map((m) => m.user_id);

describe('organizations', () => {
  it('creates one with the recorded answer (201, id org_...) and reads it by id and by name', async () => {
    const reply = await t.client.post('/api/v2/organizations', {
      name: 'acme-inc',
      display_name: 'Acme Inc.',
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      id: expect.stringMatching(/^org_[A-Za-z0-9]{16}$/),
      name: 'acme-inc',
      display_name: 'Acme Inc.',
    });
    expect((await t.client.get(`/api/v2/organizations/${reply.body.id}`)).body).toEqual(reply.body);
    expect((await t.client.get('/api/v2/organizations/name/acme-inc')).body).toEqual(reply.body);
  });

  it('keeps branding and metadata, and leaves out what was not given', async () => {
    const id = await createOrganization('branded', {
      branding: { logo_url: 'https://example.com/logo.png', colors: { primary: '#0059d6' } },
      metadata: { tier: 'gold', dropped: null },
    });
    expect((await t.client.get(`/api/v2/organizations/${id}`)).body).toEqual({
      id,
      name: 'branded',
      branding: { logo_url: 'https://example.com/logo.png', colors: { primary: '#0059d6' } },
      metadata: { tier: 'gold' },
    });
    const bare = await createOrganization('bare');
    expect((await t.client.get(`/api/v2/organizations/${bare}`)).body).toEqual({ id: bare, name: 'bare' });
  });

  it.each([
    ['upper case', 'Acme', "'String does not match pattern' on property name"],
    ['a space', 'acme inc', "'String does not match pattern' on property name"],
    ['51 characters', 'a'.repeat(51), "'String is too long (51 chars), maximum 50' on property name"],
    ['an empty name', '', "'String is too short (0 chars), minimum 1' on property name"],
  ])('refuses a name with %s, creating nothing', async (_what, name, detail) => {
    expectAuth0Error(
      await t.client.post('/api/v2/organizations', { name }),
      400,
      `Payload validation error: ${detail}.`,
      'invalid_body',
    );
    expect((await t.client.get(`/api/v2/organizations/name/${enc(name || 'x')}`)).status).toBe(404);
  });

  it('takes the names Auth0 documents: digits first, underscores and dashes, 50 characters', async () => {
    for (const name of ['1st-team', 'under_score', 'b'.repeat(50)])
      expect((await t.client.post('/api/v2/organizations', { name })).status).toBe(201);
  });

  it('refuses a missing name, unknown fields, a long display_name and non-string metadata', async () => {
    expectAuth0Error(
      await t.client.post('/api/v2/organizations', { display_name: 'x' }),
      400,
      "Payload validation error: 'Missing required property: name'.",
      'invalid_body',
    );
    expectAuth0Error(
      await t.client.post('/api/v2/organizations', { name: 'fields', members: [] }),
      400,
      "Payload validation error: 'Additional properties not allowed: members'.",
      'invalid_body',
    );
    expectAuth0Error(
      await t.client.post('/api/v2/organizations', { name: 'long-display', display_name: 'd'.repeat(256) }),
      400,
      "Payload validation error: 'String is too long (256 chars), maximum 255' on property display_name.",
      'invalid_body',
    );
    expect((await t.client.post('/api/v2/organizations', { name: 'meta', metadata: { n: 1 } })).status).toBe(
      400,
    );
    const many = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`k${i}`, 'v']));
    expect((await t.client.post('/api/v2/organizations', { name: 'meta', metadata: many })).status).toBe(400);
  });

  it('answers 409 to a taken name, on create and on rename, changing nothing', async () => {
    await createOrganization('taken');
    const other = await createOrganization('other');
    expectAuth0Error(await t.client.post('/api/v2/organizations', { name: 'taken' }), 409, TAKEN);
    expectAuth0Error(await t.client.patch(`/api/v2/organizations/${other}`, { name: 'taken' }), 409, TAKEN);
    expect((await t.client.get(`/api/v2/organizations/${other}`)).body.name).toBe('other');
  });

  it('updates fields, merging metadata at the top level with null removing a key', async () => {
    const id = await createOrganization('patched', { metadata: { keep: '1', drop: '2' } });
    const reply = await t.client.patch(`/api/v2/organizations/${id}`, {
      name: 'renamed',
      display_name: 'Renamed',
      metadata: { drop: null, added: '3' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      id,
      name: 'renamed',
      display_name: 'Renamed',
      metadata: { keep: '1', added: '3' },
    });
    expect((await t.client.get('/api/v2/organizations/name/patched')).status).toBe(404);
    expect((await t.client.get('/api/v2/organizations/name/renamed')).body.id).toBe(id);
    expect((await t.client.patch(`/api/v2/organizations/${id}`, { name: 'Not Valid' })).status).toBe(400);
  });

  it.each([
    ['GET', (id: string) => t.client.get(`/api/v2/organizations/${id}`)],
    ['PATCH', (id: string) => t.client.patch(`/api/v2/organizations/${id}`, { display_name: 'x' })],
    ['DELETE', (id: string) => t.client.del(`/api/v2/organizations/${id}`)],
    ['GET members', (id: string) => t.client.get(membersPath(id))],
    ['POST members', (id: string) => t.client.post(membersPath(id), { members: ['auth0|x'] })],
  ])('%s of an unknown organization answers 404', async (_what, call) => {
    expectAuth0Error(await call('org_doesNotExist0000'), 404, ...NO_ORGANIZATION);
  });

  it('answers 404 for an unknown name', async () => {
    expectAuth0Error(await t.client.get('/api/v2/organizations/name/no-such-org'), 404, ...NO_ORGANIZATION);
  });

  it('deletes one (204) with its memberships; its users stay', async () => {
    const id = await createOrganization();
    const [user] = await createUsers(1);
    await t.client.post(membersPath(id), { members: [user] });
    expect((await t.client.del(`/api/v2/organizations/${id}`)).status).toBe(204);
    expectAuth0Error(await t.client.get(`/api/v2/organizations/${id}`), 404, ...NO_ORGANIZATION);
    expect((await t.client.get(`/api/v2/users/${enc(user)}`)).status).toBe(200);
    expect(TenantStore.read(t.dir).state.organizationMembers).not.toHaveProperty(id);
  });
});

describe('list', () => {
  const l = useTestTenant({
    setup: async ({ client }) => {
      for (const name of ['alpha', 'bravo', 'charlie']) await client.post('/api/v2/organizations', { name });
    },
  });
  const names = (list: Array<{ name: string }>) => list.map((o) => o.name);

  it('lists in creation order, by offset with the totals', async () => {
    expect(names((await l.client.get('/api/v2/organizations')).body)).toEqual(['alpha', 'bravo', 'charlie']);
    const reply = await l.client.get('/api/v2/organizations?include_totals=true&page=1&per_page=2');
    expect(reply.body).toEqual({
      start: 2,
      limit: 2,
      total: 3,
      organizations: [expect.objectContaining({ name: 'charlie' })],
    });
  });

  it('lists by checkpoint: from = next until no next', async () => {
    const first = (await l.client.get('/api/v2/organizations?take=2')).body;
    expect(names(first.organizations)).toEqual(['alpha', 'bravo']);
    const rest = (await l.client.get(`/api/v2/organizations?take=2&from=${enc(first.next)}`)).body;
    expect(rest).toEqual({ organizations: [expect.objectContaining({ name: 'charlie' })] });
  });
});

describe('members', () => {
  const m = useTestTenant();
  let organization: string;
  let users: string[];

  beforeAll(async () => {
    organization = (await m.client.post('/api/v2/organizations', { name: 'members-org' })).body.id;
    users = [];
    for (let i = 0; i < 5; i++) users.push(await m.client.createUser(`org-member-${i}@example.com`));
    const reply = await m.client.post(membersPath(organization), { members: users });
    expect(reply.status).toBe(204);
  });

  const get = async (query = '') => (await m.client.get(`${membersPath(organization)}${query}`)).body;

  it('lists them as recorded: user_id, email, picture, name; offset totals {members, start, limit, total}', async () => {
    const reply = await get('?include_totals=true&per_page=50');
    expect(reply).toEqual({ start: 0, limit: 50, total: 5, members: expect.any(Array) });
    expect(ids(reply.members)).toEqual(users);
    expect(reply.members[0]).toEqual({
      user_id: users[0],
      email: 'org-member-0@example.com',
      picture: expect.stringMatching(/^https:\/\//),
      name: 'org-member-0@example.com',
    });
  });

  it('pages by checkpoint the way the SDK asks (include_totals=true&take=...), next until the end', async () => {
    const seen: string[] = [];
    let from: string | undefined;
    let pages = 0;
    do {
      const reply = await get(`?include_totals=true&take=2${from ? `&from=${enc(from)}` : ''}`);
      seen.push(...ids(reply.members));
      from = reply.next;
      pages++;
    } while (from);
    expect(seen).toEqual(users);
    expect(pages).toBe(3);
  });

  it('answers an empty page, without next, for an organization with no members', async () => {
    const empty = (await m.client.post('/api/v2/organizations', { name: 'empty-org' })).body.id;
    expect((await m.client.get(`${membersPath(empty)}?take=50`)).body).toEqual({ members: [] });
    expect((await m.client.get(membersPath(empty))).body).toEqual([]);
  });

  it('projects fields', async () => {
    const reply = await get('?fields=user_id,email&include_fields=true&take=1');
    expect(reply.members).toEqual([{ user_id: users[0], email: 'org-member-0@example.com' }]);
  });

  it('removes members (204), the others staying in order', async () => {
    const extra = [
      await m.client.createUser('leaver@example.com'),
      await m.client.createUser('stayer@example.com'),
    ];
    await m.client.post(membersPath(organization), { members: extra });
    expect((await m.client.del(membersPath(organization), { body: { members: [extra[0]] } })).status).toBe(
      204,
    );
    expect(ids(await get())).toEqual([...users, extra[1]]);
  });

  it('refuses an unknown user, an empty list and a body without members, adding none', async () => {
    const fresh = await m.client.createUser('fresh-member@example.com');
    expectAuth0Error(
      await m.client.post(membersPath(organization), { members: [fresh, 'auth0|nobody'] }),
      404,
      ...NO_USER,
    );
    expectAuth0Error(
      await m.client.post(membersPath(organization), { members: [] }),
      400,
      "Payload validation error: 'Array is too short (0), minimum 1' on property members.",
      'invalid_body',
    );
    expect((await m.client.post(membersPath(organization), { users: [fresh] })).status).toBe(400);
    expect(ids(await get())).not.toContain(fresh);
  });

  it('deleting a user ends its memberships', async () => {
    const gone = await m.client.createUser('gone-member@example.com');
    await m.client.post(membersPath(organization), { members: [gone] });
    await m.client.del(`/api/v2/users/${enc(gone)}`);
    expect(ids(await get())).not.toContain(gone);
    expect(TenantStore.read(m.dir).state.organizationMembers[organization]).not.toHaveProperty(gone);
  });
});

describe("a user's organizations", () => {
  it('lists them by offset with the totals, and 404 for an unknown user', async () => {
    const [user] = await createUsers(1);
    const first = await createOrganization('users-first', { display_name: 'First' });
    await createOrganization('users-not-theirs');
    const second = await createOrganization('users-second');
    for (const id of [first, second]) await t.client.post(membersPath(id), { members: [user] });
    const path = `/api/v2/users/${enc(user)}/organizations`;
    expect((await t.client.get(path)).body).toEqual([
      { id: first, name: 'users-first', display_name: 'First' },
      { id: second, name: 'users-second' },
    ]);
    expect((await t.client.get(`${path}?include_totals=true&page=1&per_page=1`)).body).toEqual({
      start: 1,
      limit: 1,
      total: 2,
      organizations: [{ id: second, name: 'users-second' }],
    });
    expectAuth0Error(
      await t.client.get(`/api/v2/users/${enc('auth0|nobody')}/organizations`),
      404,
      ...NO_USER,
    );
  });
});
