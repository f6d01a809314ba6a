// Which factors a login's MFA request allows: the Action's provider or challengeWith/enrollWith
// choice, narrowed to the factors the tenant enables (guardian settings), and which of them the local
// tenant can actually perform (otp, email, recovery-code; not sms, push, webauthn or duo).
import type { JsonMap } from '../tenant/model';

/** Factors this tenant can challenge with, most preferred first. */
export const LOCAL_FACTORS = ['otp', 'email', 'recovery-code'] as const;
export type LocalFactor = (typeof LOCAL_FACTORS)[number];

// What each provider of api.multifactor.enable may use (Auth0: any = every enabled factor).
const PROVIDER_FACTORS: Record<string, string[] | 'all'> = {
  any: 'all',
  guardian: ['push-notification', 'otp', 'sms'],
  'google-authenticator': ['otp'],
  duo: ['duo'],
};

// Factor types of api.authentication.challengeWith/enrollWith, as guardian factor names.
const FACTOR_TYPE_NAMES: Record<string, string> = {
  otp: 'otp',
  email: 'email',
  phone: 'sms',
  'push-notification': 'push-notification',
  'recovery-code': 'recovery-code',
  'webauthn-platform': 'webauthn-platform',
  'webauthn-roaming': 'webauthn-roaming',
};

export interface MfaAsk {
  provider: string;
  options?: JsonMap;
}

function types(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map(
    (f) =>
      FACTOR_TYPE_NAMES[String((f as { type?: unknown })?.type)] ?? String((f as { type?: unknown })?.type),
  );
}

/** Guardian factor names the request asks for, before the tenant's settings narrow them. */
function requested(ask: MfaAsk): string[] | 'all' {
  const o = ask.options ?? {};
  if (typeof o.challengeWith === 'string') {
    return [FACTOR_TYPE_NAMES[o.challengeWith] ?? o.challengeWith, ...types(o.additionalFactors)];
  }
  if (o.challengeWithAny !== undefined) return types(o.challengeWithAny);
  if (typeof o.enrollWith === 'string') return [FACTOR_TYPE_NAMES[o.enrollWith] ?? o.enrollWith];
  if (o.enrollWithAny !== undefined) return types(o.enrollWithAny);
  return PROVIDER_FACTORS[ask.provider] ?? [];
}

export type FactorChoice = { ok: true; factors: LocalFactor[] } | { ok: false; reason: string };

/** The local factors a login may use; a reason when none can be (nothing enabled, or only factors this tenant cannot do). */
export function allowedFactors(ask: MfaAsk, enabled: readonly string[]): FactorChoice {
  const wanted = requested(ask);
  const usable = wanted === 'all' ? [...enabled] : wanted.filter((f) => enabled.includes(f));
  if (usable.length === 0) {
    return {
      ok: false,
      reason: `MFA was required (provider ${ask.provider}) but no matching factor is enabled on the tenant`,
    };
  }
  const local = LOCAL_FACTORS.filter((f) => usable.includes(f));
  if (local.length === 0) {
    return {
      ok: false,
      reason: `the local tenant cannot perform the factors this login allows: ${usable.join(', ')}`,
    };
  }
  return { ok: true, factors: local };
}
