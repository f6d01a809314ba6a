// One Action worker: a Node process of the Action's runtime that loads the Action's deployed code
// as a real CommonJS module and runs onExecutePostLogin for each login the tenant sends it. Given the
// folder of the version's installed dependencies (argv[2]), the code's `require` and `import()` find
// them there and nothing above it (`require`: confineResolution below; `import()`: the resolve hook
// worker-boot.cjs registers, confine-imports.mjs). Started by ActionWorkers through worker-boot.cjs (tsx for this file only, so the
// Action's code gets plain Node); it shares no memory with the tenant: the event and the flow state
// come in over IPC and the changed state goes back. Module-level state and api.cache survive between
// logins, as in a warm Auth0 container.
import { createHash } from 'node:crypto';
import Module from 'node:module';
import { join, sep } from 'node:path';
import { format } from 'node:util';
import { createPostLoginApi, type FlowState } from '../login/api';
import type { JsonMap } from '../tenant/model';
import type { RunReply, RunRequest, WireFlowState } from './protocol';

const MODULES_ROOT = process.argv[2];
// The code is not a file; its name places it at the root of its installed dependencies, so that
// Node's own resolution (CommonJS and ESM) starts from their node_modules.
const ACTION_FILE = MODULES_ROOT ? join(MODULES_ROOT, 'index.js') : '/action/index.js';
const cache: FlowState['cache'] = new Map();
const loaded = new Map<string, Record<string, unknown>>();
let logs: string[] = [];

for (const level of ['log', 'info', 'debug', 'warn', 'error'] as const) {
  const prefix = level === 'warn' || level === 'error' ? `${level}: ` : '';
  console[level] = (...args: unknown[]) => logs.push(`${prefix}${format(...args)}`);
}

function load(code: string): Record<string, unknown> {
  const key = createHash('sha256').update(code).digest('hex');
  let exports = loaded.get(key);
  if (!exports) {
    // Real Node module semantics; the only node_modules searched is the version's own.
    const mod = new Module(ACTION_FILE) as Module & { _compile(code: string, file: string): void };
    mod.filename = ACTION_FILE;
    mod.paths = MODULES_ROOT ? [join(MODULES_ROOT, 'node_modules')] : [];
    mod._compile(code, ACTION_FILE);
    exports = mod.exports as Record<string, unknown>;
    loaded.set(key, exports);
  }
  return exports;
}

/**
 * Inside the installed dependencies, `require` stops at their root: Node would go on up the folders
 * (the tenant's directory, the repository) and find packages the Action never listed.
 */
function confineResolution(root: string): void {
  const modules = Module as unknown as { _nodeModulePaths(from: string): string[] };
  const nodeModulePaths = modules._nodeModulePaths.bind(Module);
  const inside = (path: string) => path === root || path.startsWith(root + sep);
  modules._nodeModulePaths = (from) => {
    const paths = nodeModulePaths(from);
    return inside(from) ? paths.filter(inside) : paths;
  };
}

if (MODULES_ROOT) confineResolution(MODULES_ROOT);

function wire(state: FlowState): WireFlowState {
  const { cache: _cache, ...rest } = state;
  return JSON.parse(JSON.stringify(rest));
}

function describe(error: unknown): { name: string; message: string } {
  if (error && typeof error === 'object' && 'message' in error) {
    const name = 'name' in error && typeof error.name === 'string' ? error.name : 'Error';
    return { name, message: String(error.message) };
  }
  return { name: 'Error', message: String(error) };
}

async function run(request: RunRequest): Promise<RunReply> {
  logs = [];
  const state: FlowState = { ...request.state, cache };
  const event = request.event as JsonMap & { user: JsonMap };
  try {
    const handler = load(request.code).onExecutePostLogin;
    if (typeof handler !== 'function')
      return { kind: 'done', id: request.id, ran: false, state: wire(state), logs };
    await handler(event, createPostLoginApi(state, request.name, event));
    return { kind: 'done', id: request.id, ran: true, state: wire(state), logs };
  } catch (error) {
    return { kind: 'failed', id: request.id, error: describe(error), state: wire(state), logs };
  }
}

process.on('message', (message: RunRequest) => {
  if (message?.kind !== 'run') return;
  run(message).then((reply) => process.send?.(reply));
});
// An Action that rejects outside the handler must not take the worker down silently.
process.on('unhandledRejection', (reason) =>
  logs.push(`error: unhandled rejection: ${describe(reason).message}`),
);
process.send?.({ kind: 'ready', node: process.version });
