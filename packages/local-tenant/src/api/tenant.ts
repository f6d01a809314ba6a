// Tenant settings over HTTP: GET and PATCH /api/v2/tenants/settings. PATCH merges at the top level
// (`null` removes a setting), `flags` one level deeper; read-only and unknown settings are refused;
// lifetimes (whole hours, or whole minutes kept in hours as Auth0 answers them) are bounded as Auth0 bounds them.
import { z } from 'zod';
import { badRequest } from '../server/errors';
import { json, type RequestContext, type Route } from '../server/request';
import { fieldProjection, jsonInteger, parseBody } from '../server/validation';
import type { JsonMap } from '../tenant/model';
import {
  LIFETIME_DESCRIPTIONS,
  LIFETIME_MAX_HOURS,
  LIFETIMES_IN_MINUTES,
  lifetimeGivenTwice,
  lifetimesInHours,
  mergeSettings,
  SANDBOX_VERSIONS,
} from '../tenant/settings';

const text = z.string().nullable().optional();
const wholeHours = (limit: number) => jsonInteger(1, limit).nullable().optional();
const wholeMinutes = (limitInHours: number) => wholeHours(limitInHours * 60);
const maxHours = LIFETIME_MAX_HOURS;
const anything = z.unknown().optional();

/** Every writable setting of the Management API's tenant settings (go-auth0 `Tenant`). */
const settingsBody = z.strictObject({
  change_password: anything,
  guardian_mfa_page: anything,
  default_audience: text,
  default_directory: text,
  error_page: anything,
  device_flow: anything,
  flags: z.record(z.string(), z.boolean()).nullable().optional(),
  friendly_name: text,
  picture_url: text,
  support_email: text,
  support_url: text,
  universal_login: anything,
  allowed_logout_urls: z.array(z.unknown()).nullable().optional(),
  session_lifetime: wholeHours(maxHours.session_lifetime),
  idle_session_lifetime: wholeHours(maxHours.idle_session_lifetime),
  ephemeral_session_lifetime: wholeHours(maxHours.ephemeral_session_lifetime),
  idle_ephemeral_session_lifetime: wholeHours(maxHours.idle_ephemeral_session_lifetime),
  session_lifetime_in_minutes: wholeMinutes(maxHours.session_lifetime),
  idle_session_lifetime_in_minutes: wholeMinutes(maxHours.idle_session_lifetime),
  ephemeral_session_lifetime_in_minutes: wholeMinutes(maxHours.ephemeral_session_lifetime),
  idle_ephemeral_session_lifetime_in_minutes: wholeMinutes(maxHours.idle_ephemeral_session_lifetime),
  sandbox_version: z.enum(SANDBOX_VERSIONS).nullable().optional(),
  legacy_sandbox_version: anything,
  default_redirection_uri: text,
  enabled_locales: z.array(z.unknown()).nullable().optional(),
  session_cookie: anything,
  sessions: anything,
  oidc_logout: anything,
  allow_organization_name_in_authentication_api: anything,
  customize_mfa_in_postlogin_action: anything,
  acr_values_supported: anything,
  mtls: anything,
  pushed_authorization_requests_supported: anything,
  authorization_response_iss_parameter_supported: anything,
  default_token_quota: anything,
  skip_non_verifiable_callback_uri_confirmation_prompt: anything,
  phone_consolidated_experience: z.boolean().nullable().optional(),
  client_id_metadata_document_supported: anything,
  resource_parameter_profile: anything,
  dynamic_client_registration_security_mode: anything,
  country_codes: anything,
});

function readSettings(ctx: RequestContext) {
  const settings = ctx.store.state.settings;
  const view: JsonMap = {
    ...settings,
    sandbox_versions_available: [...SANDBOX_VERSIONS],
    client_id_metadata_document_supported: settings.client_id_metadata_document_supported ?? false,
  };
  return json(200, fieldProjection(ctx.query)(view));
}

function patchSettings(ctx: RequestContext) {
  const body = parseBody(settingsBody, ctx.body, LIFETIME_DESCRIPTIONS) as JsonMap;
  const twice = lifetimeGivenTwice(body);
  if (twice) {
    throw badRequest(
      `${twice} cannot be specified together with ${LIFETIMES_IN_MINUTES[twice]}`,
      'invalid_body',
    );
  }
  const settings = ctx.store.transaction((d) => {
    d.settings = mergeSettings(d.settings, lifetimesInHours(body));
    return d.settings;
  });
  return json(200, settings);
}

export const tenantRoutes: Route[] = [
  { method: 'GET', pattern: '/api/v2/tenants/settings', handler: readSettings },
  { method: 'PATCH', pattern: '/api/v2/tenants/settings', handler: patchSettings },
];
