// What logins keep (the login application, enrollments) survives a restart of the tenant.
import { startLocalTenant } from '../../src';
import { TenantClient } from '../../src/client';
import { tempDir } from '../support/tenant';

it('keeps the login application and a user enrollment across restarts', async () => {
  const dir = tempDir();
  const first = await startLocalTenant({ dir, port: 0, quiet: true });
  const api = new TenantClient(first);
  await api.put('/api/v2/guardian/factors/otp', { enabled: true });
  const userId = await api.createUser('kept@example.com');
  const id = await api.createAction(
    'always-mfa',
    "exports.onExecutePostLogin = async (e, api) => { api.multifactor.enable('any'); };",
  );
  await api.bind('post-login', [id]);
  const app = {
    client_id: first.env.LOCAL_TENANT_APP_CLIENT_ID,
    client_secret: first.env.LOCAL_TENANT_APP_CLIENT_SECRET,
  };
  const login = await api.raw('POST', '/oauth/token', {
    body: {
      ...app,
      grant_type: 'http://auth0.com/oauth/grant-type/password-realm',
      username: 'kept@example.com',
      password: 'Corr3ct-Horse-Battery',
      realm: 'Username-Password-Authentication',
    },
  });
  await api.raw('POST', '/mfa/associate', { body: { authenticator_types: ['otp'] } }, login.body.mfa_token);
  await first.stop();

  const second = await startLocalTenant({ dir, port: 0, quiet: true });
  try {
    expect(second.env.LOCAL_TENANT_APP_CLIENT_ID).toBe(app.client_id);
    const methods = await new TenantClient(second).call<Array<{ type: string }>>(
      'GET',
      `/users/${encodeURIComponent(userId)}/authentication-methods`,
    );
    expect(methods.map((m) => m.type)).toEqual(['totp']);
  } finally {
    await second.stop();
  }
});
