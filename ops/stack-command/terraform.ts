// Runs the synth and Terraform (or OpenTofu) the way the project's scripts, e2e tests and CI do:
// offline, with the provider from the .tools/ mirror built by scripts/provider/install.sh.
// Interrupts and temporary files are handled in ./interrupts: children are stopped gracefully
// and private folders removed on every way out.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Environment } from '../../src/config/load';
import { configFolder, PROJECT_ROOT } from '../../src/paths';
import { interruptedNote, refuseIfInterrupted, track } from './interrupts';
import { scrubbingWriter } from './scrub';

const TOOL_ENV_FILE = join(PROJECT_ROOT, '.tools', 'env.sh');

export class PrerequisiteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrerequisiteError';
  }
}

/** The variables .tools/env.sh exports (TERRAFORM_BINARY_NAME, TF_CLI_CONFIG_FILE, ...). */
export function toolEnv(): Record<string, string> {
  if (!existsSync(TOOL_ENV_FILE)) {
    throw new PrerequisiteError(
      `${TOOL_ENV_FILE} is missing: the provider mirror and Terraform/OpenTofu are not set up. Run \`npm run provider:install\` (needs Go, or terraform on PATH).`,
    );
  }
  const env: Record<string, string> = {};
  for (const line of readFileSync(TOOL_ENV_FILE, 'utf8').split('\n')) {
    const match = line.match(/^export ([A-Z_]+)="(.*)"$/);
    if (match) env[match[1]] = match[2].replace(/\$PATH/g, process.env.PATH ?? '');
  }
  const binary = env.TERRAFORM_BINARY_NAME;
  if (!binary || !existsSync(binary)) {
    throw new PrerequisiteError(
      `${binary || 'TERRAFORM_BINARY_NAME'} not found: run \`npm run provider:install\` again.`,
    );
  }
  return env;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Echo output as it comes (for long runs a person watches). */
  echo?: boolean;
  /** How each line of stdout is echoed (default: as it is). */
  echoAs?: (line: string) => string;
  /** Where stdout is echoed (default: this process's stdout). */
  echoTo?: (text: string) => void;
}

export function run(
  command: string,
  args: string[],
  {
    cwd = PROJECT_ROOT,
    env = {},
    echo = false,
    echoAs,
    echoTo = (text) => process.stdout.write(text),
  }: RunOptions = {},
) {
  return new Promise<RunResult>((resolve, reject) => {
    refuseIfInterrupted(command);
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // A process group of its own: a Ctrl+C in the terminal reaches this process only, which passes
      // it on exactly once (a second SIGINT makes Terraform quit at once, without saving state).
      detached: true,
    });
    const untrack = track(child);
    let stdout = '';
    let stderr = '';
    // What is echoed is scrubbed of credentials line by line; what is returned is scrubbed by its user.
    const out = scrubbingWriter(echoTo, undefined, echoAs);
    const err = scrubbingWriter((text) => process.stderr.write(text));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (echo) out.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
      if (echo) err.write(chunk);
    });
    child.on('error', (error) => {
      untrack();
      reject(error);
    });
    child.on('close', (code) => {
      untrack();
      out.flush();
      err.flush();
      const note = interruptedNote();
      if (note && echo) process.stderr.write(`${note}\n`);
      resolve({ code: code ?? 1, stdout, stderr: note ? `${stderr}\n${note}\n` : stderr });
    });
  });
}

export interface SynthOptions {
  outdir: string;
  configDir?: string;
  environments?: string[];
  /** Environments the caller has loaded and checked already: synthesized as they are, not read again. */
  loaded?: Environment[];
}

/**
 * Synthesizes in this process what `npm run synth` does in its own (src/app.ts): starting Node and loading
 * the configuration again would cost more than the synth. cdktf is loaded on the first call only. A
 * configuration or Action source error is thrown with its message alone; anything else with its stack.
 */
export async function synth({ outdir, configDir, environments, loaded }: SynthOptions): Promise<void> {
  const { isUserInputError, synthesize, synthesizeEnvironments } = await import('../../src/app');
  try {
    if (loaded) synthesizeEnvironments(loaded, outdir);
    else synthesize({ outdir, configDir: configFolder(configDir), environments });
  } catch (error) {
    const detail = isUserInputError(error) ? error.message : ((error as Error).stack ?? String(error));
    throw new Error(`synth failed:\n${detail}`);
  }
}

export function stackDir(outdir: string, stackName: string): string {
  return join(outdir, 'stacks', stackName);
}

/**
 * Runs the Terraform binary in a synthesized stack's folder; never interactive. Under umask 077, so
 * that what it writes (plan files, local state: both hold the seed passwords) is readable by the
 * owner only.
 */
export function terraform(dir: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const tools = toolEnv();
  return run('/bin/sh', ['-c', 'umask 077 && exec "$0" "$@"', tools.TERRAFORM_BINARY_NAME, ...args], {
    ...options,
    cwd: dir,
    env: { ...tools, TF_IN_AUTOMATION: '1', TF_INPUT: '0', ...options.env },
  });
}

/** Like terraform(), but a non-zero exit (other than those allowed) is an error carrying the output. */
export async function terraformOk(
  dir: string,
  args: string[],
  options: RunOptions & { allowedCodes?: number[] } = {},
): Promise<RunResult> {
  const result = await terraform(dir, args, options);
  if (![0, ...(options.allowedCodes ?? [])].includes(result.code)) {
    throw new Error(
      `terraform ${args.join(' ')} failed (exit ${result.code}) in ${dir}:\n${result.stderr}${result.stdout}`,
    );
  }
  return result;
}
