import { rmSync } from 'node:fs';
import { simulateLogin, TenantStore } from '../../src';
import { bindActions, FLAG_ACTION, useLoginTenant } from '../support/logins';
import { startTestTenant, tempDir } from '../support/tenant';

const t = useLoginTenant();

describe('conditional MFA', () => {
  it('asks for MFA for the flagged user only', async () => {
    const [name] = await bindActions(t, FLAG_ACTION);
    const flagged = await simulateLogin(t.tenant, { email: 'flagged@example.com' });
    expect(flagged).toMatchObject({
      ok: true,
      user: { email: 'flagged@example.com', id: expect.stringMatching(/^auth0\|/) },
      actionsRun: [name],
      mfa: { required: true, provider: 'any', options: { allowRememberBrowser: false } },
      mfaRequestedBy: name,
      enabledFactors: ['otp'],
    });
    expect(Object.keys(flagged.mfa).sort()).toEqual(['options', 'provider', 'required']);
    expect(flagged.denied).toBeUndefined();
    const plain = await simulateLogin(t.tenant, { email: 'plain@example.com' });
    expect(plain.ok).toBe(true);
    expect(plain.actionsRun).toEqual([name]);
    expect(plain.mfa).toEqual({ required: false });
    expect(plain.mfaRequestedBy).toBeUndefined();
  });

  it('skips MFA on a refresh-token exchange when the action returns early', async () => {
    await bindActions(t, FLAG_ACTION);
    const result = await simulateLogin(t.tenant, {
      email: 'flagged@example.com',
      protocol: 'oauth2-refresh-token',
    });
    expect(result.ok).toBe(true);
    expect(result.protocol).toBe('oauth2-refresh-token');
    expect(result.mfa.required).toBe(false);
  });

  it('fails a refresh-token exchange whose action still asks for MFA', async () => {
    await bindActions(
      t,
      "exports.onExecutePostLogin = async (event, api) => { api.multifactor.enable('any'); };",
    );
    const result = await simulateLogin(t.tenant, {
      email: 'plain@example.com',
      protocol: 'oauth2-refresh-token',
    });
    expect(result.ok).toBe(false);
    expect(result.mfa.required).toBe(true);
    expect(result.error?.message).toMatch(/mfa_required/);
  });

  it('applies the tenant policy all-applications without any action', async () => {
    await t.client.put('/api/v2/guardian/policies', ['all-applications']);
    const result = await simulateLogin(t.tenant, { email: 'plain@example.com' });
    expect(result.mfa).toEqual({ required: true, provider: 'any' });
    expect(result.mfaRequestedBy).toBe('policy');
  });

  it('reports that MFA cannot happen when no factor is enabled', async () => {
    await bindActions(t, FLAG_ACTION);
    await t.client.put('/api/v2/guardian/factors/otp', { enabled: false });
    try {
      const result = await simulateLogin(t.tenant, { email: 'flagged@example.com' });
      expect(result.ok).toBe(false);
      expect(result.mfa.required).toBe(true);
      expect(result.enabledFactors).toEqual([]);
      expect(result.error?.message).toMatch(/no MFA factor is enabled/);
    } finally {
      await t.client.put('/api/v2/guardian/factors/otp', { enabled: true });
    }
  });
});

describe('flow', () => {
  it('runs the bindings in order, later actions seeing metadata set by earlier ones', async () => {
    const names = await bindActions(
      t,
      "exports.onExecutePostLogin = async (event, api) => { console.log('one'); api.user.setAppMetadata('step', 1); };",
      `exports.onExecutePostLogin = async (event, api) => {
         console.log('two sees', event.app_metadata, event.user.app_metadata.step);
         api.idToken.setCustomClaim('https://example.com/step', event.user.app_metadata.step + 1);
       };`,
    );
    const result = await simulateLogin(t.tenant, { email: 'plain@example.com', persist: false });
    expect(result.actionsRun).toEqual(names);
    expect(result.logs).toEqual([`[${names[0]}] one`, `[${names[1]}] two sees undefined 1`]);
    expect(result.idTokenClaims).toEqual({ 'https://example.com/step': 2 });
    expect(result.appMetadataUpdates).toEqual({ step: 1 });
  });

  it('runs the deployed version, not a newer draft', async () => {
    const id = await t.client.createAction(
      'versioned',
      "exports.onExecutePostLogin = async (e, api) => { api.access.deny('v1'); };",
    );
    await t.client.bind('post-login', [id]);
    await t.client.patch(`/api/v2/actions/actions/${id}`, {
      code: "exports.onExecutePostLogin = async (e, api) => { api.access.deny('v2'); };",
    });
    expect((await simulateLogin(t.tenant, { email: 'plain@example.com' })).denied?.reason).toBe('v1');
    await t.client.post(`/api/v2/actions/actions/${id}/deploy`);
    expect((await simulateLogin(t.tenant, { email: 'plain@example.com' })).denied?.reason).toBe('v2');
  });

  it('stops at a denial: later actions do not run', async () => {
    const names = await bindActions(
      t,
      "exports.onExecutePostLogin = async (event, api) => { api.access.deny('not today'); };",
      "exports.onExecutePostLogin = async (event, api) => { api.multifactor.enable('any'); };",
    );
    const result = await simulateLogin(t.tenant, { email: 'plain@example.com' });
    expect(result.ok).toBe(false);
    expect(result.denied).toEqual({ reason: 'not today', action: names[0] });
    expect(result.actionsRun).toEqual([names[0]]);
    expect(result.mfa.required).toBe(false);
  });

  it('fails the login when an action throws, runs nothing after it and keeps no metadata change', async () => {
    const names = await bindActions(
      t,
      `exports.onExecutePostLogin = async (event, api) => {
         api.user.setUserMetadata('touched', true);
         throw new Error('boom');
       };`,
      "exports.onExecutePostLogin = async (event, api) => { api.multifactor.enable('any'); };",
    );
    const result = await simulateLogin(t.tenant, { email: 'plain@example.com' });
    expect(result.ok).toBe(false);
    expect(result.error).toEqual({ message: 'boom', action: names[0] });
    expect(result.actionsRun).toEqual([names[0]]);
    const user = (await t.client.get('/api/v2/users-by-email?email=plain%40example.com')).body[0];
    expect(user.user_metadata).toEqual({ use_mfa: false });
  });

  it('persists metadata set by actions on the stored user, as Auth0 does', async () => {
    await t.client.createUser('writer@example.com');
    await bindActions(
      t,
      "exports.onExecutePostLogin = async (event, api) => { api.user.setUserMetadata('seen', 'yes'); };",
    );
    const result = await simulateLogin(t.tenant, { email: 'writer@example.com' });
    expect(result.userMetadataUpdates).toEqual({ seen: 'yes' });
    const user = (await t.client.get('/api/v2/users-by-email?email=writer%40example.com')).body[0];
    expect(user.user_metadata).toEqual({ seen: 'yes' });
    expect(user.logins_count).toBe(1);
  });

  it('builds an Auth0-shaped post-login event with secrets from the deployed version', async () => {
    const id = await t.client.createAction(
      'event-dump',
      'exports.onExecutePostLogin = async (event) => { console.log(JSON.stringify(event)); };',
      { secrets: [{ name: 'API_KEY', value: 's3cr3t' }] },
    );
    await t.client.bind('post-login', [id]);
    const result = await simulateLogin(t.tenant, { email: 'flagged@example.com' });
    const event = JSON.parse(result.logs[0].replace(/^\[event-dump\] /, ''));
    expect(event).toMatchObject({
      user: {
        user_id: result.user.id,
        email: 'flagged@example.com',
        email_verified: false,
        name: 'flagged@example.com',
        user_metadata: { use_mfa: true },
        app_metadata: {},
      },
      transaction: { protocol: 'oidc-basic-profile' },
      authentication: { methods: [{ name: 'pwd', timestamp: expect.any(String) }] },
      client: { client_id: t.tenant.clientId },
      connection: { name: 'Username-Password-Authentication', strategy: 'auth0' },
      tenant: { id: expect.any(String) },
      secrets: { API_KEY: 's3cr3t' },
      request: { ip: '127.0.0.1' },
    });
  });

  it('checks the password when one is given', async () => {
    const ok = await simulateLogin(t.tenant, {
      email: 'plain@example.com',
      password: 'Corr3ct-Horse-Battery',
    });
    expect(ok.ok).toBe(true);
    const wrong = await simulateLogin(t.tenant, { email: 'plain@example.com', password: 'guess' });
    expect(wrong.ok).toBe(false);
    expect(wrong.error?.message).toBe('Wrong email or password.');
  });

  it('finds the user by id too, and rejects unknown users', async () => {
    const id = (await t.client.get('/api/v2/users-by-email?email=plain%40example.com')).body[0].user_id;
    expect((await simulateLogin(t.tenant, { userId: id })).user.email).toBe('plain@example.com');
    await expect(simulateLogin(t.tenant, { email: 'ghost@example.com' })).rejects.toThrow(/Unknown user/);
  });
});

describe('POST /local/login', () => {
  it('serves the simulator over HTTP', async () => {
    await bindActions(t, FLAG_ACTION);
    const reply = await t.client.post('/local/login', { email: 'flagged@example.com' });
    expect(reply.status).toBe(200);
    expect(reply.body.mfa.required).toBe(true);
    const refresh = await t.client.post('/local/login', {
      email: 'flagged@example.com',
      protocol: 'oauth2-refresh-token',
    });
    expect(refresh.body.mfa.required).toBe(false);
  });

  it('answers 404 for an unknown user and 400 for an unknown protocol or bad options', async () => {
    const unknown = await t.client.post('/local/login', { email: 'ghost@example.com' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/Unknown user/);
    const protocol = await t.client.post('/local/login', {
      email: 'plain@example.com',
      protocol: 'carrier-pigeon',
    });
    expect(protocol.status).toBe(400);
    expect((await t.client.post('/local/login', { email: 42 })).status).toBe(400);
    expect((await t.client.post('/local/login', { email: 'plain@example.com', colour: 'red' })).status).toBe(
      400,
    );
  });
});

describe('simulateLogin on a store', () => {
  it('runs against a TenantStore opened from a directory', async () => {
    const s = await startTestTenant({ dir: tempDir() });
    const id = await s.client.createAction(
      'deny-all',
      "exports.onExecutePostLogin = async (e, api) => { api.access.deny('closed'); };",
    );
    await s.client.bind('post-login', [id]);
    await s.client.createUser('someone@example.com');
    await s.tenant.stop();
    try {
      const result = await simulateLogin(TenantStore.open(s.dir), { email: 'someone@example.com' });
      expect(result.denied?.reason).toBe('closed');
    } finally {
      rmSync(s.dir, { recursive: true, force: true });
    }
  });
});
