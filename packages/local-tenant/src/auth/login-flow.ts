// What a login decides after the password: the bound post-login Actions run (in workers), their
// metadata changes are saved (with the login's statistics when it completes), and the outcome is a failure (denied, an Action failed, MFA impossible),
// an MFA step with the factors it may use, or a completed login (whose caller records the login).
import { type PipelineAction, runPostLoginPipeline } from '../actions-runtime/pipeline';
import type { WireFlowState } from '../actions-runtime/protocol';
import type { ActionWorkers } from '../actions-runtime/workers';
import { newWireFlowState } from '../login/api';
import { decideFlow } from '../login/outcome';
import type { LoginWrite } from '../login/write-back';
import type { JsonMap } from '../tenant/model';
import { allowedFactors, type LocalFactor } from './factors';

/** What the flow needs of the tenant, whatever stores it. */
export interface LoginTenant {
  /** The bound post-login Actions at their deployed versions, or the name of one that has none. */
  postLoginActions(): PipelineAction[] | { undeployed: string };
  enabledFactors(): string[];
  /** The tenant's MFA policy (`all-applications` forces MFA). */
  policy(): string | undefined;
  /** Writes a login's metadata changes and, once completed, its statistics to the user, in one update. */
  writeBack(userId: string, write: LoginWrite): void;
}

export interface FlowRequest {
  userId: string;
  blocked: boolean;
  protocol: string;
  userMetadata: JsonMap;
  appMetadata: JsonMap;
  /** Builds one Action's event from the current flow state. */
  event(state: WireFlowState, secrets: Record<string, string>): JsonMap;
  /** This browser passed MFA for this user before and asked to be remembered. */
  browserRemembered: boolean;
  timeLimitMs?: number;
}

export type FlowOutcome =
  | { kind: 'failed'; error: string; description: string; logs: string[] }
  | {
      kind: 'mfa';
      factors: LocalFactor[];
      allowRememberBrowser: boolean;
      state: WireFlowState;
      logs: string[];
    }
  /** The metadata changes in `state` are not saved yet: they go with the completed login's statistics. */
  | { kind: 'complete'; state: WireFlowState; logs: string[] };

export async function runLoginFlow(
  tenant: LoginTenant,
  workers: ActionWorkers,
  request: FlowRequest,
): Promise<FlowOutcome> {
  if (request.blocked)
    return { kind: 'failed', error: 'unauthorized', description: 'user is blocked', logs: [] };
  const actions = tenant.postLoginActions();
  if (!Array.isArray(actions)) {
    return {
      kind: 'failed',
      error: 'access_denied',
      description: `The bound action "${actions.undeployed}" has no deployed version`,
      logs: [],
    };
  }
  const result = await runPostLoginPipeline(workers, {
    actions,
    state: newWireFlowState(request.userMetadata, request.appMetadata),
    event: request.event,
    timeLimitMs: request.timeLimitMs,
  });
  const { state, logs } = result;
  const decision = decideFlow({ ...state, failure: result.failure }, tenant.policy());
  // As in Auth0, a failed Action's changes are not saved; the login fails with its message.
  if (decision.kind === 'failed')
    return { kind: 'failed', error: 'access_denied', description: decision.message, logs };
  // The Actions' metadata changes are saved now, unless the login completes: its caller then writes
  // them together with the login's statistics (one update).
  const saveMetadata = () => tenant.writeBack(request.userId, { metadata: state });
  if (decision.kind === 'denied') {
    saveMetadata();
    return { kind: 'failed', error: 'access_denied', description: decision.reason, logs };
  }
  if (decision.kind === 'complete') return { kind: 'complete', state, logs };
  const { ask } = decision.demand;
  const choice = allowedFactors(ask, tenant.enabledFactors());
  if (!choice.ok) {
    saveMetadata();
    return { kind: 'failed', error: 'access_denied', description: choice.reason, logs };
  }
  const allowRememberBrowser = ask.options?.allowRememberBrowser === true;
  if (allowRememberBrowser && request.browserRemembered) {
    return { kind: 'complete', state, logs };
  }
  saveMetadata();
  return { kind: 'mfa', factors: choice.factors, allowRememberBrowser, state, logs };
}
