// The post-login (v3) `event` an Action receives, built from the stored user and tenant.
import { randomBytes } from 'node:crypto';
import { userView } from '../api/users';
import { groupsOf } from '../tenant/memberships';
import type { Immutable, JsonMap, StoredConnection, StoredUser, TenantState } from '../tenant/model';
import { findRole } from '../tenant/roles';

/** Transaction protocols Auth0 reports in `event.transaction.protocol`. */
export const PROTOCOLS = [
  'oidc-basic-profile',
  'oidc-implicit-profile',
  'oidc-hybrid-profile',
  'oauth2-device-code',
  'oauth2-resource-owner',
  'oauth2-resource-owner-jwt-bearer',
  'oauth2-password',
  'oauth2-access-token',
  'oauth2-refresh-token',
  'oauth2-token-exchange',
  'samlp',
  'wsfed',
  'wstrust-usernamemixed',
];

/** Protocols where nobody is present to answer an MFA challenge or follow a redirect. */
export const NON_INTERACTIVE_PROTOCOLS = [
  'oauth2-refresh-token',
  'oauth2-resource-owner',
  'oauth2-resource-owner-jwt-bearer',
  'oauth2-password',
  'oauth2-token-exchange',
];

export interface EventInput {
  user: Immutable<StoredUser>;
  userMetadata: JsonMap;
  appMetadata: JsonMap;
  connection: Immutable<StoredConnection>;
  /** `event.authorization.roles`: see `userRoleNames`. */
  roles: readonly string[];
  protocol: string;
  domain: string;
  secrets: Record<string, string>;
  client: { client_id: string; name: string };
  ip: string;
  transactionId: string;
  loginTime: string;
}

export function newTransactionId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The names of the user's roles, as Auth0 puts them in `event.authorization.roles`. Auth0 documents no
 * order; sorted by name, so an Action sees the same list whatever order the roles were assigned in.
 */
export function userRoleNames(data: TenantState, userId: string): string[] {
  return groupsOf(data.roleUsers, userId)
    .flatMap((roleId) => findRole(data, roleId)?.name ?? [])
    .sort();
}

export function buildPostLoginEvent(input: EventInput): JsonMap {
  const view = userView(input.user);
  const user: JsonMap = {
    ...view,
    user_metadata: input.userMetadata,
    app_metadata: input.appMetadata,
    multifactor: [],
    enrolledFactors: [],
  };
  const interactive = !NON_INTERACTIVE_PROTOCOLS.includes(input.protocol);
  const transaction: JsonMap = {
    id: input.transactionId,
    locale: 'en',
    protocol: input.protocol,
    requested_scopes: ['openid', 'profile', 'email'],
    acr_values: [],
    ui_locales: [],
  };
  if (interactive) {
    transaction.redirect_uri = 'http://localhost:3000/callback';
    transaction.response_type = ['code'];
    transaction.response_mode = 'query';
    transaction.state = randomBytes(8).toString('hex');
    transaction.prompt = [];
  }
  return {
    authentication: { methods: [{ name: 'pwd', timestamp: input.loginTime }] },
    authorization: { roles: [...input.roles] },
    client: { client_id: input.client.client_id, name: input.client.name, metadata: {} },
    connection: {
      id: input.connection.id,
      name: input.connection.name,
      strategy: input.connection.strategy,
      metadata: {},
    },
    request: {
      ip: input.ip,
      method: interactive ? 'GET' : 'POST',
      hostname: input.domain.split(':')[0],
      language: 'en',
      user_agent: 'local-tenant-login-simulator',
      query: {},
      body: {},
      geoip: {
        countryCode: 'US',
        countryCode3: 'USA',
        countryName: 'United States',
        continentCode: 'NA',
        timeZone: 'America/New_York',
      },
    },
    resource_server: { identifier: `https://${input.domain}/userinfo` },
    secrets: input.secrets,
    session: { id: `sess_${input.transactionId.slice(0, 12)}` },
    stats: { logins_count: (input.user.logins_count ?? 0) + 1 },
    tenant: { id: 'local-tenant' },
    transaction,
    user,
  };
}
