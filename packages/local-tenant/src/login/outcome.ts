// What the post-login Actions decided, for the real logins (auth/login-flow.ts, Actions in workers)
// and the sandbox simulator (simulate.ts) alike: an Action that failed ends the login, then a
// denial, then MFA, asked for by an Action's api.multifactor.enable (provider `none`: no MFA) or,
// when no Action asked, by the tenant's policy `all-applications`; otherwise the login completes.
import type { JsonMap } from '../tenant/model';
import type { MfaRequest } from './api';

export interface MfaDemand {
  ask: { provider: string; options?: JsonMap };
  /** The Action that asked, or `policy`. */
  requestedBy: string;
}

export function mfaDemand(mfa: MfaRequest | undefined, policy: string | undefined): MfaDemand | undefined {
  if (mfa) {
    if (mfa.provider === 'none') return undefined;
    return { ask: { provider: mfa.provider, options: mfa.options }, requestedBy: mfa.action };
  }
  return policy === 'all-applications' ? { ask: { provider: 'any' }, requestedBy: 'policy' } : undefined;
}

export type FlowDecision =
  | { kind: 'failed'; message: string }
  | { kind: 'denied'; reason: string }
  | { kind: 'mfa'; demand: MfaDemand }
  | { kind: 'complete' };

export interface FlowResult {
  /** An Action threw or ran out of time (or could not run). */
  failure?: { message: string };
  denied?: { reason: string };
  mfa?: MfaRequest;
}

export function decideFlow(result: FlowResult, policy: string | undefined): FlowDecision {
  if (result.failure) return { kind: 'failed', message: result.failure.message };
  if (result.denied) return { kind: 'denied', reason: result.denied.reason };
  const demand = mfaDemand(result.mfa, policy);
  return demand ? { kind: 'mfa', demand } : { kind: 'complete' };
}
