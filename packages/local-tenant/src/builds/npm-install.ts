// One run of the real npm CLI that installs an Action's dependencies into a folder, as Auth0's build
// does: production dependencies only, from the chosen registry, with install scripts off (nothing an
// npm package ships runs on this machine at build time).
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dependency } from './registry';

const NPM_TIMEOUT_MS = 5 * 60_000;
const NPM_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export interface NpmInstallRequest {
  /** An empty folder: package.json, package-lock.json and node_modules are written there. */
  dir: string;
  /** Exact versions, one per package name. */
  dependencies: Dependency[];
  registry: string;
  signal?: AbortSignal;
}

/** npm's settings from the caller's environment (npm run sets npm_config_workspace, _global, ...) would
 *  change what this install does; only where npm keeps its cache and the user's .npmrc are kept. */
function npmEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== 'INIT_CWD') env[key] = value;
  }
  for (const key of ['npm_config_cache', 'npm_config_userconfig']) {
    if (process.env[key]) env[key] = process.env[key];
  }
  return env;
}

/** npm's own error lines, without its log-file pointers and generic advice: what a person needs to fix the build. */
function npmErrorSummary(stderr: string): string {
  const lines = stderr
    .split('\n')
    .filter((line) => /^npm (error|ERR!)/.test(line))
    .map((line) =>
      line
        .replace(/^npm (error|ERR!)\s*/, '')
        .replace(/^\d{3}\s{2,}/, '')
        .trim(),
    )
    .filter((line) => line && !/^\d+$/.test(line))
    .filter(
      (line) =>
        !/log of this run|_logs\/|Note that you can also install|tarball, folder, http url/.test(line),
    );
  const summary = [...new Set(lines)].join(' | ');
  return summary.length > 600 ? `${summary.slice(0, 600)}…` : summary;
}

/** Why the npm run failed, from execFile's error. Output beyond maxBuffer is told by its code, checked
 *  before `killed` (which the timeout sets), since Node's own message for it names no limit. */
export function npmFailure(
  error: Error & { code?: unknown; killed?: boolean },
  stderr: string,
  aborted: boolean,
): string {
  if (error.code === 'ENOENT') return 'npm was not found on PATH (the build installs with the npm CLI)';
  if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
    return `npm install was stopped: it wrote more than ${NPM_MAX_OUTPUT_BYTES / (1024 * 1024)} MiB of output`;
  if (error.killed && !aborted) return `npm install did not finish within ${NPM_TIMEOUT_MS / 1000} s`;
  return npmErrorSummary(stderr) || error.message;
}

/** Installs the dependencies with npm; resolves with undefined, or with why npm failed. */
export function npmInstall(request: NpmInstallRequest): Promise<string | undefined> {
  const manifest = {
    name: 'auth0-action-dependencies',
    private: true,
    dependencies: Object.fromEntries(request.dependencies.map((d) => [d.name, d.version])),
  };
  writeFileSync(join(request.dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const args = [
    'install',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
    '--omit=dev',
    '--no-update-notifier',
    '--no-progress',
    '--prefix',
    request.dir,
    '--registry',
    request.registry,
  ];
  return new Promise((resolve) => {
    execFile(
      'npm',
      args,
      {
        cwd: request.dir,
        env: npmEnvironment(),
        timeout: NPM_TIMEOUT_MS,
        maxBuffer: NPM_MAX_OUTPUT_BYTES,
        signal: request.signal,
      },
      (error, _stdout, stderr) => {
        resolve(error ? npmFailure(error, String(stderr), request.signal?.aborted ?? false) : undefined);
      },
    );
  });
}
