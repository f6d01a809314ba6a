// The names the configuration, the constructs, the Action's types and the tools share, each written once.
// The lists are `as const` so that zod's enums and the TypeScript types come from the same values. The Action
// imports only types from here (its build strips them); its flag field, FLAG, is defined in the Action itself,
// which reads it at run time.

/** Guardian factors, as the configuration names them. */
export const FACTORS = [
  'otp',
  'email',
  'recovery_code',
  'webauthn_roaming',
  'webauthn_platform',
  'push',
  'phone',
  'duo',
] as const;
export type Factor = (typeof FACTORS)[number];

/** Where the Action reads the flag: users can edit their own user_metadata, not app_metadata. */
export const FLAG_SOURCES = ['user_metadata', 'app_metadata', 'either'] as const;
export type FlagSource = (typeof FLAG_SOURCES)[number];

/** The providers api.multifactor.enable accepts (besides "none", which would turn MFA off). */
export const MFA_PROVIDERS = ['any', 'guardian', 'google-authenticator', 'duo'] as const;
export type MfaProvider = (typeof MFA_PROVIDERS)[number];

export const PHONE_PROVIDERS = ['auth0', 'twilio', 'phone-message-hook'] as const;
export const PHONE_MESSAGE_TYPES = ['sms', 'voice'] as const;
export const ACTION_RUNTIMES = ['node18', 'node22'] as const;
/** trigger-actions owns the whole post-login list; trigger-action only appends our Action. */
export const BINDING_MODES = ['trigger-actions', 'trigger-action'] as const;

/** Environment names become stack names, folder names and CLI arguments: keep them plain. */
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,30}$/;
export const ENVIRONMENT_NAME_RULE = 'must be lower-case letters, digits and dashes, starting with a letter';

/** The stack (and cdktf.out/stacks folder) of an environment. */
export function stackName(environment: string): string {
  return `auth0-${environment}`;
}
