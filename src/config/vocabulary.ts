// The names the configuration, the constructs, the Action's types and the tools share, each written once.
// The lists are `as const` so that zod's enums and the TypeScript types come from the same values. The Action
// imports only types from here (its build strips them, and it may require nothing at run time).

/** The metadata field that holds the flag. The Action restates it with this constant's type, so they cannot differ. */
export const FLAG = 'use_mfa';

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

/** The metadata the stack and the mfa tool write the flag to: "either" writes app_metadata, which users cannot edit. */
export function flagWrittenTo(flagSource: FlagSource): 'user_metadata' | 'app_metadata' {
  return flagSource === 'user_metadata' ? 'user_metadata' : 'app_metadata';
}

/** The providers api.multifactor.enable accepts (besides "none", which would turn MFA off). */
export const MFA_PROVIDERS = ['any', 'guardian', 'google-authenticator', 'duo'] as const;
export type MfaProvider = (typeof MFA_PROVIDERS)[number];

/** The factor types api.authentication.challengeWithAny takes, with the Guardian factor each one needs. */
export const CHALLENGE_FACTORS = {
  otp: 'otp',
  email: 'email',
  'webauthn-roaming': 'webauthn_roaming',
  'webauthn-platform': 'webauthn_platform',
  phone: 'phone',
  'push-notification': 'push',
  'recovery-code': 'recovery_code',
} as const satisfies Record<string, Factor>;
export type ChallengeFactor = keyof typeof CHALLENGE_FACTORS;
export const CHALLENGE_FACTOR_TYPES = Object.keys(CHALLENGE_FACTORS) as [
  ChallengeFactor,
  ...ChallengeFactor[],
];

export const PHONE_PROVIDERS = ['auth0', 'twilio', 'phone-message-hook'] as const;
export const PHONE_MESSAGE_TYPES = ['sms', 'voice'] as const;
/** Push through Auth0's Guardian app, or through the tenant's own app over Amazon SNS. */
export const PUSH_PROVIDERS = ['guardian', 'sns'] as const;
export const WEBAUTHN_USER_VERIFICATION = ['discouraged', 'preferred', 'required'] as const;
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
