// The Node runtimes Actions run in, installed once (idempotent: nothing to do when present).
import { ensureNodeRuntime, NODE_RUNTIME_VERSIONS } from '../src/actions-runtime/runtimes';

export default function globalSetup(): void {
  for (const major of Object.keys(NODE_RUNTIME_VERSIONS)) ensureNodeRuntime(Number(major));
}
