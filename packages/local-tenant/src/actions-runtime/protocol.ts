// The messages between the tenant and an Action worker (JSON over the child's IPC channel).
import type { FlowState } from '../login/api';
import type { JsonMap } from '../tenant/model';

/** The flow state an Action reads and changes, without its cache (which lives in the worker). */
export type WireFlowState = Omit<FlowState, 'cache'>;

export interface RunRequest {
  kind: 'run';
  id: number;
  /** The Action's name, for logs and stack traces. */
  name: string;
  code: string;
  event: JsonMap;
  state: WireFlowState;
}

export type RunReply =
  | { kind: 'done'; id: number; ran: boolean; state: WireFlowState; logs: string[] }
  | {
      kind: 'failed';
      id: number;
      error: { name: string; message: string };
      state: WireFlowState;
      logs: string[];
    };

export type WorkerMessage = RunReply | { kind: 'ready'; node: string };
