import { TenantClient } from '../../src/client';
import { startTestTenant, useTestTenant } from '../support/tenant';

let audience: string;
const t = useTestTenant({
  setup: async ({ tenant }) => {
    audience = `https://${tenant.domain}/api/v2/`;
  },
});

function form(fields: Record<string, string>): { raw: string; headers: Record<string, string> } {
  return {
    raw: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}

describe('POST /oauth/token', () => {
  it('grants a Bearer token for client credentials in HTTP Basic (as the Go SDK sends them)', async () => {
    const basic = Buffer.from(`${t.tenant.clientId}:${t.tenant.clientSecret}`).toString('base64');
    const { raw, headers } = form({ grant_type: 'client_credentials', audience });
    const reply = await t.client.raw('POST', '/oauth/token', {
      raw,
      headers: { ...headers, authorization: `Basic ${basic}` },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 86400,
      scope: expect.stringContaining('read:users'),
    });
    const use = await t.client.get('/api/v2/guardian/factors', { token: reply.body.access_token });
    expect(use.status).toBe(200);
  });

  it('grants a token for credentials in a JSON body (as the Node SDK sends them)', async () => {
    const reply = await t.client.raw('POST', '/oauth/token', {
      body: {
        grant_type: 'client_credentials',
        client_id: t.tenant.clientId,
        client_secret: t.tenant.clientSecret,
        audience: `https://127.0.0.1:${t.tenant.port}/api/v2/`,
      },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.token_type).toBe('Bearer');
  });

  it.each([
    { what: 'a wrong secret', credentials: () => ({ client_id: t.tenant.clientId, client_secret: 'wrong' }) },
    {
      what: 'an unknown client id',
      credentials: () => ({ client_id: 'someone', client_secret: t.tenant.clientSecret }),
    },
  ])('answers 401 access_denied to $what', async ({ credentials }) => {
    const fields = { grant_type: 'client_credentials', ...credentials(), audience };
    const reply = await t.client.raw('POST', '/oauth/token', form(fields));
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
  });

  it('refuses a missing or foreign audience with 403', async () => {
    const base = {
      grant_type: 'client_credentials',
      client_id: t.tenant.clientId,
      client_secret: t.tenant.clientSecret,
    };
    const missing = await t.client.raw('POST', '/oauth/token', form(base));
    expect(missing.status).toBe(403);
    expect(missing.body.error_description).toMatch(/No audience/);
    const foreign = await t.client.raw(
      'POST',
      '/oauth/token',
      form({ ...base, audience: 'https://example.com/api/' }),
    );
    expect(foreign.status).toBe(403);
    expect(foreign.body.error_description).toBe(
      'Service not enabled within domain: https://example.com/api/',
    );
  });

  it('refuses grants other than client_credentials', async () => {
    const reply = await t.client.raw(
      'POST',
      '/oauth/token',
      form({
        grant_type: 'password',
        client_id: t.tenant.clientId,
        client_secret: t.tenant.clientSecret,
        audience,
      }),
    );
    expect(reply.status).toBe(403);
    expect(reply.body.error).toBe('unauthorized_client');
  });

  it("does not accept another tenant's tokens", async () => {
    const other = await startTestTenant();
    try {
      const foreignToken = await new TenantClient(other.tenant).token();
      const reply = await t.client.get('/api/v2/users', { token: foreignToken });
      expect(reply.status).toBe(401);
    } finally {
      await other.cleanup();
    }
  });
});
