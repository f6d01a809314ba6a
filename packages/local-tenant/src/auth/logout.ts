// Logout, as Auth0 documents it. The tenant keeps no SSO session, so a logout only decides where the
// browser goes next. /v2/logout: `returnTo` must be in the Allowed Logout URLs of the application
// named by `client_id`, or of the tenant without one (query and hash not taken into account); with
// `client_id` and no `returnTo`, the application's first Allowed Logout URL. /oidc/logout:
// `post_logout_redirect_uri` must be in the list of the application an `id_token_hint` names (its
// `aud`; a `client_id` beside it must match) or a `client_id` names, else in the tenant's list, with
// every query parameter it carries named there; `state` comes back on the redirect.
import { errorPage } from '../login-pages/pages';
import { listedTarget, tenantOrigins, type UrlListRule, urlListed } from './allowed-urls';
import type { PageResult } from './browser';
import type { Client } from './model';
import type { AuthService } from './service';
import { TokenError, type TokenSigner } from './tokens';

const LOGGED_OUT: PageResult = { kind: 'text', status: 200, text: 'OK' };

class LogoutRefused extends Error {}

/** Auth0's words for a URL that is not listed (the first sentence); then where the list is kept here. */
function notListed(parameter: string, url: string, owner: Client | undefined | 'tenant'): LogoutRefused {
  const where =
    owner === 'tenant'
      ? 'the tenant lists them in allowed_logout_urls (PATCH /api/v2/tenants/settings)'
      : owner
        ? `the application "${owner.name}" allows ${JSON.stringify(owner.allowed_logout_urls ?? [])}`
        : 'the client_id names no application of this tenant';
  return new LogoutRefused(
    `The "${parameter}" querystring parameter "${url}" is not defined as a valid URL in "Allowed Logout URLs". Here ${where}.`,
  );
}

export class Logouts {
  constructor(
    private readonly auth: AuthService,
    private readonly signer: TokenSigner,
  ) {}

  private rule(query: UrlListRule['query']): UrlListRule {
    return { tenantOrigins: tenantOrigins(this.auth.issuer), query };
  }

  private refused(error: unknown): PageResult {
    if (!(error instanceof LogoutRefused)) throw error;
    const html = errorPage(this.auth.port.tenantName(), 'Logout failed', `invalid_request: ${error.message}`);
    return { kind: 'html', status: 400, html };
  }

  /**
   * Where a logout may send the browser: the URL asked for if the Allowed Logout URLs of `owner` (an
   * application, `undefined` for one this tenant does not know, or the tenant) list it; without one,
   * the application's first listed URL.
   */
  private target(
    parameter: string,
    url: string | undefined,
    owner: Client | undefined | 'tenant',
    query: UrlListRule['query'],
  ): string | undefined {
    const rule = this.rule(query);
    const client = owner === 'tenant' ? undefined : owner;
    if (url === undefined) {
      const first = client?.allowed_logout_urls?.[0];
      return first === undefined ? undefined : listedTarget(first, rule);
    }
    const listed =
      owner === 'tenant' ? this.auth.port.allowedLogoutUrls() : (client?.allowed_logout_urls ?? []);
    if (!urlListed(listed, url, rule)) throw notListed(parameter, url, owner);
    return url;
  }

  /** GET /v2/logout */
  v2(query: URLSearchParams): PageResult {
    try {
      const clientId = query.get('client_id');
      const owner = clientId === null ? 'tenant' : this.auth.findClient(clientId);
      const target = this.target('returnTo', query.get('returnTo') ?? undefined, owner, 'ignored');
      return target === undefined ? LOGGED_OUT : { kind: 'redirect', location: target };
    } catch (error) {
      return this.refused(error);
    }
  }

  /** The application an `id_token_hint` was issued to (its `aud`). */
  private async hintedClientId(hint: string): Promise<string> {
    const audiences = this.auth.port.auth().clients.map((c) => c.client_id);
    try {
      const claims = await this.signer.verify(hint, audiences);
      return String(Array.isArray(claims.aud) ? claims.aud[0] : claims.aud);
    } catch (error) {
      if (error instanceof TokenError)
        throw new LogoutRefused(`The "id_token_hint" is not an ID token of this tenant (${error.message}).`);
      throw error;
    }
  }

  /** GET /oidc/logout */
  async oidc(query: URLSearchParams): Promise<PageResult> {
    try {
      const hint = query.get('id_token_hint');
      const given = query.get('client_id');
      const redirect = query.get('post_logout_redirect_uri') ?? undefined;
      let clientId = given;
      if (hint !== null) {
        const audience = await this.hintedClientId(hint);
        if (given !== null && given !== audience)
          throw new LogoutRefused('The "client_id" does not match the "aud" claim of the "id_token_hint".');
        clientId = audience;
      }
      // Neither a hint nor a client_id: the tenant's own list, as the OIDC Logout API reference says.
      const owner = clientId === null ? 'tenant' : this.auth.findClient(clientId);
      const target = this.target('post_logout_redirect_uri', redirect, owner, 'names');
      if (target === undefined) return LOGGED_OUT;
      const state = query.get('state');
      if (state === null) return { kind: 'redirect', location: target };
      const location = new URL(target);
      location.searchParams.set('state', state);
      return { kind: 'redirect', location: location.toString() };
    } catch (error) {
      return this.refused(error);
    }
  }
}
