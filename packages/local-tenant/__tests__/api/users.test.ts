import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TenantStore } from '../../src/tenant/store';
import { expectAuth0Error } from '../support/replies';
import { useTestTenant } from '../support/tenant';

const t = useTestTenant();

const DB = 'Username-Password-Authentication';
const enc = encodeURIComponent;

describe('create', () => {
  it('creates a database user with the recorded shape and no password in the answer', async () => {
    const reply = await t.client.post('/api/v2/users', {
      connection: DB,
      email: 'Shape@Example.com',
      password: 'Sup3r-Secret-Pw',
      user_metadata: { use_mfa: true },
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      created_at: expect.any(String),
      email: 'shape@example.com',
      email_verified: false,
      identities: [
        {
          user_id: expect.stringMatching(/^[0-9a-f]{24}$/),
          connection: DB,
          provider: 'auth0',
          isSocial: false,
        },
      ],
      name: 'shape@example.com',
      nickname: 'shape',
      picture: expect.stringMatching(/^https:\/\/s\.gravatar\.com\/avatar\//),
      updated_at: expect.any(String),
      user_id: expect.stringMatching(/^auth0\|[0-9a-f]{24}$/),
      user_metadata: { use_mfa: true },
    });
    expect(reply.text).not.toMatch(/Sup3r-Secret-Pw|password/);
  });

  it('stores the password as a scrypt hash, never in clear', async () => {
    await t.client.createUser('hashed@example.com', { password: 'Plain-Text-Pw-1' });
    const files = readdirSync(t.dir).filter((f) => f.startsWith('tenant.'));
    for (const file of files)
      expect(readFileSync(join(t.dir, file), 'utf8')).not.toContain('Plain-Text-Pw-1');
    const [stored] = TenantStore.read(t.dir).state.users.byEmail('hashed@example.com');
    expect(stored.password_hash).toMatch(/^scrypt\$/);
  });

  it('uses a given user_id under the auth0| prefix', async () => {
    const reply = await t.client.post('/api/v2/users', {
      connection: DB,
      email: 'given@example.com',
      password: 'Sup3r-Secret-Pw',
      user_id: 'given123',
    });
    expect(reply.body.user_id).toBe('auth0|given123');
  });

  it('answers 409 "The user already exists." to a duplicate email in the connection', async () => {
    await t.client.createUser('dup@example.com');
    const reply = await t.client.post('/api/v2/users', {
      connection: DB,
      email: 'DUP@example.com',
      password: 'Sup3r-Secret-Pw',
    });
    expect(reply.status).toBe(409);
    expect(reply.body).toMatchObject({
      statusCode: 409,
      error: 'Conflict',
      message: 'The user already exists.',
    });
    expect((await t.client.get(`/api/v2/users-by-email?email=${enc('dup@example.com')}`)).body).toHaveLength(
      1,
    );
  });

  it('refuses a missing or unknown connection, unknown fields and a non-boolean email_verified', async () => {
    const base = { email: 'bad@example.com', password: 'Sup3r-Secret-Pw' };
    const noConnection = await t.client.post('/api/v2/users', base);
    expect(noConnection.status).toBe(400);
    expect(noConnection.body.message).toMatch(/Missing required property: connection/);
    const unknown = await t.client.post('/api/v2/users', { ...base, connection: 'Nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe('The connection does not exist.');
    const extra = await t.client.post('/api/v2/users', { ...base, connection: DB, shoe_size: 44 });
    expect(extra.status).toBe(400);
    expect(extra.body.message).toMatch(/Additional properties not allowed: shoe_size/);
    const verified = await t.client.post('/api/v2/users', {
      ...base,
      connection: DB,
      email_verified: 'true',
    });
    expect(verified.status).toBe(400);
    expect((await t.client.get(`/api/v2/users-by-email?email=${enc('bad@example.com')}`)).body).toEqual([]);
  });

  it('refuses a database user without password', async () => {
    const reply = await t.client.post('/api/v2/users', { connection: DB, email: 'nopw@example.com' });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/password/);
  });
});

describe('read, update, delete', () => {
  it('reads a user by its url-encoded id and answers 404 for unknown ids', async () => {
    const id = await t.client.createUser('reader@example.com');
    const reply = await t.client.get(`/api/v2/users/${enc(id)}`);
    expect(reply.status).toBe(200);
    expect(reply.body.user_id).toBe(id);
    expect(typeof reply.body.email_verified).toBe('boolean');
    const missing = await t.client.get(`/api/v2/users/${enc('auth0|000000000000000000000000')}`);
    expectAuth0Error(missing, 404, 'The user does not exist.', 'inexistent_user');
  });

  it('merges metadata at the top level, null deletes a key, {} clears', async () => {
    const id = await t.client.createUser('meta@example.com', {
      user_metadata: { a: 1, nested: { x: 1, y: 2 } },
      app_metadata: { role: 'admin' },
    });
    const merged = await t.client.patch(`/api/v2/users/${enc(id)}`, {
      user_metadata: { b: 2, nested: { x: 9 } },
      app_metadata: { plan: 'pro' },
    });
    expect(merged.status).toBe(200);
    expect(merged.body.user_metadata).toEqual({ a: 1, b: 2, nested: { x: 9 } });
    expect(merged.body.app_metadata).toEqual({ role: 'admin', plan: 'pro' });
    const deleted = await t.client.patch(`/api/v2/users/${enc(id)}`, {
      user_metadata: { a: null },
      app_metadata: { role: null },
    });
    expect(deleted.body.user_metadata).toEqual({ b: 2, nested: { x: 9 } });
    expect(deleted.body.app_metadata).toEqual({ plan: 'pro' });
    const cleared = await t.client.patch(`/api/v2/users/${enc(id)}`, { user_metadata: {}, app_metadata: {} });
    expect(cleared.body.user_metadata).toEqual({});
    expect(cleared.body).not.toHaveProperty('app_metadata');
    expect((await t.client.get(`/api/v2/users/${enc(id)}`)).body.user_metadata).toEqual({});
  });

  it('updates plain fields, refuses unknown ones and an empty body', async () => {
    const id = await t.client.createUser('plain@example.com');
    const reply = await t.client.patch(`/api/v2/users/${enc(id)}`, {
      name: 'Plain Person',
      email_verified: true,
    });
    expect(reply.body).toMatchObject({ name: 'Plain Person', email_verified: true });
    expect((await t.client.patch(`/api/v2/users/${enc(id)}`, { favourite_colour: 'red' })).status).toBe(400);
    expect((await t.client.patch(`/api/v2/users/${enc(id)}`, {})).status).toBe(400);
    expect((await t.client.patch(`/api/v2/users/${enc('auth0|nobody')}`, { name: 'x' })).status).toBe(404);
  });

  it('refuses to move a user onto the email of another', async () => {
    await t.client.createUser('taken@example.com');
    const id = await t.client.createUser('mover@example.com');
    const reply = await t.client.patch(`/api/v2/users/${enc(id)}`, { email: 'taken@example.com' });
    expect(reply.status).toBe(409);
    expect((await t.client.get(`/api/v2/users/${enc(id)}`)).body.email).toBe('mover@example.com');
  });

  it('deletes with 204, after which the user is 404', async () => {
    const id = await t.client.createUser('gone@example.com');
    const reply = await t.client.del(`/api/v2/users/${enc(id)}`);
    expect(reply.status).toBe(204);
    expect((await t.client.get(`/api/v2/users/${enc(id)}`)).status).toBe(404);
  });

  it.each([
    'roles',
    'permissions',
  ])('answers an empty %s list (what the auth0_user data source reads), with totals or bare', async (list) => {
    const id = await t.client.createUser(`${list}@example.com`);
    const totals = await t.client.get(`/api/v2/users/${enc(id)}/${list}?include_totals=true&per_page=100`);
    expect(totals.body).toEqual({ [list]: [], start: 0, limit: 100, total: 0 });
    expect((await t.client.get(`/api/v2/users/${enc(id)}/${list}`)).body).toEqual([]);
    expect((await t.client.get(`/api/v2/users/${enc('auth0|nobody')}/${list}`)).status).toBe(404);
  });
});

describe('search', () => {
  const s = useTestTenant({
    setup: async ({ client }) => {
      await client.createUser('on-user@example.com', { user_metadata: { use_mfa: true } });
      await client.createUser('off-user@example.com', { user_metadata: { use_mfa: false } });
      await client.createUser('on-app@example.com', { app_metadata: { use_mfa: true } });
      for (let i = 0; i < 5; i++) await client.createUser(`filler${i}@example.com`);
    },
  });

  const emails = (users: Array<{ email: string }>) => users.map((u) => u.email).sort();
  const search = async (q: string, extra = '') =>
    (await s.client.get(`/api/v2/users?search_engine=v3&q=${enc(q)}${extra}`)).body as Array<{
      email: string;
    }>;

  it('finds by exact email', async () => {
    expect(emails(await search('email:"on-user@example.com"'))).toEqual(['on-user@example.com']);
  });

  it('finds by user_metadata and app_metadata flags', async () => {
    expect(emails(await search('user_metadata.use_mfa:true'))).toEqual(['on-user@example.com']);
    expect(emails(await search('app_metadata.use_mfa:true'))).toEqual(['on-app@example.com']);
    expect(emails(await search('user_metadata.use_mfa:true OR app_metadata.use_mfa:true'))).toEqual([
      'on-app@example.com',
      'on-user@example.com',
    ]);
    expect(emails(await search('_exists_:user_metadata.use_mfa AND NOT user_metadata.use_mfa:true'))).toEqual(
      ['off-user@example.com'],
    );
  });

  it('supports wildcards', async () => {
    expect(emails(await search('email:filler*'))).toHaveLength(5);
  });

  it('pages with include_totals as {users, start, limit, length, total}', async () => {
    const page1 = (
      await s.client.get(`/api/v2/users?q=${enc('email:filler*')}&page=1&per_page=2&include_totals=true`)
    ).body;
    expect(page1).toEqual({ start: 2, limit: 2, length: 2, total: 5, users: expect.any(Array) });
    const page2 = (
      await s.client.get(`/api/v2/users?q=${enc('email:filler*')}&page=2&per_page=2&include_totals=true`)
    ).body;
    expect(page2.length).toBe(1);
    const all = (await s.client.get('/api/v2/users?per_page=100')).body;
    expect(Array.isArray(all)).toBe(true);
    expect(all).toHaveLength(8);
  });

  it('returns only the named fields (fields, include_fields=true) or all but them (false)', async () => {
    const q = `/api/v2/users?search_engine=v3&q=${enc('email:"on-user@example.com"')}`;
    const only = (await s.client.get(`${q}&fields=email,user_id&include_fields=true`)).body;
    expect(only).toEqual([{ email: 'on-user@example.com', user_id: expect.stringMatching(/^auth0\|/) }]);
    const byDefault = (await s.client.get(`${q}&fields=email`)).body;
    expect(byDefault).toEqual([{ email: 'on-user@example.com' }]);
    const without = (await s.client.get(`${q}&fields=identities,user_metadata&include_fields=false`)).body;
    expect(without).toHaveLength(1);
    expect(without[0]).toHaveProperty('email', 'on-user@example.com');
    expect(without[0]).not.toHaveProperty('identities');
    expect(without[0]).not.toHaveProperty('user_metadata');
    const totals = (await s.client.get(`${q}&fields=email&include_totals=true`)).body;
    expect(totals.users).toEqual([{ email: 'on-user@example.com' }]);
    const bad = await s.client.get(`${q}&fields=email&include_fields=yes`);
    expect(bad.status).toBe(400);
    expect(bad.body.errorCode).toBe('invalid_query_string');
  });

  it('refuses the retired search engines and bad queries', async () => {
    expect((await s.client.get('/api/v2/users?search_engine=v2&q=email:x')).status).toBe(400);
    expect((await s.client.get(`/api/v2/users?q=${enc('email:"unterminated')}`)).status).toBe(400);
    expect((await s.client.get('/api/v2/users?per_page=101')).status).toBe(400);
  });

  it('looks users up by their stored email', async () => {
    const reply = await s.client.get(`/api/v2/users-by-email?email=${enc('on-user@example.com')}`);
    expect(emails(reply.body)).toEqual(['on-user@example.com']);
    expect((await s.client.get('/api/v2/users-by-email')).status).toBe(400);
  });
});

describe('lookups by exact email or id (answered from the indexes)', () => {
  it('finds the named users in creation order, whatever case the query uses, with totals', async () => {
    const ids = [];
    for (const name of ['idx-c', 'idx-a', 'idx-b'])
      ids.push(await t.client.createUser(`${name}@example.com`));
    const q = enc(
      `email:"IDX-B@example.com" OR email:idx-c@example.com OR user_id:"${ids[1]}" OR email:nobody@x.org`,
    );
    const reply = await t.client.get(`/api/v2/users?q=${q}&search_engine=v3&include_totals=true`);
    expect(reply.status).toBe(200);
    expect(reply.body.total).toBe(3);
    expect(reply.body.users.map((u: { user_id: string }) => u.user_id)).toEqual(ids);
    const grouped = enc('email:("idx-a@example.com" OR "idx-b@example.com")');
    const byGroup = await t.client.get(`/api/v2/users?q=${grouped}&search_engine=v3`);
    expect(byGroup.body.map((u: { email: string }) => u.email)).toEqual([
      'idx-a@example.com',
      'idx-b@example.com',
    ]);
  });
});

describe('users-by-email', () => {
  it('matches the stored (lowercase) email case-sensitively, as Auth0 documents', async () => {
    await t.client.createUser('Case.Sensitive@Example.com');
    const exact = await t.client.get(`/api/v2/users-by-email?email=${enc('case.sensitive@example.com')}`);
    expect(exact.body).toHaveLength(1);
    const other = await t.client.get(`/api/v2/users-by-email?email=${enc('Case.Sensitive@Example.com')}`);
    expect(other.body).toEqual([]);
  });
});
