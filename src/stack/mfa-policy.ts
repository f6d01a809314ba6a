// The tenant-wide MFA policy ("never": nobody is forced by the tenant) and the factors that the
// post-login Action can challenge with.
import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { Guardian } from '../../.gen/providers/auth0/guardian';
import type { EnvironmentConfig } from '../config/schema';
import type { Factor } from '../config/vocabulary';
import { literal } from './terraform-literal';

export interface MfaPolicyProps {
  mfa: EnvironmentConfig['mfa'];
  /** Take over the tenant's existing guardian settings instead of creating them blindly. */
  adopt: boolean;
}

/** Duo's secret key is a sensitive variable (TF_VAR_duo_secret_key), never configuration. */
function duoSecretKey(scope: Construct): string {
  const variable = new TerraformVariable(scope, 'duo_secret_key', {
    type: 'string',
    sensitive: true,
    nullable: false,
    description: 'Duo secret key of the duo factor (set TF_VAR_duo_secret_key)',
  });
  variable.overrideLogicalId('duo_secret_key');
  return variable.stringValue;
}

export class MfaPolicy extends Construct {
  readonly guardian: Guardian;

  constructor(scope: Construct, id: string, { mfa, adopt }: MfaPolicyProps) {
    super(scope, id);
    const on = (factor: Factor) => mfa.factors.includes(factor);
    this.guardian = new Guardian(this, 'guardian', {
      policy: 'never',
      otp: on('otp'),
      email: on('email'),
      recoveryCode: on('recovery_code'),
      webauthnRoaming: { enabled: on('webauthn_roaming') },
      webauthnPlatform: { enabled: on('webauthn_platform') },
      push: on('push') ? { enabled: true, provider: 'guardian' } : { enabled: false },
      phone: on('phone')
        ? {
            enabled: true,
            provider: literal(mfa.phone?.provider ?? 'auth0'),
            messageTypes: (mfa.phone?.messageTypes ?? ['sms']).map(literal),
          }
        : { enabled: false },
      duo:
        on('duo') && mfa.duo
          ? {
              enabled: true,
              hostname: literal(mfa.duo.hostname),
              integrationKey: literal(mfa.duo.integrationKey),
              secretKey: duoSecretKey(this),
            }
          : { enabled: false },
    });
    // The guardian resource is a singleton; its import id is not looked up.
    if (adopt) this.guardian.importFrom('guardian');
  }
}
