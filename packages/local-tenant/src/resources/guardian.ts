// Guardian (MFA): policies, factors, and every settings/provider/template route the auth0 provider
// v1.54.1 reads or writes for the factors it manages (phone/sms, push, duo, webauthn, email, otp).
import { badRequest, type Handler, json, notFound, type RequestContext, type Route } from '../http';
import { FACTOR_NAMES, type FactorName, type GuardianData, type JsonMap } from '../store';
import {
  checkEnum,
  checkStringArray,
  checkType,
  objectBody,
  payloadError,
  rejectUnknown,
  requireProps,
} from './validate';

const POLICIES = ['all-applications', 'confidence-score'];

function guardian(ctx: RequestContext): GuardianData {
  return ctx.store.data.guardian;
}

function getPolicies(ctx: RequestContext) {
  return json(200, [...guardian(ctx).policies]);
}

function putPolicies(ctx: RequestContext) {
  const body = ctx.body;
  if (!Array.isArray(body)) {
    throw payloadError(`Expected type array but found type ${body === null ? 'null' : typeof body}`);
  }
  for (const item of body) {
    if (typeof item !== 'string' || !POLICIES.includes(item)) {
      throw payloadError(`No enum match for: ${JSON.stringify(item)}`);
    }
  }
  if (body.length > 1) throw payloadError(`Array is too long (${body.length}), maximum 1`);
  const policies = body as string[];
  ctx.store.transaction((d) => {
    d.guardian.policies = [...policies];
  });
  return json(200, [...policies]);
}

function listFactors(ctx: RequestContext) {
  const factors = guardian(ctx).factors;
  return json(
    200,
    FACTOR_NAMES.map((name) => ({ name, enabled: factors[name], trial_expired: false })),
  );
}

function factorName(ctx: RequestContext): FactorName {
  const name = ctx.params.name;
  if (!(FACTOR_NAMES as readonly string[]).includes(name)) {
    throw notFound(`Factor "${name}" does not exist.`, 'inexistent_factor');
  }
  return name as FactorName;
}

function putFactor(ctx: RequestContext) {
  const name = factorName(ctx);
  const body = objectBody(ctx.body);
  rejectUnknown(body, ['enabled']);
  requireProps(body, ['enabled']);
  checkType(body, 'enabled', 'boolean');
  const enabled = body.enabled as boolean;
  ctx.store.transaction((d) => {
    d.guardian.factors[name] = enabled;
  });
  return json(200, { enabled });
}

/** One resource at `pattern`: read with GET, written with `writeMethods`. */
function readWrite(
  pattern: string,
  read: Handler,
  write: Handler,
  writeMethods: Route['method'][] = ['PUT'],
): Route[] {
  return [
    { method: 'GET', pattern, handler: read },
    ...writeMethods.map((method) => ({ method, pattern, handler: write })),
  ];
}

/** Settings after a write: the body merged over them or replacing them, a `null` value removing its key. */
function applySettings(current: JsonMap, body: JsonMap, merge: boolean): JsonMap {
  const next: JsonMap = merge ? { ...current, ...body } : { ...body };
  for (const [k, v] of Object.entries(next)) if (v === null) delete next[k];
  return next;
}

/** GET/PUT pair over one settings object of the guardian data. */
function settingsRoutes(
  pattern: string,
  key: keyof GuardianData,
  validate: (body: JsonMap) => void,
  options: { method?: 'PUT' | 'PATCH'; hide?: string[]; merge?: boolean } = {},
): Route[] {
  const view = (value: JsonMap): JsonMap => {
    const out = { ...value };
    for (const hidden of options.hide ?? []) delete out[hidden];
    return out;
  };
  return readWrite(
    pattern,
    (ctx) => json(200, view(guardian(ctx)[key] as JsonMap)),
    (ctx) => {
      const body = objectBody(ctx.body);
      validate(body);
      const next = ctx.store.transaction((d) => {
        const merged = applySettings(d.guardian[key] as JsonMap, body, options.merge ?? false);
        (d.guardian as unknown as Record<string, JsonMap>)[key] = merged;
        return merged;
      });
      return json(200, view(next));
    },
    [options.method ?? 'PUT'],
  );
}

function stringProps(names: string[]) {
  return (body: JsonMap) => {
    rejectUnknown(body, names);
    for (const name of names) checkType(body, name, 'string', true);
  };
}

function providerRoutes(
  pattern: string,
  key: 'phoneSelectedProvider' | 'pushSelectedProvider',
  values: string[],
) {
  return readWrite(
    pattern,
    (ctx) => json(200, { provider: guardian(ctx)[key] }),
    (ctx) => {
      const body = objectBody(ctx.body);
      rejectUnknown(body, ['provider']);
      requireProps(body, ['provider']);
      checkEnum(body, 'provider', values);
      const provider = body.provider as string;
      ctx.store.transaction((d) => {
        d.guardian[key] = provider;
      });
      return json(200, { provider });
    },
  );
}

function getMessageTypes(ctx: RequestContext) {
  return json(200, { message_types: [...guardian(ctx).phoneMessageTypes] });
}

function putMessageTypes(ctx: RequestContext) {
  const body = objectBody(ctx.body);
  rejectUnknown(body, ['message_types']);
  checkStringArray(body, 'message_types', ['sms', 'voice']);
  const types = body.message_types as string[] | undefined;
  if (types !== undefined && types.length === 0) {
    throw payloadError('Array is too short (0), minimum 1', 'message_types');
  }
  const next = ctx.store.transaction((d) => {
    if (types) d.guardian.phoneMessageTypes = [...new Set(types)];
    return d.guardian.phoneMessageTypes;
  });
  return json(200, { message_types: [...next] });
}

function getSmsTemplates(ctx: RequestContext) {
  return json(200, { ...guardian(ctx).smsTemplates });
}

function putSmsTemplates(ctx: RequestContext) {
  const body = objectBody(ctx.body);
  rejectUnknown(body, ['enrollment_message', 'verification_message']);
  requireProps(body, ['enrollment_message', 'verification_message']);
  checkType(body, 'enrollment_message', 'string');
  checkType(body, 'verification_message', 'string');
  const templates = {
    enrollment_message: body.enrollment_message as string,
    verification_message: body.verification_message as string,
  };
  ctx.store.transaction((d) => {
    d.guardian.smsTemplates = templates;
  });
  return json(200, templates);
}

function getApns(ctx: RequestContext) {
  const apns = guardian(ctx).apns;
  const out: JsonMap = {
    ...apns,
    enabled: typeof apns.bundle_id === 'string' && typeof apns.p12 === 'string',
  };
  delete out.p12;
  return json(200, out);
}

function putApns(ctx: RequestContext) {
  const body = objectBody(ctx.body);
  rejectUnknown(body, ['sandbox', 'bundle_id', 'p12']);
  checkType(body, 'sandbox', 'boolean', true);
  checkType(body, 'bundle_id', 'string', true);
  checkType(body, 'p12', 'string', true);
  ctx.store.transaction((d) => {
    d.guardian.apns = applySettings(d.guardian.apns, body, true);
  });
  return json(200, { sandbox: body.sandbox ?? false, bundle_id: body.bundle_id ?? null });
}

const webauthnCommon = (body: JsonMap) => {
  checkType(body, 'overrideRelyingParty', 'boolean');
  checkType(body, 'relyingPartyIdentifier', 'string');
  if (body.relyingPartyIdentifier !== undefined && body.overrideRelyingParty !== true) {
    throw badRequest(
      'relyingPartyIdentifier can only be set when overrideRelyingParty is true',
      'invalid_body',
    );
  }
};

export const guardianRoutes: Route[] = [
  ...readWrite('/api/v2/guardian/policies', getPolicies, putPolicies),
  { method: 'GET', pattern: '/api/v2/guardian/factors', handler: listFactors },
  // Specific sub-routes come before /factors/{name} only for readability: patterns match whole paths.
  ...providerRoutes('/api/v2/guardian/factors/phone/selected-provider', 'phoneSelectedProvider', [
    'auth0',
    'twilio',
    'phone-message-hook',
  ]),
  ...readWrite('/api/v2/guardian/factors/phone/message-types', getMessageTypes, putMessageTypes),
  ...readWrite('/api/v2/guardian/factors/sms/templates', getSmsTemplates, putSmsTemplates),
  // Same data, the route Auth0 documents for the phone factor.
  ...readWrite('/api/v2/guardian/factors/phone/templates', getSmsTemplates, putSmsTemplates),
  ...settingsRoutes(
    '/api/v2/guardian/factors/sms/providers/twilio',
    'twilio',
    stringProps(['from', 'messaging_service_sid', 'auth_token', 'sid']),
  ),
  ...providerRoutes('/api/v2/guardian/factors/push-notification/selected-provider', 'pushSelectedProvider', [
    'guardian',
    'sns',
    'direct',
  ]),
  ...settingsRoutes(
    '/api/v2/prompts/mfa-push',
    'pushCustomApp',
    stringProps(['app_name', 'apple_app_link', 'google_app_link']),
    {
      method: 'PATCH',
      merge: true,
    },
  ),
  ...readWrite('/api/v2/guardian/factors/push-notification/providers/apns', getApns, putApns, [
    'PUT',
    'PATCH',
  ]),
  ...settingsRoutes(
    '/api/v2/guardian/factors/push-notification/providers/fcm',
    'fcm',
    stringProps(['server_key']),
    {
      hide: ['server_key'],
    },
  ).filter((r) => r.method !== 'GET'),
  ...settingsRoutes(
    '/api/v2/guardian/factors/push-notification/providers/fcmv1',
    'fcmv1',
    stringProps(['server_credentials']),
    { hide: ['server_credentials'] },
  ).filter((r) => r.method !== 'GET'),
  ...settingsRoutes(
    '/api/v2/guardian/factors/push-notification/providers/sns',
    'sns',
    stringProps([
      'aws_access_key_id',
      'aws_secret_access_key',
      'aws_region',
      'sns_apns_platform_application_arn',
      'sns_gcm_platform_application_arn',
    ]),
    { hide: ['aws_secret_access_key'] },
  ),
  ...settingsRoutes('/api/v2/guardian/factors/duo/settings', 'duo', stringProps(['ikey', 'skey', 'host'])),
  ...settingsRoutes(
    '/api/v2/guardian/factors/webauthn-roaming/settings',
    'webauthnRoaming',
    (body) => {
      rejectUnknown(body, ['userVerification', 'overrideRelyingParty', 'relyingPartyIdentifier']);
      checkEnum(body, 'userVerification', ['discouraged', 'preferred', 'required']);
      webauthnCommon(body);
    },
    { merge: true },
  ),
  ...settingsRoutes(
    '/api/v2/guardian/factors/webauthn-platform/settings',
    'webauthnPlatform',
    (body) => {
      rejectUnknown(body, ['overrideRelyingParty', 'relyingPartyIdentifier']);
      webauthnCommon(body);
    },
    { merge: true },
  ),
  { method: 'PUT', pattern: '/api/v2/guardian/factors/{name}', handler: putFactor },
];

/** Names of the factors a user could be challenged with right now. */
export function enabledFactors(data: GuardianData): FactorName[] {
  return FACTOR_NAMES.filter((name) => data.factors[name]);
}
