// Real logins after the stack's deploy: the local tenant runs the deployed conditional-MFA Action in
// its Node runtime on every login and enforces what it asks for, seen through a real client (openid-client)
// and TOTP codes computed by otplib, as an authenticator app would.
import { decodeJwt } from 'jose';
import { type E2eEnvironment, SEED_PASSWORD } from './harness';
import { deployedForLogins, LoginClients, secretOnPage, totp } from './login-clients';

jest.setTimeout(300_000);

async function userId(e2e: E2eEnvironment, email: string): Promise<string> {
  const [user] = await e2e.api.call<Array<{ user_id: string }>>(
    'GET',
    `/users-by-email?email=${encodeURIComponent(email)}`,
  );
  return user.user_id;
}

describe('logins enforce the MFA the deployed Action asks for (flagSource user_metadata)', () => {
  let e2e: E2eEnvironment;
  let clients: LoginClients;
  let aliceSecret = '';
  let aliceRefreshToken = '';

  const deployed = deployedForLogins('login', { mfa: { factors: ['otp'] } });
  beforeAll(() => {
    e2e = deployed.e2e;
    clients = new LoginClients(e2e.tenant);
  });

  it('alice (flagged) gets mfa_required, enrolls OTP, answers, and her ID token says amr mfa', async () => {
    const first = await clients.passwordRealm('alice@example.com', SEED_PASSWORD);
    expect(first.tokens).toBeUndefined();
    expect(first.mfaRequired).toMatchObject({
      statusCode: 403,
      error: 'mfa_required',
      error_description: 'Multifactor authentication required',
    });
    const mfaToken = first.mfaToken as string;
    expect(await clients.authenticators(mfaToken)).toEqual([]);

    const enrollment = await clients.associateOtp(mfaToken);
    expect(enrollment.status).toBe(200);
    expect(enrollment.body).toMatchObject({
      authenticator_type: 'otp',
      secret: expect.stringMatching(/^[A-Z2-7]+$/),
    });
    expect(String(enrollment.body.barcode_uri)).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    aliceSecret = String(enrollment.body.secret);

    const tokens = await clients.mfaOtp(mfaToken, aliceSecret);
    expect(tokens.claims()).toMatchObject({ email: 'alice@example.com', amr: ['mfa'] });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    aliceRefreshToken = String(tokens.refresh_token);

    // Enrolled now: the next login is challenged, and associate refuses a second enrollment.
    const again = await clients.passwordRealm('alice@example.com', SEED_PASSWORD);
    const mine = await clients.authenticators(again.mfaToken as string);
    expect(mine).toEqual([expect.objectContaining({ authenticator_type: 'otp', active: true })]);
    expect((await clients.associateOtp(again.mfaToken as string)).status).toBe(403);
    expect((await clients.mfaOtp(again.mfaToken as string, aliceSecret)).claims().amr).toEqual(['mfa']);
  });

  it('a wrong code is refused with Auth0 wording', async () => {
    const login = await clients.passwordRealm('alice@example.com', SEED_PASSWORD);
    const client = await clients.openid();
    await expect(
      client.grant({
        grant_type: 'http://auth0.com/oauth/grant-type/mfa-otp',
        mfa_token: String(login.mfaToken),
        otp: '000000',
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant', error_description: 'Invalid otp_code.' });
  });

  it('bob (not flagged) gets his tokens at once, without amr', async () => {
    const login = await clients.passwordRealm('bob@example.com', SEED_PASSWORD);
    expect(login.mfaToken).toBeUndefined();
    const claims = decodeJwt(String(login.tokens?.id_token));
    expect(claims).toMatchObject({ email: 'bob@example.com', iss: `${e2e.tenant.baseUrl}/` });
    expect(claims.amr).toBeUndefined();
  });

  it('a refresh-token exchange for alice is not challenged', async () => {
    const refreshed = await clients.refresh(aliceRefreshToken);
    expect(refreshed.access_token).toEqual(expect.any(String));
    expect(refreshed.claims().sub).toBe(await userId(e2e, 'alice@example.com'));
  });

  it('a wrong password is refused as Auth0 does', async () => {
    await expect(clients.passwordRealm('bob@example.com', 'not-the-password')).rejects.toMatchObject({
      statusCode: 403,
      error: 'invalid_grant',
      error_description: 'Wrong email or password.',
    });
  });

  it('authorization code + PKCE: bob goes straight through, alice answers the OTP challenge', async () => {
    const bob = await clients.authorizationCode('bob@example.com', SEED_PASSWORD);
    expect(bob.pages).toEqual(['/u/login']);
    expect(bob.tokens.claims().amr).toBeUndefined();

    const alice = await clients.authorizationCode('alice@example.com', SEED_PASSWORD, () => ({
      code: totp(aliceSecret),
    }));
    expect(alice.pages).toEqual(['/u/login', '/u/mfa-otp-challenge']);
    expect(alice.tokens.claims()).toMatchObject({ email: 'alice@example.com', amr: ['mfa'] });
  });

  it('after flagging bob through the Management API, his next login is challenged', async () => {
    const bobId = await userId(e2e, 'bob@example.com');
    await e2e.api.call('PATCH', `/users/${encodeURIComponent(bobId)}`, { user_metadata: { use_mfa: true } });
    const login = await clients.passwordRealm('bob@example.com', SEED_PASSWORD);
    expect(login.mfaRequired?.error).toBe('mfa_required');
  });

  it('after resetting alice her enrollment is gone: she must enroll again', async () => {
    const aliceId = await userId(e2e, 'alice@example.com');
    const methods = await e2e.api.call<Array<{ type: string }>>(
      'GET',
      `/users/${encodeURIComponent(aliceId)}/authentication-methods`,
    );
    expect(methods.map((m) => m.type)).toContain('totp');
    await e2e.api.call('DELETE', `/users/${encodeURIComponent(aliceId)}/authentication-methods`);
    expect(await e2e.api.call('GET', `/users/${encodeURIComponent(aliceId)}/authentication-methods`)).toEqual(
      [],
    );

    const browser = await clients.authorizationCode('alice@example.com', SEED_PASSWORD, (html) => ({
      code: totp(secretOnPage(html)),
    }));
    expect(browser.pages).toEqual(['/u/login', '/u/mfa-otp-enrollment']);
    expect(browser.tokens.claims().amr).toEqual(['mfa']);
  });
});

describe('with flagSource app_metadata, a user cannot spare themselves', () => {
  let e2e: E2eEnvironment;
  let clients: LoginClients;

  const deployed = deployedForLogins('login-app-metadata', {
    mfa: { factors: ['otp'] },
    action: { flagSource: 'app_metadata' },
  });
  beforeAll(() => {
    e2e = deployed.e2e;
    clients = new LoginClients(e2e.tenant);
  });

  it("alice's own user_metadata.use_mfa = false does not skip the challenge", async () => {
    const aliceId = await userId(e2e, 'alice@example.com');
    await e2e.api.call('PATCH', `/users/${encodeURIComponent(aliceId)}`, {
      user_metadata: { use_mfa: false },
    });
    const login = await clients.passwordRealm('alice@example.com', SEED_PASSWORD);
    expect(login.mfaRequired?.error).toBe('mfa_required');
    const bob = await clients.passwordRealm('bob@example.com', SEED_PASSWORD);
    expect(bob.tokens?.id_token).toEqual(expect.any(String));
  });
});
