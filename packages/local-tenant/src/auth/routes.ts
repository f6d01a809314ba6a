// The Authentication API's routes (Auth0's paths): /oauth/token grants, discovery and keys,
// /userinfo, logout, the MFA API, /authorize with the login pages, the login application's pages,
// and the Management API's view of a user's authentication methods.

import { LOGIN_PATHS } from '../login-pages/pages';
import { clientAuthOf, contentType, formOf } from '../server/credentials';
import { type HandlerResult, json, type RequestContext, type Route } from '../server/request';
import { type BrowserLogins, type PageResult, parseCookies } from './browser';
import { GRANT_TYPES, openidConfiguration } from './discovery';
import { authError, invalidRequest } from './errors';
import { LOGIN_APP_CALLBACK_PATH, LOGIN_APP_START_PATH, type LoginAppPages } from './login-app';
import { Logouts } from './logout';
import { managementRoutes } from './management';
import type { AuthService, RequestInfo } from './service';
import type { TokenSigner } from './tokens';

export interface AuthRoutesOptions {
  service: AuthService;
  browser: BrowserLogins;
  loginApp: LoginAppPages;
  signer: TokenSigner;
  /** The Management API's client-credentials grant, for the M2M client of connection.env. */
  clientCredentials: (ctx: RequestContext) => HandlerResult | Promise<HandlerResult>;
}

function jsonBody(ctx: RequestContext): Record<string, unknown> {
  if (contentType(ctx) !== 'application/json') return formOf(ctx);
  try {
    const parsed = JSON.parse(ctx.rawBody.toString('utf8') || '{}');
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed;
  } catch {
    // fall through
  }
  throw invalidRequest('Invalid request payload JSON format');
}

function bearer(ctx: RequestContext): string | undefined {
  return ctx.headers.authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
}

function requestInfo(ctx: RequestContext): RequestInfo {
  return { ip: '127.0.0.1', userAgent: String(ctx.headers['user-agent'] ?? '') };
}

const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'x-frame-options': 'deny',
  'referrer-policy': 'no-referrer',
};

export function pageResult(page: PageResult): HandlerResult {
  if (page.kind === 'text') {
    return { status: page.status, text: page.text, headers: { 'content-type': 'text/plain; charset=utf-8' } };
  }
  if (page.kind === 'html') {
    return {
      status: page.status,
      text: page.html,
      headers: { ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8' },
    };
  }
  const headers: Record<string, string> = { ...PAGE_HEADERS, location: page.location };
  if (page.setCookie) headers['set-cookie'] = page.setCookie;
  return { status: 302, headers };
}

export function authRoutes(options: AuthRoutesOptions): Route[] {
  const { service, browser, loginApp, signer } = options;
  const logouts = new Logouts(service, signer);

  async function token(ctx: RequestContext): Promise<HandlerResult> {
    const form = formOf(ctx);
    const grantType = form.grant_type;
    if (!grantType) throw invalidRequest('Missing required parameter: grant_type');
    const auth = clientAuthOf(ctx, form);
    // Any other client is the Management API's M2M client (or unknown): its own grant answers.
    if (!service.findClient(auth.clientId)) return options.clientCredentials(ctx);
    const client = service.authenticateClient(auth, grantType);
    const request = requestInfo(ctx);
    switch (grantType) {
      case GRANT_TYPES.password:
        return json(200, await service.passwordGrant(client, form, request, undefined));
      case GRANT_TYPES.passwordRealm:
        if (!form.realm) throw invalidRequest('Missing required parameter: realm');
        return json(200, await service.passwordGrant(client, form, request, form.realm));
      case GRANT_TYPES.refreshToken:
        return json(200, await service.refreshGrant(client, form, request));
      case GRANT_TYPES.authorizationCode:
        return json(200, await service.codeGrant(client, form));
      case GRANT_TYPES.mfaOtp:
      case GRANT_TYPES.mfaOob:
      case GRANT_TYPES.mfaRecoveryCode:
        return json(200, await service.mfaGrant(client, form));
      default:
        throw authError(403, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`);
    }
  }

  const show = (path: string) => async (ctx: RequestContext) =>
    pageResult(await browser.show(path, ctx.query.get('state') ?? undefined));
  const submit = (path: string) => async (ctx: RequestContext) =>
    pageResult(await browser.submit(path, formOf(ctx), requestInfo(ctx), parseCookies(ctx.headers.cookie)));

  const pages = Object.values(LOGIN_PATHS).flatMap((path): Route[] => [
    { method: 'GET', pattern: path, handler: show(path) },
    { method: 'POST', pattern: path, handler: submit(path), rawBody: true },
  ]);

  async function userinfo(ctx: RequestContext) {
    return json(200, await service.userinfo(bearer(ctx)));
  }

  return [
    { method: 'POST', pattern: '/oauth/token', handler: token, rawBody: true },
    {
      method: 'GET',
      pattern: '/.well-known/openid-configuration',
      handler: () => json(200, openidConfiguration(service.issuer)),
    },
    { method: 'GET', pattern: '/.well-known/jwks.json', handler: () => json(200, signer.jwks()) },
    { method: 'GET', pattern: '/userinfo', handler: userinfo },
    { method: 'POST', pattern: '/userinfo', handler: userinfo, rawBody: true },
    { method: 'GET', pattern: '/v2/logout', handler: (ctx) => pageResult(logouts.v2(ctx.query)) },
    {
      method: 'GET',
      pattern: '/oidc/logout',
      handler: async (ctx) => pageResult(await logouts.oidc(ctx.query)),
    },
    {
      method: 'POST',
      pattern: '/mfa/associate',
      rawBody: true,
      handler: (ctx) => json(200, service.associate(service.pendingByToken(bearer(ctx)), jsonBody(ctx))),
    },
    {
      method: 'GET',
      pattern: '/mfa/authenticators',
      handler: (ctx) => {
        const pending = service.pendingByToken(bearer(ctx));
        return json(
          200,
          service
            .authenticatorsOf(pending)
            .map((a) =>
              a.type === 'email'
                ? { id: a.id, authenticator_type: 'oob', oob_channel: 'email', name: a.email, active: true }
                : { id: a.id, authenticator_type: a.type, active: true },
            ),
        );
      },
    },
    {
      method: 'POST',
      pattern: '/mfa/challenge',
      rawBody: true,
      handler: (ctx) => {
        const body = formOf(ctx);
        const client = service.authenticateClient(clientAuthOf(ctx, body));
        const pending = service.pendingByToken(body.mfa_token);
        if (pending.client.client_id !== client.client_id)
          throw authError(403, 'invalid_grant', 'Malformed mfa_token');
        return json(200, service.challenge(pending, body.challenge_type, body.authenticator_id));
      },
    },
    { method: 'GET', pattern: '/authorize', handler: (ctx) => pageResult(browser.authorize(ctx.query)) },
    ...pages,
    { method: 'GET', pattern: LOGIN_APP_START_PATH, handler: () => pageResult(loginApp.start()) },
    {
      method: 'GET',
      pattern: LOGIN_APP_CALLBACK_PATH,
      handler: async (ctx) => pageResult(await loginApp.callback(ctx.query)),
    },
    ...managementRoutes(service),
  ];
}
