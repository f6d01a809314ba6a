// The `mfa` block of an environment's configuration: the factors, how the Action challenges, for which
// applications, and the settings some factors need. Secrets (Duo secret key, Twilio auth token, SNS keys) are
// never here: they are sensitive Terraform variables (TF_VAR_...), see src/stack/mfa-policy.ts.
import { z } from 'zod';
import {
  CHALLENGE_FACTOR_TYPES,
  CHALLENGE_FACTORS,
  FACTORS,
  type Factor,
  MFA_PROVIDERS,
  PHONE_MESSAGE_TYPES,
  PHONE_PROVIDERS,
  PUSH_PROVIDERS,
  WEBAUTHN_USER_VERIFICATION,
} from './vocabulary';

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;
const CLIENT_ID = /^[A-Za-z0-9_-]{1,128}$/;

const clientIds = z
  .array(z.string().regex(CLIENT_ID, 'must be an application (client) id, as shown in the Dashboard'))
  .min(1, { error: 'lists no application' });

const twilio = z.strictObject({
  sid: z.string().regex(/^AC[0-9a-f]{32}$/i, 'must be a Twilio account SID: AC and 32 hex digits'),
  from: z
    .string()
    .regex(/^\+[1-9]\d{1,14}$/, 'must be a phone number in E.164 form, e.g. +14155550100')
    .optional(),
  messagingServiceSid: z
    .string()
    .regex(/^MG[0-9a-f]{32}$/i, 'must be a Twilio messaging service SID: MG and 32 hex digits')
    .optional(),
});

const snsArn = z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:app\/.+$/, {
  error: 'must be the ARN of an SNS platform application (arn:aws:sns:<region>:<account>:app/...)',
});

export const mfaSchema = z
  .strictObject({
    factors: z
      .array(z.enum(FACTORS, { error: `unknown factor; expected one of ${FACTORS.join(', ')}` }))
      .default(['otp']),
    provider: z.enum(MFA_PROVIDERS).default('any'),
    allowRememberBrowser: z.boolean().default(false),
    challenge: z
      .union(
        [
          z.literal('any'),
          z
            .array(
              z.enum(CHALLENGE_FACTOR_TYPES, {
                error: `unknown factor type; expected one of ${CHALLENGE_FACTOR_TYPES.join(', ')}`,
              }),
            )
            .min(1, { error: 'lists no factor: use "any" or at least one factor type' }),
        ],
        { error: `must be "any" or a list of factor types (${CHALLENGE_FACTOR_TYPES.join(', ')})` },
      )
      .default('any'),
    applications: z
      .strictObject({ only: clientIds.optional(), except: clientIds.optional() })
      .refine((scope) => (scope.only === undefined) !== (scope.except === undefined), {
        error:
          'give either "only" (MFA for these applications) or "except" (MFA for all but these), not both',
      })
      .optional(),
    phone: z
      .strictObject({
        // Absent: the tenant's own. Under Auth0's Phone Consolidated Experience (the default for new tenants) the
        // provider is set in the tenant's phone settings, and the auth0 provider refuses one here.
        provider: z.enum(PHONE_PROVIDERS).optional(),
        messageTypes: z.array(z.enum(PHONE_MESSAGE_TYPES)).min(1).default(['sms']),
        twilio: twilio.optional(),
      })
      .optional(),
    push: z
      .strictObject({
        provider: z.enum(PUSH_PROVIDERS).default('guardian'),
        sns: z
          .strictObject({
            region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1'),
            apnsPlatformApplicationArn: snsArn,
            gcmPlatformApplicationArn: snsArn,
          })
          .optional(),
      })
      .optional(),
    duo: z.strictObject({ hostname: z.string().min(1), integrationKey: z.string().min(1) }).optional(),
    webauthnRoaming: z
      .strictObject({
        relyingParty: z
          .string()
          .regex(HOST_NAME, 'must be a domain name (the Relying Party identifier)')
          .optional(),
        userVerification: z.enum(WEBAUTHN_USER_VERIFICATION).optional(),
      })
      .optional(),
    webauthnPlatform: z
      .strictObject({
        relyingParty: z
          .string()
          .regex(HOST_NAME, 'must be a domain name (the Relying Party identifier)')
          .optional(),
      })
      .optional(),
  })
  .superRefine((mfa, ctx) => {
    const problem = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const { factors } = mfa;
    if (factors.length === 0) {
      problem(['factors'], 'enables no factor: api.multifactor.enable would have nothing to challenge with');
    }
    factors.forEach((factor, i) => {
      if (factors.indexOf(factor) !== i) problem(['factors', i], `"${factor}" is listed twice`);
    });

    // Settings of a factor that is off would be silently ignored: a typo until proven otherwise.
    const settingsOf: Array<[keyof typeof mfa, Factor]> = [
      ['phone', 'phone'],
      ['push', 'push'],
      ['duo', 'duo'],
      ['webauthnRoaming', 'webauthn_roaming'],
      ['webauthnPlatform', 'webauthn_platform'],
    ];
    for (const [block, factor] of settingsOf) {
      if (mfa[block] !== undefined && !factors.includes(factor)) {
        problem([block], `configures the ${factor} factor, which mfa.factors does not enable`);
      }
    }
    if (factors.includes('duo') && !mfa.duo) problem(['duo'], 'is required when the duo factor is enabled');
    if (mfa.provider === 'duo' && !factors.includes('duo'))
      problem(['provider'], '"duo" needs the duo factor enabled');

    if (mfa.phone?.provider === 'twilio' && !mfa.phone.twilio) {
      problem(
        ['phone', 'twilio'],
        'is required with provider "twilio": the account SID ("sid") and "from" or "messagingServiceSid" (the auth token comes from TF_VAR_twilio_auth_token)',
      );
    }
    if (mfa.phone?.twilio && mfa.phone.provider !== 'twilio') {
      problem(['phone', 'twilio'], 'applies only with provider "twilio"');
    }
    if (
      mfa.phone?.twilio &&
      (mfa.phone.twilio.from === undefined) === (mfa.phone.twilio.messagingServiceSid === undefined)
    ) {
      problem(['phone', 'twilio'], 'give either "from" (a phone number) or "messagingServiceSid", not both');
    }
    if (mfa.push?.provider === 'sns' && !mfa.push.sns) {
      problem(
        ['push', 'sns'],
        'is required with provider "sns": region and the APNs and GCM platform application ARNs (the AWS keys come from TF_VAR_sns_aws_access_key_id and TF_VAR_sns_aws_secret_access_key)',
      );
    }
    if (mfa.push?.sns && mfa.push.provider !== 'sns')
      problem(['push', 'sns'], 'applies only with provider "sns"');

    if (mfa.challenge !== 'any') {
      const listed = mfa.challenge;
      listed.forEach((type, i) => {
        if (listed.indexOf(type) !== i) problem(['challenge', i], `"${type}" is listed twice`);
        const factor = CHALLENGE_FACTORS[type];
        if (!factors.includes(factor)) {
          problem(
            ['challenge', i],
            `"${type}" needs the ${factor} factor, which mfa.factors does not enable`,
          );
        }
      });
      // challengeWithAny has neither a provider nor a remember-browser option.
      if (mfa.provider !== 'any')
        problem(['provider'], 'applies only with challenge "any" (api.multifactor.enable)');
      if (mfa.allowRememberBrowser) {
        problem(['allowRememberBrowser'], 'applies only with challenge "any" (api.multifactor.enable)');
      }
    }
  });

export type MfaConfig = z.output<typeof mfaSchema>;
