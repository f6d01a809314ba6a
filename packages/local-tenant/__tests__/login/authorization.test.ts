// `event.authorization.roles`: the names of the user's roles, the same in the login simulator and in a
// real login (password-realm grant, the Action in its worker).
import { simulateLogin } from '../../src';
import { bindActions, passwordRealmLogin, useLoginTenant } from '../support/logins';

const t = useLoginTenant();

/** Lets Admins in, saving the roles it saw; denies everyone else. */
const ADMINS_ONLY = `
exports.onExecutePostLogin = async (event, api) => {
  api.user.setAppMetadata('roles_seen', event.authorization.roles);
  if (!event.authorization.roles.includes('Admins')) api.access.deny('Admins only');
};
`;

async function userId(email: string): Promise<string> {
  const reply = await t.client.get(`/api/v2/users-by-email?email=${encodeURIComponent(email)}`);
  expect(reply.status).toBe(200);
  return reply.body[0].user_id;
}

async function createRole(name: string): Promise<string> {
  const reply = await t.client.post('/api/v2/roles', { name, description: `${name} of the test` });
  expect(reply.status).toBe(200);
  return reply.body.id;
}

async function rolesSeen(email: string): Promise<unknown> {
  const reply = await t.client.get(`/api/v2/users/${encodeURIComponent(await userId(email))}`);
  return reply.body.app_metadata?.roles_seen;
}

beforeAll(async () => {
  // Created and assigned out of name order: the event lists them by name.
  const readers = await createRole('Readers');
  const admins = await createRole('Admins');
  await createRole('Unused');
  const flagged = await userId('flagged@example.com');
  for (const role of [readers, admins]) {
    const reply = await t.client.post(`/api/v2/users/${encodeURIComponent(flagged)}/roles`, {
      roles: [role],
    });
    expect(reply.status).toBe(204);
  }
  const plain = await userId('plain@example.com');
  expect((await t.client.post(`/api/v2/users/${plain}/roles`, { roles: [readers] })).status).toBe(204);
});

describe('event.authorization.roles', () => {
  it('carries the role names in the login simulator', async () => {
    await bindActions(t, ADMINS_ONLY);
    const admin = await simulateLogin(t.tenant, { email: 'flagged@example.com', persist: false });
    expect(admin.ok).toBe(true);
    expect(admin.appMetadataUpdates).toEqual({ roles_seen: ['Admins', 'Readers'] });
    const reader = await simulateLogin(t.tenant, { email: 'plain@example.com', persist: false });
    expect(reader.ok).toBe(false);
    expect(reader.denied?.reason).toBe('Admins only');
    expect(reader.appMetadataUpdates).toEqual({ roles_seen: ['Readers'] });
  });

  it('carries the role names in a real login', async () => {
    await bindActions(t, ADMINS_ONLY);
    const admin = await passwordRealmLogin(t, 'flagged@example.com');
    expect(admin.status).toBe(200);
    expect(await rolesSeen('flagged@example.com')).toEqual(['Admins', 'Readers']);
    const reader = await passwordRealmLogin(t, 'plain@example.com');
    expect(reader.status).toBe(403);
    expect(reader.body).toEqual({ error: 'access_denied', error_description: 'Admins only' });
    expect(await rolesSeen('plain@example.com')).toEqual(['Readers']);
  });
});
