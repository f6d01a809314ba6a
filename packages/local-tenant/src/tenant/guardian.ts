// Guardian rules: which policies exist and which factors could challenge a user right now.
import { FACTOR_NAMES, type FactorName, type GuardianData, type Immutable } from './model';

/** Auth0's MFA policies; "never" is the empty list. */
export const POLICIES = ['all-applications', 'confidence-score'] as const;

export function isFactorName(name: string): name is FactorName {
  return (FACTOR_NAMES as readonly string[]).includes(name);
}

/** Names of the factors a user could be challenged with right now. */
export function enabledFactors(data: Immutable<GuardianData>): FactorName[] {
  return FACTOR_NAMES.filter((name) => data.factors[name]);
}
