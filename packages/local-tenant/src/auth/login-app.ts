// The login application every local tenant has (connection.env names it): a confidential client
// with the grants logins use, whose callback is a page of the tenant that shows the ID token's claims.
// `/login-app/start` begins a login as a web application would (state, nonce, PKCE S256).
import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { claimsPage } from '../login-pages/pages';
import type { PageResult } from './browser';
import { GRANT_TYPES } from './discovery';
import { isAuthError } from './errors';
import { Expiring } from './expiring';
import type { AuthData, Client, StoredClient } from './model';
import type { AuthService } from './service';

export const LOGIN_APP_NAME = 'Local Login App';
export const LOGIN_APP_CALLBACK_PATH = '/login-app/callback';
export const LOGIN_APP_START_PATH = '/login-app/start';

/** Creates the login application once (and gives an older one its logout URL); returns it. */
export function ensureLoginApp(auth: AuthData): StoredClient {
  let app = auth.clients.find((c) => c.name === LOGIN_APP_NAME);
  if (!app) {
    app = {
      client_id: randomBytes(16).toString('base64url'),
      client_secret: randomBytes(48).toString('base64url'),
      name: LOGIN_APP_NAME,
      callbacks: [LOGIN_APP_CALLBACK_PATH],
      grant_types: Object.values(GRANT_TYPES).filter((g) => g !== GRANT_TYPES.clientCredentials),
    };
    auth.clients.push(app);
  }
  // After a logout the person can start the next login.
  app.allowed_logout_urls ??= [LOGIN_APP_START_PATH];
  return app;
}

export class LoginAppPages {
  private readonly started = new Expiring<{ verifier: string }>(30 * 60_000);

  constructor(
    private readonly auth: AuthService,
    private readonly baseUrl: () => string,
  ) {}

  private app(): Client {
    const app = this.auth.port.auth().clients.find((c) => c.name === LOGIN_APP_NAME);
    if (!app) throw new Error('the login application is missing from the tenant data');
    return app;
  }

  callbackUrl(): string {
    return `${this.baseUrl()}${LOGIN_APP_CALLBACK_PATH}`;
  }

  start(): PageResult {
    const verifier = randomBytes(32).toString('base64url');
    const state = this.started.put({ verifier });
    const query = new URLSearchParams({
      client_id: this.app().client_id,
      redirect_uri: this.callbackUrl(),
      response_type: 'code',
      scope: 'openid profile email',
      state,
      nonce: randomBytes(12).toString('base64url'),
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    return { kind: 'redirect', location: `/authorize?${query}` };
  }

  async callback(query: URLSearchParams): Promise<PageResult> {
    const tenantName = this.auth.port.tenantName();
    const page = (result: Parameters<typeof claimsPage>[1], status = 200): PageResult => ({
      kind: 'html',
      status,
      html: claimsPage(tenantName, result),
    });
    const loginUrl = LOGIN_APP_START_PATH;
    const error = query.get('error');
    if (error) return page({ error, description: query.get('error_description') ?? '', loginUrl }, 400);
    const started = this.started.take(query.get('state') ?? '');
    if (!started)
      return page(
        { error: 'invalid_state', description: 'This login was not started here or has expired.', loginUrl },
        400,
      );
    try {
      const tokens = await this.auth.codeGrant(this.app(), {
        code: query.get('code') ?? '',
        redirect_uri: this.callbackUrl(),
        code_verifier: started.verifier,
      });
      return page({ idTokenClaims: decodeJwt(tokens.id_token ?? ''), loginUrl });
    } catch (e) {
      if (isAuthError(e))
        return page({ error: e.errorCode ?? 'error', description: e.message, loginUrl }, 400);
      throw e;
    }
  }
}
