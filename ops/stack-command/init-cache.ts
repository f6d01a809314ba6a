// `terraform init` once per Terraform block. Every command synthesizes into a fresh folder, and an init
// there costs about a third of a no-change plan (it hashes the 50 MB provider for the lock file). What
// init writes is the same for the same `terraform` block (required providers, backend), Terraform
// binary, CLI configuration and provider mirror: the lock file, the backend's settings in
// .terraform/terraform.tfstate, and a link to the provider in the mirror. The first init of each is kept
// in dist/terraform-init/<key>/ (private, like what Terraform writes here) and copied into later stack
// folders; a change to any of those makes a new key, and so a real init. Only for the local backend:
// init of a remote one (pg) connects to it, and a bad connection string is to fail there, as before.
// Every state path makes its own key (each e2e run, each environment), so entries are pruned: an entry's
// mtime is when it was last used, and only the most recently used ones are kept (see pruneInitCache).
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';
import { type RunOptions, type RunResult, terraform, toolEnv } from './terraform';

const CACHE = join(PROJECT_ROOT, 'dist', 'terraform-init');
/** What init writes into a stack folder. */
const INIT_OUTPUT = ['.terraform.lock.hcl', '.terraform'];
/** Settings that change what init does or where it writes: with any of them set, init always runs. */
const INIT_VARIABLES = [
  'TF_DATA_DIR',
  'TF_PLUGIN_CACHE_DIR',
  'TF_CLI_ARGS',
  'TF_CLI_ARGS_init',
  'TF_WORKSPACE',
];

/** Kept at most: a few environments and Terraform versions in use at once, not every e2e run's state path. */
export const KEEP_AT_MOST = 16;
/** An entry not used for this long goes, however few there are. */
export const UNUSED_FOR_MS = 30 * 24 * 3600 * 1000;
/** A half-written or half-removed folder left by a process that died: surely abandoned after this. */
const ABANDONED_AFTER_MS = 3600 * 1000;
const ENTRY = /^[0-9a-f]{32}$/;

/** Size and mtime of every file under `dir` (the provider mirror), sorted. */
function fingerprintTree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .sort()
    .map((file) => {
      const stat = statSync(join(dir, file));
      return `${file}:${stat.isFile() ? `${stat.size}:${stat.mtimeMs}` : 'dir'}`;
    });
}

function initKey(dir: string, env: NodeJS.ProcessEnv): string | undefined {
  if (INIT_VARIABLES.some((name) => env[name])) return undefined;
  const tools = toolEnv();
  const cliConfig = readFileSync(tools.TF_CLI_CONFIG_FILE, 'utf8');
  const mirrors = [...cliConfig.matchAll(/path\s*=\s*"([^"]+)"/g)].map((match) => match[1]);
  const binary = statSync(tools.TERRAFORM_BINARY_NAME);
  const block = (
    JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as {
      terraform?: { backend?: Record<string, unknown> };
    }
  ).terraform;
  // A remote backend's init connects to it and checks the credentials: that check stays where it was.
  if (Object.keys(block?.backend ?? {}).some((type) => type !== 'local')) return undefined;
  return createHash('sha256')
    .update(
      JSON.stringify({
        block,
        binary: [tools.TERRAFORM_BINARY_NAME, binary.size, binary.mtimeMs],
        cliConfig,
        mirrors: mirrors.map((mirror) => [mirror, fingerprintTree(mirror)]),
      }),
    )
    .digest('hex')
    .slice(0, 32);
}

function copyInitOutput(from: string, to: string): void {
  // Links stay links: the provider is a link into the mirror.
  for (const name of INIT_OUTPUT) {
    cpSync(join(from, name), join(to, name), { recursive: true, verbatimSymlinks: true });
  }
}

/** Keeps what a successful init wrote, whole or not at all (a folder renamed into place). */
function keep(dir: string, cache: string, key: string): void {
  const kept = join(cache, key);
  if (existsSync(kept)) return;
  mkdirSync(cache, { recursive: true, mode: 0o700 });
  const temporary = `${kept}.${process.pid}.tmp`;
  try {
    mkdirSync(temporary, { mode: 0o700 });
    copyInitOutput(dir, temporary);
    renameSync(temporary, kept);
  } catch {
    // Another command kept the same init meanwhile, or the cache is not writable: init just runs next time.
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

/** Pruning never fails a command: what cannot go now (another pruner is removing it too) goes next time. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {}
}

/**
 * Takes an entry out of its key at once (a rename: of two commands discarding it, one wins and the other
 * finds nothing), then removes it; no command starts copying a half-removed entry.
 */
function discard(cache: string, name: string): void {
  const removing = join(cache, `${name}.${process.pid}.pruned`);
  try {
    renameSync(join(cache, name), removing);
  } catch {
    return; // another command took it first
  }
  removeQuietly(removing);
}

/**
 * Removes the entries of `cache` not used within `unusedForMs`, and beyond the `keepAtMost` most recently
 * used, and what dead processes left half-done. Safe beside other commands (see discard): a command that
 * was already copying an entry sees the copy fail, and runs init itself.
 */
export function pruneInitCache(
  cache: string,
  { now = Date.now(), keepAtMost = KEEP_AT_MOST, unusedForMs = UNUSED_FOR_MS } = {},
): void {
  let names: string[];
  try {
    names = readdirSync(cache);
  } catch {
    return; // no cache yet
  }
  const lastUsed = (name: string) => statSync(join(cache, name), { throwIfNoEntry: false })?.mtimeMs;
  const entries = names
    .filter((name) => ENTRY.test(name))
    .map((name) => ({ name, used: lastUsed(name) }))
    .filter((entry): entry is { name: string; used: number } => entry.used !== undefined)
    .sort((a, b) => b.used - a.used);
  const stale = entries.filter((entry, rank) => rank >= keepAtMost || now - entry.used > unusedForMs);
  for (const { name } of stale) discard(cache, name);
  for (const name of names.filter((name) => !ENTRY.test(name))) {
    const used = lastUsed(name);
    if (used !== undefined && now - used > ABANDONED_AFTER_MS) {
      removeQuietly(join(cache, name));
    }
  }
}

/**
 * Copies a kept init into `dir` and marks the entry used. False if it is gone (pruned meanwhile) or
 * broken: then `dir` is left as synthesized, and a broken entry is discarded, so that this init keeps a
 * whole one.
 */
function reuse(cache: string, key: string, dir: string): boolean {
  const entry = join(cache, key);
  try {
    const now = new Date();
    utimesSync(entry, now, now);
  } catch {
    // A cache this user may read but not write is still reused (and never pruned by it).
  }
  try {
    copyInitOutput(entry, dir);
    return true;
  } catch {
    for (const name of INIT_OUTPUT) rmSync(join(dir, name), { recursive: true, force: true });
    discard(cache, key);
    return false;
  }
}

/**
 * `terraform init` in a freshly synthesized stack folder, or a copy of what it wrote for the same
 * Terraform block before. Returns Terraform's result, or a successful one for a copy.
 */
export async function initStack(
  dir: string,
  { cache = CACHE, ...options }: RunOptions & { cache?: string } = {},
): Promise<RunResult> {
  const key = initKey(dir, { ...process.env, ...options.env });
  if (key && existsSync(join(cache, key)) && reuse(cache, key, dir)) {
    pruneInitCache(cache);
    const note = `terraform init: reused ${join(cache, key)} (the same Terraform block, binary and provider mirror)\n`;
    if (options.echo) process.stderr.write(note);
    return { code: 0, stdout: note, stderr: '' };
  }
  const result = await terraform(dir, ['init', '-input=false', '-no-color'], options);
  if (key && result.code === 0) {
    keep(dir, cache, key);
    pruneInitCache(cache);
  }
  return result;
}
