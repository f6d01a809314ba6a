// POST /oauth/token: the client-credentials grant for the Management API, as the Go SDK (HTTP Basic
// first, then credentials in the form) and the Node SDK (JSON or form body) send it.
import {
  issueManagementToken,
  MANAGEMENT_SCOPES,
  managementAudiences,
  TOKEN_LIFETIME_SECONDS,
} from '../server/auth';
import { clientAuthOf, formOf, sameSecret } from '../server/credentials';
import { ApiError } from '../server/errors';
import { json, type RequestContext, type Route } from '../server/request';

export async function issueToken(ctx: RequestContext) {
  const form = formOf(ctx);
  const { clientId, clientSecret } = clientAuthOf(ctx, form);
  const grantType = form.grant_type;

  if (!grantType) throw ApiError.oauth(400, 'invalid_request', 'Missing required parameter: grant_type');
  if (
    !clientId ||
    clientId !== ctx.runtime.clientId ||
    !clientSecret ||
    !sameSecret(clientSecret, ctx.runtime.clientSecret)
  ) {
    throw ApiError.oauth(401, 'access_denied', 'Unauthorized');
  }
  if (grantType !== 'client_credentials') {
    throw ApiError.oauth(403, 'unauthorized_client', `Grant type '${grantType}' not allowed for the client.`);
  }
  const audience = form.audience;
  if (!audience) {
    throw ApiError.oauth(
      403,
      'access_denied',
      'No audience parameter was provided, and no default audience has been configured',
    );
  }
  if (!managementAudiences(ctx.runtime).includes(audience)) {
    throw ApiError.oauth(403, 'access_denied', `Service not enabled within domain: ${audience}`);
  }
  return json(200, {
    access_token: await issueManagementToken(ctx.runtime, clientId, audience),
    scope: MANAGEMENT_SCOPES,
    expires_in: TOKEN_LIFETIME_SECONDS,
    token_type: 'Bearer',
  });
}

export const oauthRoutes: Route[] = [
  { method: 'POST', pattern: '/oauth/token', handler: issueToken, rawBody: true },
];
