// Tenant settings: GET and PATCH /api/v2/tenants/settings. PATCH merges at the top level (`null`
// removes a setting), `flags` one level deeper; read-only and unknown settings are refused.
import { json, projectFields, type RequestContext, type Route } from '../http';
import type { JsonMap } from '../store';
import { checkType, isPlainObject, objectBody, payloadError, rejectUnknown } from './validate';

/** Every writable setting of the Management API's tenant settings (go-auth0 `Tenant`). */
const WRITABLE = [
  'change_password',
  'guardian_mfa_page',
  'default_audience',
  'default_directory',
  'error_page',
  'device_flow',
  'flags',
  'friendly_name',
  'picture_url',
  'support_email',
  'support_url',
  'universal_login',
  'allowed_logout_urls',
  'session_lifetime',
  'idle_session_lifetime',
  'ephemeral_session_lifetime',
  'idle_ephemeral_session_lifetime',
  'sandbox_version',
  'legacy_sandbox_version',
  'default_redirection_uri',
  'enabled_locales',
  'session_cookie',
  'sessions',
  'oidc_logout',
  'allow_organization_name_in_authentication_api',
  'customize_mfa_in_postlogin_action',
  'acr_values_supported',
  'mtls',
  'pushed_authorization_requests_supported',
  'authorization_response_iss_parameter_supported',
  'default_token_quota',
  'skip_non_verifiable_callback_uri_confirmation_prompt',
  'phone_consolidated_experience',
  'client_id_metadata_document_supported',
  'resource_parameter_profile',
  'dynamic_client_registration_security_mode',
  'country_codes',
];

const SANDBOX_VERSIONS = ['22', '18'];

function readSettings(ctx: RequestContext) {
  const view: JsonMap = {
    ...ctx.store.data.settings,
    sandbox_versions_available: SANDBOX_VERSIONS,
    client_id_metadata_document_supported:
      ctx.store.data.settings.client_id_metadata_document_supported ?? false,
  };
  return json(200, projectFields(view, ctx.query));
}

function patchSettings(ctx: RequestContext) {
  const body = objectBody(ctx.body);
  rejectUnknown(body, WRITABLE);
  for (const name of [
    'friendly_name',
    'picture_url',
    'support_email',
    'support_url',
    'default_audience',
    'default_directory',
    'sandbox_version',
    'default_redirection_uri',
  ]) {
    checkType(body, name, 'string', true);
  }
  for (const name of [
    'session_lifetime',
    'idle_session_lifetime',
    'ephemeral_session_lifetime',
    'idle_ephemeral_session_lifetime',
  ]) {
    checkType(body, name, 'number', true);
  }
  checkType(body, 'flags', 'object', true);
  checkType(body, 'enabled_locales', 'array', true);
  checkType(body, 'allowed_logout_urls', 'array', true);
  checkType(body, 'phone_consolidated_experience', 'boolean', true);
  if (typeof body.sandbox_version === 'string' && !SANDBOX_VERSIONS.includes(body.sandbox_version)) {
    throw payloadError(`No enum match for: ${JSON.stringify(body.sandbox_version)}`, 'sandbox_version');
  }
  if (isPlainObject(body.flags)) {
    for (const [flag, value] of Object.entries(body.flags)) {
      if (typeof value !== 'boolean')
        throw payloadError(`Expected type boolean but found type ${typeof value}`, `flags.${flag}`);
    }
  }
  const settings = ctx.store.transaction((d) => {
    const next: JsonMap = { ...d.settings };
    for (const [key, value] of Object.entries(body)) {
      if (value === null) delete next[key];
      else if (key === 'flags' && isPlainObject(value))
        next.flags = { ...(next.flags as JsonMap | undefined), ...value };
      else next[key] = value;
    }
    d.settings = next;
    return next;
  });
  return json(200, settings);
}

export const tenantRoutes: Route[] = [
  { method: 'GET', pattern: '/api/v2/tenants/settings', handler: readSettings },
  { method: 'PATCH', pattern: '/api/v2/tenants/settings', handler: patchSettings },
];
