// GET /api/v2/clients: the tenant's own applications (the Management API client of connection.env and
// the login application), with Auth0's paging (`include_totals` -> start/limit/length/total) and
// `fields` projection. Secrets are never listed (Auth0 shows them only with read:client_keys).

import { offsetPage } from '../server/paging';
import { json, type RequestContext, type Route } from '../server/request';
import { fieldProjection, pagingQuery, parseQuery } from '../server/validation';
import type { JsonMap } from '../tenant/model';

function clientViews(ctx: RequestContext): JsonMap[] {
  const management: JsonMap = {
    client_id: ctx.runtime.clientId,
    name: 'Local Tenant Management Client',
    app_type: 'non_interactive',
    is_first_party: true,
    grant_types: ['client_credentials'],
    token_endpoint_auth_method: 'client_secret_post',
  };
  const apps = (ctx.store.state.auth?.clients ?? []).map(
    (c): JsonMap => ({
      client_id: c.client_id,
      name: c.name,
      app_type: 'regular_web',
      is_first_party: true,
      callbacks: [...c.callbacks],
      grant_types: [...c.grant_types],
      token_endpoint_auth_method: 'client_secret_post',
    }),
  );
  return [management, ...apps];
}

function listClients(ctx: RequestContext) {
  const paging = parseQuery(pagingQuery(50, 100, 0), ctx.query);
  const view = fieldProjection(ctx.query);
  return json(200, offsetPage('clients', clientViews(ctx), paging, { view }));
}

export const clientRoutes: Route[] = [{ method: 'GET', pattern: '/api/v2/clients', handler: listClients }];
