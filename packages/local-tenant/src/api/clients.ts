// GET /api/v2/clients: the tenant's own applications (the Management API client of connection.env and
// the login application), with Auth0's paging (`include_totals` -> start/limit/length/total) and
// `fields` projection. Secrets are never listed (Auth0 shows them only with read:client_keys).
import { json, type RequestContext, type Route } from '../server/request';
import { pagingQuery, parseQuery, projectFields } from '../server/validation';
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
  const { page, per_page: perPage, include_totals } = parseQuery(pagingQuery(50, 100, 0), ctx.query);
  const all = clientViews(ctx);
  const slice = all.slice(page * perPage, page * perPage + perPage).map((c) => projectFields(c, ctx.query));
  if (include_totals)
    return json(200, {
      start: page * perPage,
      limit: perPage,
      length: slice.length,
      total: all.length,
      clients: slice,
    });
  return json(200, slice);
}

export const clientRoutes: Route[] = [{ method: 'GET', pattern: '/api/v2/clients', handler: listClients }];
