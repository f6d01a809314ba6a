// The post-login pipeline: the bound Actions in binding order, each in its own worker, each seeing
// what the earlier ones changed (metadata in event.user, claims, MFA), all within the flow's time
// limit (Auth0: each execution of a flow must complete in 20 seconds).
import type { JsonMap } from '../tenant/model';
import type { WireFlowState } from './protocol';
import type { ActionWorkers } from './workers';

export const FLOW_TIME_LIMIT_MS = 20_000;

export interface PipelineAction {
  versionId: string;
  name: string;
  runtime: string;
  code: string;
  secrets: Record<string, string>;
  /** The key of the version's installed dependencies in the dependency cache, when it has any. */
  installedDependencies?: string;
}

export interface PipelineFailure {
  action: string;
  kind: 'error' | 'timeout';
  message: string;
}

export interface PipelineResult {
  state: WireFlowState;
  actionsRun: string[];
  logs: string[];
  failure?: PipelineFailure;
}

export interface PipelineInput {
  actions: PipelineAction[];
  state: WireFlowState;
  /** The event for one Action, from the current state (metadata changed by earlier Actions). */
  event(state: WireFlowState, secrets: Record<string, string>): JsonMap;
  timeLimitMs?: number;
}

export async function runPostLoginPipeline(
  workers: ActionWorkers,
  input: PipelineInput,
): Promise<PipelineResult> {
  const deadline = Date.now() + (input.timeLimitMs ?? FLOW_TIME_LIMIT_MS);
  const result: PipelineResult = { state: input.state, actionsRun: [], logs: [] };
  for (const action of input.actions) {
    const outcome = await workers.run({
      versionId: action.versionId,
      runtime: action.runtime,
      name: action.name,
      code: action.code,
      installedDependencies: action.installedDependencies,
      event: input.event(result.state, action.secrets),
      state: result.state,
      timeoutMs: Math.max(1, deadline - Date.now()),
    });
    result.actionsRun.push(action.name);
    result.logs.push(...outcome.logs.map((line) => `[${action.name}] ${line}`));
    if (outcome.kind === 'timeout') {
      result.failure = { action: action.name, kind: 'timeout', message: 'Script execution time exceeded' };
      break;
    }
    result.state = outcome.state;
    if (outcome.kind === 'failed') {
      result.failure = { action: action.name, kind: 'error', message: outcome.error.message };
      break;
    }
    if (result.state.denied || result.state.redirect) break;
  }
  return result;
}
