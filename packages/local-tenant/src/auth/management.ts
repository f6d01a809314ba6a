// The Management API's view of a user's MFA: authentication methods and (legacy) enrollments, their
// deletion (an operator's "reset MFA"), recovery-code regeneration and invalidate-remember-browser.
import { notFound } from '../server/errors';
import { offsetPage } from '../server/paging';
import { json, noContent, type RequestContext, type Route } from '../server/request';
import { pagingQuery, parseQuery } from '../server/validation';
import { removeAuthenticators, userAuthenticators } from './authenticators';
import type { StoredAuthenticator } from './model';
import { hashCode, newRecoveryCode } from './otp';
import type { AuthService } from './service';

const METHOD_TYPES: Record<StoredAuthenticator['type'], string> = {
  otp: 'totp',
  email: 'email',
  'recovery-code': 'recovery-code',
};

export function authenticationMethodView(a: StoredAuthenticator): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: a.id,
    type: METHOD_TYPES[a.type],
    confirmed: a.confirmed,
    created_at: a.created_at,
  };
  if (a.confirmed) view.enrolled_at = a.created_at;
  if (a.last_auth_at) view.last_auth_at = a.last_auth_at;
  if (a.email) view.email = a.email;
  return view;
}

function enrollmentView(a: StoredAuthenticator): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: a.id,
    status: a.confirmed ? 'confirmed' : 'pending',
    type: a.type === 'otp' ? 'authenticator' : 'email',
    auth_method: a.type === 'otp' ? 'authenticator' : 'email',
    enrolled_at: a.created_at,
  };
  if (a.email) view.identifier = a.email;
  if (a.last_auth_at) view.last_auth = a.last_auth_at;
  return view;
}

/** Auth0's paging of a user's authentication methods (50 by default, as the SDK documents). */
const methodsPaging = pagingQuery(50);

function listMethods(ctx: RequestContext, all: readonly StoredAuthenticator[]) {
  const paging = parseQuery(methodsPaging, ctx.query);
  const options = { view: authenticationMethodView, withLength: false };
  return json(200, offsetPage('authenticators', all, paging, options));
}

export function managementRoutes(service: AuthService): Route[] {
  const port = service.port;
  const userOf = (ctx: RequestContext) => {
    const user = port.findUserById(ctx.params.id);
    if (!user) throw notFound('The user does not exist.', 'inexistent_user');
    return user.user_id;
  };
  const methods = (userId: string) => port.auth().authenticators[userId] ?? [];

  return [
    {
      method: 'GET',
      pattern: '/api/v2/users/{id}/authentication-methods',
      handler: (ctx) => listMethods(ctx, methods(userOf(ctx))),
    },
    {
      method: 'GET',
      pattern: '/api/v2/users/{id}/authentication-methods/{method}',
      handler: (ctx) => {
        const found = methods(userOf(ctx)).find((a) => a.id === ctx.params.method);
        if (!found) throw notFound('Authentication method not found', 'inexistent_authentication_method');
        return json(200, authenticationMethodView(found));
      },
    },
    {
      method: 'DELETE',
      pattern: '/api/v2/users/{id}/authentication-methods',
      handler: (ctx) => {
        const userId = userOf(ctx);
        port.changeAuth((auth) => {
          removeAuthenticators(auth, userId);
          delete auth.rememberedBrowsers[userId];
        });
        return noContent();
      },
    },
    {
      method: 'DELETE',
      pattern: '/api/v2/users/{id}/authentication-methods/{method}',
      handler: (ctx) => {
        const userId = userOf(ctx);
        const removed = port.changeAuth((auth) => removeAuthenticators(auth, userId, ctx.params.method));
        if (removed === 0)
          throw notFound('Authentication method not found', 'inexistent_authentication_method');
        return noContent();
      },
    },
    {
      method: 'GET',
      pattern: '/api/v2/users/{id}/enrollments',
      handler: (ctx) =>
        json(
          200,
          methods(userOf(ctx))
            .filter((a) => a.type !== 'recovery-code')
            .map(enrollmentView),
        ),
    },
    {
      method: 'DELETE',
      pattern: '/api/v2/guardian/enrollments/{enrollment}',
      handler: (ctx) => {
        port.changeAuth((auth) => {
          for (const userId of Object.keys(auth.authenticators))
            removeAuthenticators(auth, userId, ctx.params.enrollment);
        });
        return noContent();
      },
    },
    {
      method: 'POST',
      pattern: '/api/v2/users/{id}/recovery-code-regeneration',
      handler: (ctx) => {
        const userId = userOf(ctx);
        const code = newRecoveryCode();
        port.changeAuth((auth) => {
          const existing = userAuthenticators(auth, userId).find((a) => a.type === 'recovery-code');
          if (existing) {
            existing.code_hash = hashCode(code);
            existing.confirmed = true;
          } else {
            userAuthenticators(auth, userId).push({
              id: `recovery-code|dev_${Date.now().toString(36)}`,
              type: 'recovery-code',
              confirmed: true,
              created_at: new Date().toISOString(),
              code_hash: hashCode(code),
            });
          }
        });
        return json(200, { recovery_code: code });
      },
    },
    {
      method: 'POST',
      pattern: '/api/v2/users/{id}/multifactor/actions/invalidate-remember-browser',
      handler: (ctx) => {
        const userId = userOf(ctx);
        port.changeAuth((auth) => {
          delete auth.rememberedBrowsers[userId];
        });
        return noContent();
      },
    },
  ];
}
