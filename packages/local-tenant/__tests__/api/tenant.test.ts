import { useTestTenant } from '../support/tenant';

const t = useTestTenant();

describe('tenant settings', () => {
  it('reads the settings with the fields the provider data source uses', async () => {
    const reply = await t.client.get('/api/v2/tenants/settings');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      friendly_name: expect.any(String),
      enabled_locales: ['en'],
      flags: expect.objectContaining({ enable_sso: true }),
      sandbox_version: '22',
      sandbox_versions_available: ['22', '18'],
      session_lifetime: expect.any(Number),
    });
  });

  it('merges a PATCH at the top level and flags one level down; null removes a setting', async () => {
    const reply = await t.client.patch('/api/v2/tenants/settings', {
      friendly_name: 'Renamed',
      flags: { disable_clickjack_protection_headers: true },
      mtls: { enable_endpoint_aliases: true },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.friendly_name).toBe('Renamed');
    expect(reply.body.flags).toMatchObject({ disable_clickjack_protection_headers: true, enable_sso: true });
    expect(reply.body.mtls).toEqual({ enable_endpoint_aliases: true });
    const removed = await t.client.patch('/api/v2/tenants/settings', { mtls: null });
    expect(removed.body).not.toHaveProperty('mtls');
    expect((await t.client.get('/api/v2/tenants/settings')).body.friendly_name).toBe('Renamed');
  });

  it('refuses unknown and read-only settings and wrong types', async () => {
    expect((await t.client.patch('/api/v2/tenants/settings', { favourite_colour: 'red' })).status).toBe(400);
    expect(
      (await t.client.patch('/api/v2/tenants/settings', { sandbox_versions_available: ['22'] })).status,
    ).toBe(400);
    expect((await t.client.patch('/api/v2/tenants/settings', { session_lifetime: 'long' })).status).toBe(400);
    expect((await t.client.patch('/api/v2/tenants/settings', { flags: { enable_sso: 'yes' } })).status).toBe(
      400,
    );
    expect((await t.client.get('/api/v2/tenants/settings')).body.flags.enable_sso).toBe(true);
  });

  it('supports the fields projection', async () => {
    const reply = await t.client.get('/api/v2/tenants/settings?fields=friendly_name&include_fields=true');
    expect(Object.keys(reply.body)).toEqual(['friendly_name']);
  });
});

describe('what auth0-deploy-cli sends', () => {
  it('takes the session lifetimes in minutes and reads them back in hours, as Auth0 does', async () => {
    const reply = await t.client.patch('/api/v2/tenants/settings', {
      session_lifetime_in_minutes: 600,
      idle_session_lifetime_in_minutes: 90,
      ephemeral_session_lifetime_in_minutes: 30,
      idle_ephemeral_session_lifetime_in_minutes: 5,
    });
    expect(reply.status).toBe(200);
    const read = (await t.client.get('/api/v2/tenants/settings')).body;
    // The SDK's GET type and the recorded answers have the hour fields only; minutes are fractions of them.
    expect(read).toMatchObject({
      session_lifetime: 10,
      idle_session_lifetime: 1.5,
      ephemeral_session_lifetime: 0.5,
      idle_ephemeral_session_lifetime: 5 / 60,
    });
    expect(Object.keys(read).filter((k) => k.endsWith('_in_minutes'))).toEqual([]);
    expect(Object.keys(reply.body).filter((k) => k.endsWith('_in_minutes'))).toEqual([]);
  });

  it('refuses a lifetime given both in hours and in minutes, and a lifetime that is not a number', async () => {
    const both = await t.client.patch('/api/v2/tenants/settings', {
      session_lifetime: 24,
      session_lifetime_in_minutes: 600,
    });
    expect(both.status).toBe(400);
    expect(both.body.message).toContain('session_lifetime_in_minutes');
    expect((await t.client.get('/api/v2/tenants/settings')).body.session_lifetime).toBe(10);
    const bad = await t.client.patch('/api/v2/tenants/settings', { session_lifetime_in_minutes: 'long' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe(
      "Payload validation error: 'Expected type integer but found type string' on property session_lifetime_in_minutes (Number of minutes a session will stay valid.).",
    );
  });

  // Auth0 takes whole hours or whole minutes (deploy-cli #95, auth0-java #423), session_lifetime up to
  // 8760 (deploy-cli #1110); the idle limits are the docs' largest (100 days).
  it.each([
    [
      { session_lifetime: 1.5 },
      "Payload validation error: 'Expected type integer but found type number' on property session_lifetime (Number of hours a session will stay valid.).",
    ],
    [
      { idle_session_lifetime: 0.25 },
      "Payload validation error: 'Expected type integer but found type number' on property idle_session_lifetime (Number of hours for which a session can be inactive before the user must log in again.).",
    ],
    [
      { session_lifetime: 20160 },
      "Payload validation error: 'Value 20160 is greater than maximum 8760' on property session_lifetime (Number of hours a session will stay valid.).",
    ],
    [
      { idle_session_lifetime: 2401 },
      "Payload validation error: 'Value 2401 is greater than maximum 2400' on property idle_session_lifetime (Number of hours for which a session can be inactive before the user must log in again.).",
    ],
    [
      { session_lifetime: 0 },
      "Payload validation error: 'Value 0 is less than minimum 1' on property session_lifetime (Number of hours a session will stay valid.).",
    ],
    [
      { session_lifetime_in_minutes: 90.5 },
      "Payload validation error: 'Expected type integer but found type number' on property session_lifetime_in_minutes (Number of minutes a session will stay valid.).",
    ],
    [
      { idle_session_lifetime_in_minutes: 144001 },
      "Payload validation error: 'Value 144001 is greater than maximum 144000' on property idle_session_lifetime_in_minutes (Number of minutes a session can be inactive before the user must log in again.).",
    ],
    [
      { ephemeral_session_lifetime_in_minutes: 525601 },
      "Payload validation error: 'Value 525601 is greater than maximum 525600' on property ephemeral_session_lifetime_in_minutes (Number of minutes an ephemeral (non-persistent) session will stay valid.).",
    ],
    [
      { idle_ephemeral_session_lifetime: -1 },
      "Payload validation error: 'Value -1 is less than minimum 1' on property idle_ephemeral_session_lifetime (Number of hours for which an ephemeral (non-persistent) session can be inactive before the user must log in again.).",
    ],
  ])('refuses %j as Auth0 does, naming the field, and changes nothing', async (change, message) => {
    const before = (await t.client.get('/api/v2/tenants/settings')).body;
    const reply = await t.client.patch('/api/v2/tenants/settings', { friendly_name: 'Not kept', ...change });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      errorCode: 'invalid_body',
      message,
    });
    expect((await t.client.get('/api/v2/tenants/settings')).body).toEqual(before);
  });

  it('takes the largest and smallest lifetimes Auth0 allows', async () => {
    const longest = await t.client.patch('/api/v2/tenants/settings', {
      session_lifetime: 8760,
      idle_session_lifetime: 2400,
      ephemeral_session_lifetime_in_minutes: 525600,
      idle_ephemeral_session_lifetime_in_minutes: 1,
    });
    expect(longest.status).toBe(200);
    expect(longest.body).toMatchObject({
      session_lifetime: 8760,
      idle_session_lifetime: 2400,
      ephemeral_session_lifetime: 8760,
      idle_ephemeral_session_lifetime: 1 / 60,
    });
  });

  it('lists the tenant own applications at /clients, with paging and totals, never a secret', async () => {
    const plain = await t.client.get('/api/v2/clients');
    expect(plain.status).toBe(200);
    expect(plain.body.map((c: { client_id: string }) => c.client_id)).toContain(t.tenant.clientId);
    expect(plain.text).not.toContain(t.tenant.clientSecret);
    const paged = await t.client.get('/api/v2/clients?page=0&per_page=1&include_totals=true');
    expect(paged.body).toMatchObject({ start: 0, limit: 1, length: 1, total: plain.body.length });
    expect(paged.body.clients).toHaveLength(1);
    const fields = await t.client.get('/api/v2/clients?fields=client_id,name&include_fields=true');
    expect(Object.keys(fields.body[0]).sort()).toEqual(['client_id', 'name']);
  });

  it('lists Actions modules as an empty page in Auth0 envelope', async () => {
    const reply = await t.client.get('/api/v2/actions/modules');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ modules: [], total: 0, page: 0, per_page: 50 });
  });
});
