// Logins through the tenant's Authentication API over HTTPS: the password-realm grant, the bound
// Actions run in their workers, the MFA API and grants, refresh tokens, /userinfo, keys.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { authenticator } from 'otplib';
import { bindActions, FLAG_ACTION, useLoginTenant } from '../support/logins';

const PASSWORD = 'Corr3ct-Horse-Battery';
const REALM = 'Username-Password-Authentication';
const t = useLoginTenant();

function app() {
  return {
    client_id: t.tenant.env.LOCAL_TENANT_APP_CLIENT_ID,
    client_secret: t.tenant.env.LOCAL_TENANT_APP_CLIENT_SECRET,
  };
}

function token(form: Record<string, string>) {
  return t.client.raw('POST', '/oauth/token', {
    raw: new URLSearchParams({ ...app(), ...form }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

const passwordRealm = (
  username: string,
  password = PASSWORD,
  scope = 'openid profile email offline_access',
) =>
  token({
    grant_type: 'http://auth0.com/oauth/grant-type/password-realm',
    username,
    password,
    realm: REALM,
    scope,
  });

const associate = (mfaToken: string, body: unknown = { authenticator_types: ['otp'] }) =>
  t.client.raw('POST', '/mfa/associate', { body }, mfaToken);

describe('discovery and keys', () => {
  it('publishes the OpenID configuration and a JWKS that verifies its ID tokens', async () => {
    const config = await t.client.raw('GET', '/.well-known/openid-configuration');
    expect(config.body).toMatchObject({
      issuer: `${t.tenant.baseUrl}/`,
      jwks_uri: `${t.tenant.baseUrl}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['RS256'],
    });
    const jwks = (await t.client.raw('GET', '/.well-known/jwks.json')).body;
    const login = await passwordRealm('plain@example.com');
    expect(login.status).toBe(200);
    const { payload, protectedHeader } = await jwtVerify(login.body.id_token, createLocalJWKSet(jwks), {
      issuer: `${t.tenant.baseUrl}/`,
      audience: app().client_id,
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({ email: 'plain@example.com', email_verified: false });
    expect(payload.amr).toBeUndefined();
  });
});

describe('the password-realm grant and the bound Actions', () => {
  it('answers 403 mfa_required with an mfa_token when an Action enables MFA, and tokens after the OTP', async () => {
    await bindActions(t, FLAG_ACTION);
    const plain = await passwordRealm('plain@example.com');
    expect(plain.status).toBe(200);
    const login = await passwordRealm('flagged@example.com');
    expect(login.status).toBe(403);
    expect(login.body).toEqual({
      error: 'mfa_required',
      error_description: 'Multifactor authentication required',
      mfa_token: expect.any(String),
    });
    const enrollment = await associate(login.body.mfa_token);
    expect(enrollment.status).toBe(200);
    expect(enrollment.body).toEqual({
      authenticator_type: 'otp',
      secret: expect.any(String),
      barcode_uri: expect.stringMatching(/^otpauth:\/\/totp\//),
    });

    const wrong = await token({
      grant_type: 'http://auth0.com/oauth/grant-type/mfa-otp',
      mfa_token: login.body.mfa_token,
      otp: '123456',
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid otp_code.' });

    const done = await token({
      grant_type: 'http://auth0.com/oauth/grant-type/mfa-otp',
      mfa_token: login.body.mfa_token,
      otp: authenticator.generate(enrollment.body.secret),
    });
    expect(done.status).toBe(200);
    expect(decodeJwt(done.body.id_token).amr).toEqual(['mfa']);
    // The mfa_token is used up.
    const reuse = await token({
      grant_type: 'http://auth0.com/oauth/grant-type/mfa-otp',
      mfa_token: login.body.mfa_token,
      otp: '000000',
    });
    expect(reuse.body.error).toBe('invalid_grant');

    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: done.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(refreshed.body.id_token).sub).toBe(decodeJwt(done.body.id_token).sub);

    const userinfo = await t.client.raw('GET', '/userinfo', { token: null }, done.body.access_token);
    expect(userinfo.body).toMatchObject({
      email: 'flagged@example.com',
      sub: expect.stringMatching(/^auth0\|/),
    });
  });

  it('refuses a wrong password with Auth0 wording, before any Action runs', async () => {
    await bindActions(
      t,
      'exports.onExecutePostLogin = async (e, api) => { api.user.setAppMetadata("ran", true); };',
    );
    const reply = await passwordRealm('plain@example.com', 'wrong-password');
    expect(reply.status).toBe(403);
    expect(reply.body).toEqual({ error: 'invalid_grant', error_description: 'Wrong email or password.' });
  });

  type Metadata = Record<string, unknown> | undefined;
  it.each([
    {
      what: 'denies it; its metadata changes are kept',
      code: 'exports.onExecutePostLogin = async (e, api) => { api.user.setAppMetadata("denied_once", true); api.access.deny("Not today"); };',
      description: 'Not today',
      check: (user: { app_metadata?: Metadata }) => expect(user.app_metadata).toEqual({ denied_once: true }),
    },
    {
      what: 'throws, and keeps none of its changes',
      code: 'exports.onExecutePostLogin = async (e, api) => { api.user.setUserMetadata("half", 1); throw new Error("backend down"); };',
      description: 'backend down',
      check: (user: { user_metadata?: Metadata }) => expect(user.user_metadata).not.toHaveProperty('half'),
    },
  ])('fails the login as access_denied when an Action $what', async ({ code, description, check }) => {
    await bindActions(t, code);
    const reply = await passwordRealm('plain@example.com');
    expect(reply.status).toBe(403);
    expect(reply.body).toEqual({ error: 'access_denied', error_description: description });
    const [user] = await t.client.call<Array<{ app_metadata?: Metadata; user_metadata?: Metadata }>>(
      'GET',
      '/users-by-email?email=plain@example.com',
    );
    check(user);
  });

  it("writes a completed login to the user in one update: the Actions' metadata with the login's statistics", async () => {
    await bindActions(
      t,
      'exports.onExecutePostLogin = async (e, api) => { api.user.setUserMetadata("seen", 1); };',
    );
    const log = join(t.dir, 'tenant.log');
    const before = existsSync(log) ? readFileSync(log, 'utf8').length : 0;
    const reply = await passwordRealm('plain@example.com', PASSWORD, 'openid');
    expect(reply.status).toBe(200);
    const userLines = readFileSync(log, 'utf8')
      .slice(before)
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { users?: Record<string, Record<string, unknown>> })
      .filter((entry) => entry.users);
    expect(userLines).toHaveLength(1);
    const [written] = Object.values(userLines[0].users ?? {});
    expect(written).toMatchObject({ user_metadata: { use_mfa: false, seen: 1 }, last_ip: '127.0.0.1' });
    expect(written.logins_count).toEqual(expect.any(Number));
  });

  it('adds the custom claims Actions set, and not the reserved ones', async () => {
    await bindActions(
      t,
      'exports.onExecutePostLogin = async (e, api) => { api.idToken.setCustomClaim("https://example.com/role", "admin"); api.idToken.setCustomClaim("sub", "forged"); };',
    );
    const reply = await passwordRealm('plain@example.com');
    const claims = decodeJwt(reply.body.id_token);
    expect(claims['https://example.com/role']).toBe('admin');
    expect(claims.sub).toMatch(/^auth0\|/);
  });

  it('refuses MFA when the Action asks for a factor the tenant does not enable', async () => {
    await bindActions(
      t,
      "exports.onExecutePostLogin = async (e, api) => { api.authentication.challengeWith({ type: 'email' }); };",
    );
    const reply = await passwordRealm('plain@example.com');
    expect(reply.status).toBe(403);
    expect(reply.body).toEqual({
      error: 'access_denied',
      error_description: expect.stringMatching(/no matching factor is enabled/),
    });
  });

  it('refuses clients it does not know, and unknown realms', async () => {
    const bad = await t.client.raw('POST', '/oauth/token', {
      body: {
        grant_type: 'http://auth0.com/oauth/grant-type/password-realm',
        client_id: 'nope',
        client_secret: 'x',
        username: 'a',
        password: 'b',
        realm: REALM,
      },
    });
    expect(bad.status).toBe(401);
    const realm = await token({
      grant_type: 'http://auth0.com/oauth/grant-type/password-realm',
      username: 'plain@example.com',
      password: PASSWORD,
      realm: 'nope',
    });
    expect(realm.status).toBe(400);
    expect(realm.body.error_description).toMatch(/Unknown realm: nope/);
  });
});

describe('email codes and recovery codes', () => {
  beforeAll(async () => {
    await t.client.put('/api/v2/guardian/factors/email', { enabled: true });
    await t.client.put('/api/v2/guardian/factors/recovery-code', { enabled: true });
    await t.client.createUser('mail@example.com', { user_metadata: { use_mfa: true } });
    await t.client.createUser('recover@example.com', { user_metadata: { use_mfa: true } });
  });
  afterAll(async () => {
    await t.client.put('/api/v2/guardian/factors/email', { enabled: false });
    await t.client.put('/api/v2/guardian/factors/recovery-code', { enabled: false });
  });

  it('enrolls email: the code goes to the outbox and the mfa-oob grant completes the login', async () => {
    await bindActions(t, FLAG_ACTION);
    const login = await passwordRealm('mail@example.com');
    const enrollment = await associate(login.body.mfa_token, {
      authenticator_types: ['oob'],
      oob_channels: ['email'],
    });
    expect(enrollment.body).toMatchObject({
      authenticator_type: 'oob',
      oob_channel: 'email',
      binding_method: 'prompt',
    });
    const outbox = await t.client.get('/local/outbox?to=mail@example.com');
    const code = String(outbox.body.at(-1).text).match(/\d{6}/)?.[0] ?? '';
    const wrong = await token({
      grant_type: 'http://auth0.com/oauth/grant-type/mfa-oob',
      mfa_token: login.body.mfa_token,
      oob_code: enrollment.body.oob_code,
      binding_code: code === '000000' ? '111111' : '000000',
    });
    expect(wrong.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid binding_code.' });
    const done = await token({
      grant_type: 'http://auth0.com/oauth/grant-type/mfa-oob',
      mfa_token: login.body.mfa_token,
      oob_code: enrollment.body.oob_code,
      binding_code: code,
    });
    expect(done.status).toBe(200);
    expect(decodeJwt(done.body.id_token).amr).toEqual(['mfa']);
  });

  it('gives a recovery code with the first enrollment; using it logs in and yields a new one', async () => {
    await bindActions(t, FLAG_ACTION);
    const first = await passwordRealm('recover@example.com');
    const enrollment = await associate(first.body.mfa_token);
    expect(enrollment.body.recovery_codes).toEqual([expect.stringMatching(/^[A-Z2-9]{24}$/)]);
    await token({
      grant_type: 'http://auth0.com/oauth/grant-type/mfa-otp',
      mfa_token: first.body.mfa_token,
      otp: authenticator.generate(enrollment.body.secret),
    });
    const lost = await passwordRealm('recover@example.com');
    const recovered = await token({
      grant_type: 'http://auth0.com/oauth/grant-type/mfa-recovery-code',
      mfa_token: lost.body.mfa_token,
      recovery_code: enrollment.body.recovery_codes[0],
    });
    expect(recovered.status).toBe(200);
    expect(recovered.body.recovery_code).toMatch(/^[A-Z2-9]{24}$/);
    expect(recovered.body.recovery_code).not.toBe(enrollment.body.recovery_codes[0]);
    const reused = await passwordRealm('recover@example.com');
    const again = await token({
      grant_type: 'http://auth0.com/oauth/grant-type/mfa-recovery-code',
      mfa_token: reused.body.mfa_token,
      recovery_code: enrollment.body.recovery_codes[0],
    });
    expect(again.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid recovery_code.' });
  });

  /** A browser login's start (/authorize) and its password page's answer. */
  async function submitPassword(email: string, password = PASSWORD) {
    const query = new URLSearchParams({
      client_id: app().client_id,
      redirect_uri: `${t.tenant.baseUrl}/login-app/callback`,
      response_type: 'code',
    });
    const started = await t.client.raw('GET', `/authorize?${query}`);
    const state = new URL(String(started.headers.location), t.tenant.baseUrl).searchParams.get('state') ?? '';
    const reply = await t.client.raw('POST', '/u/login', {
      raw: new URLSearchParams({ state, username: email, password }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    return { state, reply };
  }

  /** A browser login up to the page after the password: the login's state handle and where it went. */
  async function pagesLogin(email: string): Promise<{ state: string; next: string }> {
    const { state, reply } = await submitPassword(email);
    expect(reply.status).toBe(302);
    return { state, next: String(reply.headers.location) };
  }

  it('the login pages challenge the first factor enrolled and link to the other ones the user has', async () => {
    await bindActions(t, FLAG_ACTION);
    await t.client.createUser('pages@example.com', { user_metadata: { use_mfa: true } });
    const enrolling = await passwordRealm('pages@example.com');
    const enrollment = await associate(enrolling.body.mfa_token);
    await token({
      grant_type: 'http://auth0.com/oauth/grant-type/mfa-otp',
      mfa_token: enrolling.body.mfa_token,
      otp: authenticator.generate(enrollment.body.secret),
    });
    const { state, next } = await pagesLogin('pages@example.com');
    const page = (path: string) => t.client.raw('GET', `${path}?state=${encodeURIComponent(state)}`);
    expect(next).toBe(`/u/mfa-otp-challenge?state=${encodeURIComponent(state)}`);
    const otp = await page('/u/mfa-otp-challenge');
    expect(otp.text).toContain(`href="/u/mfa-recovery-code-challenge?state=${encodeURIComponent(state)}"`);
    expect(otp.text).toContain('Use a recovery code');
    expect(otp.text).not.toContain('Send a code by email');
    // No email authenticator: asking for its page keeps the OTP challenge.
    const email = await page('/u/mfa-email-challenge');
    expect(email.text).toContain('Use a recovery code');
    const recovery = await page('/u/mfa-recovery-code-challenge');
    expect(recovery.text).toContain('Use the authenticator app');
    expect(recovery.text).not.toContain('Use a recovery code');
  });

  it("the login page refuses a wrong password with the grant's words and keeps the username", async () => {
    const { reply } = await submitPassword('plain@example.com', 'wrong-password');
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('Wrong email or password.');
    expect(reply.text).toContain('value="plain@example.com"');
  });

  it('the login pages send the email code when email is the factor enrolled', async () => {
    await bindActions(t, FLAG_ACTION);
    await t.client.createUser('pages-mail@example.com', { user_metadata: { use_mfa: true } });
    const enrolling = await passwordRealm('pages-mail@example.com');
    const enrollment = await associate(enrolling.body.mfa_token, {
      authenticator_types: ['oob'],
      oob_channels: ['email'],
    });
    const sent = await t.client.get('/local/outbox?to=pages-mail@example.com');
    await token({
      grant_type: 'http://auth0.com/oauth/grant-type/mfa-oob',
      mfa_token: enrolling.body.mfa_token,
      oob_code: enrollment.body.oob_code,
      binding_code: String(sent.body.at(-1).text).match(/\d{6}/)?.[0] ?? '',
    });
    const { state, next } = await pagesLogin('pages-mail@example.com');
    expect(next).toBe(`/u/mfa-email-challenge?state=${encodeURIComponent(state)}`);
    const outbox = await t.client.get('/local/outbox?to=pages-mail@example.com');
    expect(outbox.body).toHaveLength(2);
  });
});
