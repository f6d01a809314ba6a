// Guardian (MFA) over HTTP: policies, factors, and every settings/provider/template route the auth0
// provider v1.54.1 reads or writes for the factors it manages (phone/sms, push, duo, webauthn, email, otp).
import { z } from 'zod';
import { badRequest } from '../server/errors';
import { type Handler, json, type RequestContext, type Route } from '../server/request';
import { parseBody, parsePath } from '../server/validation';
import { POLICIES } from '../tenant/guardian';
import {
  FACTOR_NAMES,
  type FactorName,
  type GuardianData,
  type Immutable,
  type JsonMap,
} from '../tenant/model';

function guardian(ctx: RequestContext): Immutable<GuardianData> {
  return ctx.store.state.guardian;
}

const policiesBody = z.array(z.enum(POLICIES)).max(1);

function putPolicies(ctx: RequestContext) {
  const policies = parseBody(policiesBody, ctx.body);
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

/** The factor of the URL: an unknown name fails Auth0's path validation (400, as the SDK documents). */
function factorName(ctx: RequestContext): FactorName {
  return parsePath(z.enum(FACTOR_NAMES), 'name', ctx.params.name, 'Factor name.');
}

const factorBody = z.strictObject({ enabled: z.boolean() });

function putFactor(ctx: RequestContext) {
  const name = factorName(ctx);
  const { enabled } = parseBody(factorBody, ctx.body);
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
function applySettings(current: Immutable<JsonMap>, body: JsonMap, merge: boolean): JsonMap {
  const next: JsonMap = merge ? { ...current, ...body } : { ...body };
  for (const [k, v] of Object.entries(next)) if (v === null) delete next[k];
  return next;
}

type SettingsKey =
  | 'twilio'
  | 'pushCustomApp'
  | 'fcm'
  | 'fcmv1'
  | 'sns'
  | 'duo'
  | 'webauthnRoaming'
  | 'webauthnPlatform';

/** Read (optional) and write of one settings object of the guardian data. */
function settingsRoutes(
  pattern: string,
  key: SettingsKey,
  schema: z.ZodType<JsonMap>,
  options: { method?: 'PUT' | 'PATCH'; hide?: string[]; merge?: boolean; writeOnly?: boolean } = {},
): Route[] {
  const view = (value: Immutable<JsonMap>): JsonMap => {
    const out = { ...value };
    for (const hidden of options.hide ?? []) delete out[hidden];
    return out;
  };
  const write: Handler = (ctx) => {
    const body = parseBody(schema, ctx.body);
    const next = ctx.store.transaction((d) => {
      const merged = applySettings(d.guardian[key], body, options.merge ?? false);
      d.guardian[key] = merged;
      return merged;
    });
    return json(200, view(next));
  };
  const routes = readWrite(pattern, (ctx) => json(200, view(guardian(ctx)[key])), write, [
    options.method ?? 'PUT',
  ]);
  return options.writeOnly ? routes.filter((r) => r.method !== 'GET') : routes;
}

/** Settings made of optional (nullable) strings. */
function stringSettings(names: string[]): z.ZodType<JsonMap> {
  return z.strictObject(Object.fromEntries(names.map((n) => [n, z.string().nullable().optional()])));
}

function providerRoutes(
  pattern: string,
  key: 'phoneSelectedProvider' | 'pushSelectedProvider',
  values: [string, ...string[]],
) {
  const body = z.strictObject({ provider: z.enum(values) });
  return readWrite(
    pattern,
    (ctx) => json(200, { provider: guardian(ctx)[key] }),
    (ctx) => {
      const { provider } = parseBody(body, ctx.body);
      ctx.store.transaction((d) => {
        d.guardian[key] = provider;
      });
      return json(200, { provider });
    },
  );
}

const messageTypesBody = z.strictObject({
  message_types: z
    .array(z.enum(['sms', 'voice']))
    .min(1)
    .optional(),
});

function putMessageTypes(ctx: RequestContext) {
  const { message_types: types } = parseBody(messageTypesBody, ctx.body);
  const next = ctx.store.transaction((d) => {
    if (types) d.guardian.phoneMessageTypes = [...new Set(types)];
    return d.guardian.phoneMessageTypes;
  });
  return json(200, { message_types: [...next] });
}

const smsTemplatesBody = z.strictObject({ enrollment_message: z.string(), verification_message: z.string() });

function putSmsTemplates(ctx: RequestContext) {
  const templates = parseBody(smsTemplatesBody, ctx.body);
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

const apnsBody = z.strictObject({
  sandbox: z.boolean().nullable().optional(),
  bundle_id: z.string().nullable().optional(),
  p12: z.string().nullable().optional(),
});

function putApns(ctx: RequestContext) {
  const body = parseBody(apnsBody, ctx.body);
  ctx.store.transaction((d) => {
    d.guardian.apns = applySettings(d.guardian.apns, body, true);
  });
  return json(200, { sandbox: body.sandbox ?? false, bundle_id: body.bundle_id ?? null });
}

/** Both WebAuthn factors: a relying party identifier only with the override on. */
function webauthnSettings(extra: z.ZodRawShape): z.ZodType<JsonMap> {
  return z
    .strictObject({
      ...extra,
      overrideRelyingParty: z.boolean().optional(),
      relyingPartyIdentifier: z.string().optional(),
    })
    .superRefine((value, issues) => {
      const body = value as { overrideRelyingParty?: boolean; relyingPartyIdentifier?: string };
      if (body.relyingPartyIdentifier !== undefined && body.overrideRelyingParty !== true) {
        issues.addIssue({
          code: 'custom',
          message: 'relyingPartyIdentifier can only be set when overrideRelyingParty is true',
        });
      }
    });
}

function webauthnRoutes(
  pattern: string,
  key: 'webauthnRoaming' | 'webauthnPlatform',
  schema: z.ZodType<JsonMap>,
) {
  // The cross-field rule answers Auth0's plain wording, not a payload validation error.
  const write: Handler = (ctx) => {
    const parsed = schema.safeParse(ctx.body);
    if (!parsed.success && parsed.error.issues.every((i) => i.code === 'custom')) {
      throw badRequest(parsed.error.issues[0].message, 'invalid_body');
    }
    const body = parseBody(schema, ctx.body);
    const next = ctx.store.transaction((d) => {
      d.guardian[key] = applySettings(d.guardian[key], body, true);
      return d.guardian[key];
    });
    return json(200, { ...next });
  };
  return readWrite(pattern, (ctx) => json(200, { ...guardian(ctx)[key] }), write);
}

const getPolicies: Handler = (ctx) => json(200, [...guardian(ctx).policies]);
const getMessageTypes: Handler = (ctx) => json(200, { message_types: [...guardian(ctx).phoneMessageTypes] });
const getSmsTemplates: Handler = (ctx) => json(200, { ...guardian(ctx).smsTemplates });

export const guardianRoutes: Route[] = [
  ...readWrite('/api/v2/guardian/policies', getPolicies, putPolicies),
  { method: 'GET', pattern: '/api/v2/guardian/factors', handler: listFactors },
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
    stringSettings(['from', 'messaging_service_sid', 'auth_token', 'sid']),
  ),
  ...providerRoutes('/api/v2/guardian/factors/push-notification/selected-provider', 'pushSelectedProvider', [
    'guardian',
    'sns',
    'direct',
  ]),
  ...settingsRoutes(
    '/api/v2/prompts/mfa-push',
    'pushCustomApp',
    stringSettings(['app_name', 'apple_app_link', 'google_app_link']),
    { method: 'PATCH', merge: true },
  ),
  ...readWrite('/api/v2/guardian/factors/push-notification/providers/apns', getApns, putApns, [
    'PUT',
    'PATCH',
  ]),
  // FCM credentials are written (PUT) and never read back: Auth0 serves no GET for them.
  ...settingsRoutes(
    '/api/v2/guardian/factors/push-notification/providers/fcm',
    'fcm',
    stringSettings(['server_key']),
    {
      hide: ['server_key'],
      writeOnly: true,
    },
  ),
  ...settingsRoutes(
    '/api/v2/guardian/factors/push-notification/providers/fcmv1',
    'fcmv1',
    stringSettings(['server_credentials']),
    { hide: ['server_credentials'], writeOnly: true },
  ),
  ...settingsRoutes(
    '/api/v2/guardian/factors/push-notification/providers/sns',
    'sns',
    stringSettings([
      'aws_access_key_id',
      'aws_secret_access_key',
      'aws_region',
      'sns_apns_platform_application_arn',
      'sns_gcm_platform_application_arn',
    ]),
    { hide: ['aws_secret_access_key'] },
  ),
  ...settingsRoutes('/api/v2/guardian/factors/duo/settings', 'duo', stringSettings(['ikey', 'skey', 'host'])),
  ...webauthnRoutes(
    '/api/v2/guardian/factors/webauthn-roaming/settings',
    'webauthnRoaming',
    webauthnSettings({ userVerification: z.enum(['discouraged', 'preferred', 'required']).optional() }),
  ),
  ...webauthnRoutes(
    '/api/v2/guardian/factors/webauthn-platform/settings',
    'webauthnPlatform',
    webauthnSettings({}),
  ),
  { method: 'PUT', pattern: '/api/v2/guardian/factors/{name}', handler: putFactor },
];
