// The tenant-wide MFA policy ("never": nobody is forced by the tenant) and the factors that the
// post-login Action can challenge with, with the provider settings some of them need.
import { Construct } from 'constructs';
import { Guardian, type GuardianPhone, type GuardianPush } from '../../.gen/providers/auth0/guardian';
import type { MfaConfig } from '../config/mfa-schema';
import type { Factor } from '../config/vocabulary';
import { sensitiveVariable } from './sensitive-variable';
import { literal } from './terraform-literal';

export interface MfaPolicyProps {
  mfa: MfaConfig;
  /** Take over the tenant's existing guardian settings instead of creating them blindly. */
  adopt: boolean;
}

function phoneSettings(scope: Construct, phone: MfaConfig['phone']): GuardianPhone {
  const { twilio } = phone ?? {};
  return {
    enabled: true,
    provider: phone?.provider === undefined ? undefined : literal(phone.provider),
    messageTypes: (phone?.messageTypes ?? ['sms']).map(literal),
    options: twilio && {
      sid: literal(twilio.sid),
      from: twilio.from === undefined ? undefined : literal(twilio.from),
      messagingServiceSid:
        twilio.messagingServiceSid === undefined ? undefined : literal(twilio.messagingServiceSid),
      authToken: sensitiveVariable(scope, 'twilio_auth_token', 'Twilio auth token of the phone factor'),
    },
  };
}

function pushSettings(scope: Construct, push: MfaConfig['push']): GuardianPush {
  const sns = push?.sns;
  return {
    enabled: true,
    provider: literal(push?.provider ?? 'guardian'),
    amazonSns: sns && {
      awsRegion: literal(sns.region),
      snsApnsPlatformApplicationArn: literal(sns.apnsPlatformApplicationArn),
      snsGcmPlatformApplicationArn: literal(sns.gcmPlatformApplicationArn),
      awsAccessKeyId: sensitiveVariable(scope, 'sns_aws_access_key_id', 'AWS access key id for SNS push'),
      awsSecretAccessKey: sensitiveVariable(
        scope,
        'sns_aws_secret_access_key',
        'AWS secret access key for SNS push',
      ),
    },
  };
}

/** A Relying Party of our own only when one is configured; Auth0's default (the tenant's domain) otherwise. */
function relyingParty(settings: { relyingParty?: string } | undefined) {
  return settings?.relyingParty === undefined
    ? {}
    : { overrideRelyingParty: true, relyingPartyIdentifier: literal(settings.relyingParty) };
}

export class MfaPolicy extends Construct {
  readonly guardian: Guardian;

  constructor(scope: Construct, id: string, { mfa, adopt }: MfaPolicyProps) {
    super(scope, id);
    const on = (factor: Factor) => mfa.factors.includes(factor);
    const roaming = mfa.webauthnRoaming;
    this.guardian = new Guardian(this, 'guardian', {
      policy: 'never',
      otp: on('otp'),
      email: on('email'),
      recoveryCode: on('recovery_code'),
      webauthnRoaming: on('webauthn_roaming')
        ? {
            enabled: true,
            ...relyingParty(roaming),
            userVerification: roaming?.userVerification && literal(roaming.userVerification),
          }
        : { enabled: false },
      webauthnPlatform: on('webauthn_platform')
        ? { enabled: true, ...relyingParty(mfa.webauthnPlatform) }
        : { enabled: false },
      push: on('push') ? pushSettings(this, mfa.push) : { enabled: false },
      // No message types for a phone factor that is off: the provider reads `[]` back, and left unset (null in
      // the state) every later plan would report the guardian as drifted.
      phone: on('phone') ? phoneSettings(this, mfa.phone) : { enabled: false, messageTypes: [] },
      duo:
        on('duo') && mfa.duo
          ? {
              enabled: true,
              hostname: literal(mfa.duo.hostname),
              integrationKey: literal(mfa.duo.integrationKey),
              secretKey: sensitiveVariable(this, 'duo_secret_key', 'Duo secret key of the duo factor'),
            }
          : { enabled: false },
    });
    // The guardian resource is a singleton; its import id is not looked up.
    if (adopt) this.guardian.importFrom('guardian');
  }
}
