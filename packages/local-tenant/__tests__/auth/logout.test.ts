// Logout as Auth0 documents it: /v2/logout's returnTo and /oidc/logout's post_logout_redirect_uri are
// checked against the Allowed Logout URLs of the application (client_id, or the id_token_hint's aud)
// or of the tenant, part by part with subdomain wildcards only, never by string prefix.
import { randomBytes } from 'node:crypto';
import { LOGIN_APP_NAME } from '../../src/auth/login-app';
import { TenantStore } from '../../src/tenant/store';
import { seedLoginUsers } from '../support/logins';
import { startTestTenant, type TestTenant, tempDir } from '../support/tenant';

const PASSWORD = 'Corr3ct-Horse-Battery';
const APP_LOGOUT_URLS = [
  'https://app.example/callback',
  'https://pre-*-suf.preview.example/bye',
  'https://app.example/oidc-bye?tab',
  '/login-app/start',
];
const OTHER_LOGOUT_URL = 'https://other.example/bye';
const TENANT_LOGOUT_URL = 'https://tenant-wide.example/logged-out';
const app = {
  client_id: randomBytes(16).toString('base64url'),
  client_secret: randomBytes(48).toString('base64url'),
};
const other = {
  client_id: randomBytes(16).toString('base64url'),
  client_secret: randomBytes(48).toString('base64url'),
};

let t: TestTenant;

beforeAll(async () => {
  // The login application and a second one, with the Allowed Logout URLs under test.
  const dir = tempDir();
  const store = TenantStore.open(dir);
  store.transaction((d) => {
    d.auth.clients.push(
      {
        ...app,
        name: LOGIN_APP_NAME,
        callbacks: ['/login-app/callback', 'https://*.preview.example/cb'],
        allowed_logout_urls: APP_LOGOUT_URLS,
        grant_types: ['http://auth0.com/oauth/grant-type/password-realm', 'authorization_code'],
      },
      {
        ...other,
        name: 'Other App',
        callbacks: [],
        allowed_logout_urls: [OTHER_LOGOUT_URL],
        grant_types: ['http://auth0.com/oauth/grant-type/password-realm'],
      },
    );
  });
  store.close();
  t = await startTestTenant({ dir });
  await seedLoginUsers(t.client);
  const settings = await t.client.patch('/api/v2/tenants/settings', {
    allowed_logout_urls: [TENANT_LOGOUT_URL],
  });
  expect(settings.status).toBe(200);
});

afterAll(async () => {
  await t?.cleanup();
});

function get(path: string, params: Record<string, string>) {
  return t.client.raw('GET', `${path}?${new URLSearchParams(params)}`);
}

async function idToken(client: { client_id: string; client_secret: string }): Promise<string> {
  const reply = await t.client.raw('POST', '/oauth/token', {
    raw: new URLSearchParams({
      ...client,
      grant_type: 'http://auth0.com/oauth/grant-type/password-realm',
      username: 'plain@example.com',
      password: PASSWORD,
      realm: 'Username-Password-Authentication',
      scope: 'openid',
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(reply.status).toBe(200);
  return reply.body.id_token;
}

/** The error page's text, as the person reads it. */
function shown(html: string): string {
  const entities: Record<string, string> = {
    '&amp;': '&',
    '&lt;': '<',
    '&gt;': '>',
    '&quot;': '"',
    '&#39;': "'",
  };
  return html.replace(/&(amp|lt|gt|quot|#39);/g, (e) => entities[e]);
}

function expectRefused(reply: { status: number; text: string }, parameter: string, url: string) {
  expect(reply.status).toBe(400);
  expect(shown(reply.text)).toContain(
    `invalid_request: The "${parameter}" querystring parameter "${url}" is not defined as a valid URL in "Allowed Logout URLs".`,
  );
}

describe('GET /v2/logout', () => {
  it.each([
    ['a listed URL', 'https://app.example/callback'],
    [
      'a listed URL with a query and hash, which are not taken into account',
      'https://app.example/callback?x=1#top',
    ],
    ['scheme and host in another case', 'HTTPS://APP.Example/callback'],
    ['a subdomain the wildcard stands for', 'https://pre-pr42-suf.preview.example/bye'],
    ['a path entry, on this tenant', 'TENANT/login-app/start'],
  ])('with client_id, redirects to %s', async (_, returnTo) => {
    const url = returnTo.replace('TENANT', t.tenant.baseUrl);
    const reply = await get('/v2/logout', { client_id: app.client_id, returnTo: url });
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe(url);
  });

  it.each([
    ['a prefix-extension of a listed URL', 'https://app.example/callback-evil'],
    ['a listed path followed by more path', 'https://app.example/callback/../../evil'],
    ['a path on the tenant that is not listed', 'TENANT/../'],
    ['another page of the tenant', 'TENANT/login-app/callback'],
    ['a prefix-extension of a listed tenant path', 'TENANT/login-app/start-evil'],
    ['a listed tenant path followed by more path', 'TENANT/login-app/start/../../evil'],
    ['a listed path in another case', 'https://app.example/CALLBACK'],
    ['another port', 'https://app.example:8443/callback'],
    ['http instead of https', 'http://app.example/callback'],
    ['two labels where the wildcard stands for one', 'https://pre-a.b-suf.preview.example/bye'],
    ['the wildcard without its prefix', 'https://x-suf.preview.example/bye'],
    ['a host that only ends like a listed one', 'https://evilapp.example/callback'],
    ['user info before a listed host', 'https://app.example@evil.example/callback'],
    ["another application's logout URL", OTHER_LOGOUT_URL],
    ["the tenant's logout URL", TENANT_LOGOUT_URL],
  ])('with client_id, refuses %s', async (_, returnTo) => {
    const url = returnTo.replace('TENANT', t.tenant.baseUrl);
    const reply = await get('/v2/logout', { client_id: app.client_id, returnTo: url });
    expectRefused(reply, 'returnTo', url);
  });

  it("without client_id, checks the tenant's Allowed Logout URLs, not an application's", async () => {
    const ok = await get('/v2/logout', { returnTo: TENANT_LOGOUT_URL });
    expect(ok.status).toBe(302);
    expect(ok.headers.location).toBe(TENANT_LOGOUT_URL);
    for (const url of [
      'https://app.example/callback',
      `${t.tenant.baseUrl}/login-app/start`,
      `${TENANT_LOGOUT_URL}-x`,
    ])
      expectRefused(await get('/v2/logout', { returnTo: url }), 'returnTo', url);
  });

  it("with client_id and no returnTo, goes to the application's first Allowed Logout URL", async () => {
    const reply = await get('/v2/logout', { client_id: other.client_id });
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe(OTHER_LOGOUT_URL);
  });

  it('without either, logs out in place; an unknown client_id allows no URL', async () => {
    const plain = await get('/v2/logout', {});
    expect(plain.status).toBe(200);
    expect(plain.text).toBe('OK');
    expectRefused(
      await get('/v2/logout', { client_id: 'nobody', returnTo: TENANT_LOGOUT_URL }),
      'returnTo',
      TENANT_LOGOUT_URL,
    );
  });
});

describe('GET /oidc/logout', () => {
  it('with an id_token_hint, checks the Allowed Logout URLs of its audience and sends state back', async () => {
    const hint = await idToken(app);
    const reply = await get('/oidc/logout', {
      id_token_hint: hint,
      post_logout_redirect_uri: 'https://app.example/callback',
      state: 's 1',
    });
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('https://app.example/callback?state=s+1');
    const refused = await get('/oidc/logout', {
      id_token_hint: hint,
      post_logout_redirect_uri: OTHER_LOGOUT_URL,
    });
    expectRefused(refused, 'post_logout_redirect_uri', OTHER_LOGOUT_URL);
  });

  it('with client_id alone, checks that application; a client_id beside a hint must be its aud', async () => {
    const ok = await get('/oidc/logout', {
      client_id: other.client_id,
      post_logout_redirect_uri: OTHER_LOGOUT_URL,
    });
    expect(ok.status).toBe(302);
    expect(ok.headers.location).toBe(OTHER_LOGOUT_URL);
    const mismatch = await get('/oidc/logout', {
      id_token_hint: await idToken(app),
      client_id: other.client_id,
      post_logout_redirect_uri: OTHER_LOGOUT_URL,
    });
    expect(mismatch.status).toBe(400);
    expect(shown(mismatch.text)).toContain('The "client_id" does not match the "aud" claim');
  });

  it("without a hint or a client_id, checks the tenant's Allowed Logout URLs (the API reference)", async () => {
    const bare = await get('/oidc/logout', { post_logout_redirect_uri: TENANT_LOGOUT_URL, state: 'x' });
    expect(bare.status).toBe(302);
    expect(bare.headers.location).toBe(`${TENANT_LOGOUT_URL}?state=x`);
    for (const url of ['https://app.example/callback', OTHER_LOGOUT_URL, `${TENANT_LOGOUT_URL}-x`])
      expectRefused(
        await get('/oidc/logout', { post_logout_redirect_uri: url }),
        'post_logout_redirect_uri',
        url,
      );
  });

  it('wants a hint this tenant signed', async () => {
    const forged = await get('/oidc/logout', {
      id_token_hint: 'eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.',
      post_logout_redirect_uri: 'https://app.example/callback',
    });
    expect(forged.status).toBe(400);
    expect(shown(forged.text)).toContain('The "id_token_hint" is not an ID token of this tenant');
    const plain = await get('/oidc/logout', {});
    expect(plain.status).toBe(200);
  });

  it('wants every query parameter of the URL named by the listed one, and nothing else beyond it', async () => {
    const named = 'https://app.example/oidc-bye?tab=2';
    const ok = await get('/oidc/logout', { client_id: app.client_id, post_logout_redirect_uri: named });
    expect(ok.status).toBe(302);
    expect(ok.headers.location).toBe(named);
    for (const url of [
      'https://app.example/oidc-bye?tab=2&next=https://evil.example',
      'https://app.example/callback?x=1',
      'https://app.example/callback-evil',
    ])
      expectRefused(
        await get('/oidc/logout', { client_id: app.client_id, post_logout_redirect_uri: url }),
        'post_logout_redirect_uri',
        url,
      );
  });
});

describe('the same rule for Allowed Callback URLs (GET /authorize)', () => {
  const authorize = (redirectUri: string) =>
    get('/authorize', { client_id: app.client_id, redirect_uri: redirectUri, response_type: 'code' });

  it('accepts a listed callback, on either host name of the tenant, and a subdomain the wildcard stands for', async () => {
    for (const url of [
      `${t.tenant.baseUrl}/login-app/callback`,
      `https://127.0.0.1:${t.tenant.port}/login-app/callback`,
      'https://pr-7.preview.example/cb',
    ]) {
      const reply = await authorize(url);
      expect(reply.status).toBe(302);
      expect(reply.headers.location).toMatch(/^\/u\/login\?state=/);
    }
  });

  it.each([
    'TENANT/login-app/callback-evil',
    'TENANT/login-app/callback/../start',
    'TENANT/login-app/callback?extra=1',
    'https://a.b.preview.example/cb',
    'https://preview.example/cb',
  ])('refuses %s', async (redirectUri) => {
    const reply = await authorize(redirectUri.replace('TENANT', t.tenant.baseUrl));
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('Callback URL mismatch');
  });
});
