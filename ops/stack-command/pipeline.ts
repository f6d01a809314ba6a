// Synth, init and plan one environment with the project's runner (ops/stack-command/terraform.ts), and read
// the plan back as JSON and as text. The plan file holds secrets in clear (seed passwords): it lives
// in a private temporary folder that `cleanup` removes.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { EnvironmentConfig } from '../../src/config/schema';
import { checkCredentials, checkStateBackend, loadEnvironment } from './environment';
import { initStack } from './init-cache';
import { privateFolder } from './interrupts';
import { provideLocalSecrets } from './local-environment';
import { type PlanJson, parsePlanJson } from './plan-json';
import { humanLine, type PlanStream, readPlanStream } from './plan-stream';
import { recoverOrphans } from './recover';
import { scrub } from './scrub';
import { type RunResult, stackDir, synth, terraform } from './terraform';

export class PipelineError extends Error {
  constructor(
    message: string,
    /** Terraform's own output, without colours. */
    readonly output = '',
  ) {
    super(message);
    this.name = 'PipelineError';
  }
}

const LOCK_ERROR = 'Error acquiring the state lock';

const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** Terraform's output as a report may show it: no colours, no credential. */
function clean(text: string): string {
  return scrub(text.replace(ANSI_COLOUR, '').trim());
}

function failed(what: string, result: RunResult): PipelineError {
  const output = clean(`${result.stderr}\n${result.stdout}`);
  const hint = output.includes(LOCK_ERROR)
    ? '\nAnother plan or apply holds the state lock; try again when it is done (or raise --lock-timeout).'
    : '';
  return new PipelineError(`${what} failed (exit ${result.code})${hint}`, output);
}

export interface StackOptions {
  environment: string;
  /** Keep the synthesized stack here (default: a temporary folder removed by cleanup). */
  outdir?: string;
  /** Config folder (default: the project's config/, or CONFIG_DIR). */
  configDir?: string;
  /** Echo Terraform's output (to stderr) as it runs. */
  echo?: boolean;
}

export interface PreparedStack {
  environment: string;
  /** The environment's configuration, as the synth read it. */
  config: EnvironmentConfig;
  stackName: string;
  dir: string;
  /** A private folder for plan files. */
  work: string;
  echo: boolean;
  cleanup(): void;
}

/** Synthesizes the environment and runs `terraform init` in its stack folder. */
export async function prepareStack(options: StackOptions): Promise<PreparedStack> {
  const { environment } = options;
  // Before anything is synthesized or initialized: a bad file or a refused backend changes nothing.
  const config = loadEnvironment(environment, options.configDir);
  checkStateBackend(config);
  checkCredentials(config);
  provideLocalSecrets(config);
  const { stackName } = config;
  const { path: work, remove: cleanup } = privateFolder(`${stackName}-`);
  const outdir = options.outdir ? resolve(options.outdir) : join(work, 'out');
  try {
    try {
      await synth({ outdir, loaded: [config] });
    } catch (error) {
      throw new PipelineError(`synth of ${environment} failed`, clean((error as Error).message));
    }
    const dir = stackDir(outdir, stackName);
    if (!existsSync(join(dir, 'cdk.tf.json'))) throw new PipelineError(`synth wrote no ${dir}/cdk.tf.json`);
    const echo = options.echo ?? false;
    const init = await initStack(dir, { echo });
    if (init.code !== 0) throw failed(`terraform init (${stackName})`, init);
    return { environment, config: config.config, stackName, dir, work, echo, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}

/** Runs `work` on the prepared stack and always removes its temporary folder afterwards. */
export async function withStack<T>(
  options: StackOptions,
  work: (stack: PreparedStack) => Promise<T>,
): Promise<T> {
  const stack = await prepareStack(options);
  try {
    return await work(stack);
  } finally {
    stack.cleanup();
  }
}

/** The options every stack command (plan, drift, deploy) takes, in one place. */
export interface StackCommandOptions {
  report?: string;
  outdir?: string;
  configDir?: string;
  stepSummary?: boolean;
  quiet?: boolean;
}

/**
 * withStack for a command's options. Terraform's output is echoed (to stderr) unless --quiet, or unless
 * stdout carries the report (`reportOnStdout`, and no --report file).
 */
export function withCommandStack<T>(
  environment: string,
  options: StackCommandOptions & { reportOnStdout: boolean },
  work: (stack: PreparedStack) => Promise<T>,
): Promise<T> {
  const { outdir, configDir, quiet, report, reportOnStdout } = options;
  const echo = !quiet && !(reportOnStdout && report === undefined);
  return withStack({ environment, outdir, configDir, echo }, work);
}

/**
 * A command on one environment (plan, drift, deploy): the options every stack command takes, and the exit
 * code that `run` returns.
 */
export function stackCommand<O extends StackCommandOptions>(
  command: Command,
  reportHelp: string,
  run: (environment: string, options: O) => Promise<number>,
): Command {
  return command
    .argument('<environment>', 'config/<environment>.json')
    .option('--report <file>', reportHelp)
    .option('--outdir <dir>', 'synthesize into this folder (default: a temporary one)')
    .option('--config-dir <dir>', 'configuration folder (default: config/ or $CONFIG_DIR)')
    .option('--step-summary', 'also append the report to $GITHUB_STEP_SUMMARY')
    .option('--quiet', "do not echo Terraform's output")
    .action(async (environment: string, options: O) => {
      process.exitCode = await run(environment, options);
    });
}

export interface PlanOptions {
  /** false: -lock=false, so that a preview never blocks a deploy (plan writes no state). */
  lock?: boolean;
  lockTimeout?: string;
  /** Also read the plan as people read it (`terraform show PLANFILE`), for a report's full plan. */
  text?: boolean;
}

/** A saved plan as `terraform plan -json` itself told of it, before anything reads it back. */
interface PlanRun {
  file: string;
  /** terraform plan -detailed-exitcode said 2: there is something to apply. */
  changes: boolean;
  stream: PlanStream;
}

export interface Plan extends PlanRun {
  json: PlanJson;
  /** `terraform show PLANFILE`, when asked for (or echoed) and something was planned or drifted. */
  text?: string;
}

/**
 * What `terraform show -json` holds, for the parts the reports read, when the plan's own stream said there is
 * nothing: exit 0 (no change to any resource or output) and no resource drifted.
 */
function emptyPlanJson(terraformVersion: string | undefined): PlanJson {
  return {
    format_version: '1.2',
    terraform_version: terraformVersion,
    resource_changes: [],
    resource_drift: [],
  };
}

async function runPlan(stack: PreparedStack, options: PlanOptions): Promise<PlanRun> {
  const file = join(stack.work, 'tfplan');
  const args = ['plan', '-json', '-input=false', '-detailed-exitcode', `-out=${file}`];
  if (options.lock === false) args.push('-lock=false');
  if (options.lockTimeout) args.push(`-lock-timeout=${options.lockTimeout}`);
  const result = await terraform(stack.dir, args, { echo: stack.echo, echoAs: humanLine });
  const stream = readPlanStream(result.stdout);
  if (result.code !== 0 && result.code !== 2) {
    throw failed(`terraform plan (${stack.stackName})`, { ...result, stdout: stream.text });
  }
  return { file, changes: result.code === 2, stream };
}

/** The saved plan as JSON and, when wanted, as text: nothing to run when the stream said nothing is in it. */
async function readPlan(stack: PreparedStack, run: PlanRun, options: PlanOptions): Promise<Plan> {
  const { file, changes, stream } = run;
  if (!changes && stream.drifted.length === 0) {
    return { ...run, json: emptyPlanJson(stream.terraformVersion) };
  }
  const wantText = changes && (options.text || stack.echo);
  const [json, shown] = await Promise.all([
    terraform(stack.dir, ['show', '-json', file]),
    wantText ? terraform(stack.dir, ['show', '-no-color', file]) : undefined,
  ]);
  if (json.code !== 0) throw failed(`terraform show -json (${stack.stackName})`, json);
  if (shown && shown.code !== 0) throw failed(`terraform show (${stack.stackName})`, shown);
  const text = shown ? scrub(`\n${shown.stdout.trim()}\n`) : undefined;
  if (text && stack.echo) process.stdout.write(text);
  return { ...run, json: parsePlanJson(JSON.parse(json.stdout)), text };
}

/**
 * Objects created from nothing, as the stream tells (an import or a replacement is not "create"): what
 * orphan recovery looks for in the tenant first. recover.ts's `creates` reads the same from the JSON.
 */
function createsAnything(run: PlanRun): boolean {
  return run.stream.planned.some((change) => change.action === 'create');
}

/** Resource changes, as the report counts them: not the data sources read, not what stays as it is. */
function changeCount(run: PlanRun): number {
  return run.stream.planned.filter((change) => change.action !== 'read' && change.action !== 'noop').length;
}

/** The plan read back, and made again with imports when what it creates already exists (./recover). */
async function planFrom(stack: PreparedStack, run: PlanRun, options: PlanOptions): Promise<Plan> {
  return recoverOrphans(stack, await readPlan(stack, run, options), () => planStack(stack, options));
}

export async function planStack(stack: PreparedStack, options: PlanOptions = {}): Promise<Plan> {
  return planFrom(stack, await runPlan(stack, options), options);
}

async function applyPlan(
  stack: PreparedStack,
  file: string,
  options: { lockTimeout?: string; echoTo?: (text: string) => void },
): Promise<void> {
  const args = ['apply', '-input=false', '-no-color'];
  if (options.lockTimeout) args.push(`-lock-timeout=${options.lockTimeout}`);
  args.push(file);
  const result = await terraform(stack.dir, args, { echo: stack.echo, echoTo: options.echoTo });
  if (result.code !== 0) throw failed(`terraform apply (${stack.stackName})`, result);
}

/** A read-back that failed after the saved plan was applied: the report must not suggest nothing changed. */
function afterApply(error: unknown): never {
  if (error instanceof PipelineError) {
    throw new PipelineError(`${error.message}, after the saved plan was applied`, error.output);
  }
  throw error;
}

/**
 * Echo held back until released: what the apply prints while the plan is still read back comes after the
 * plan's own text, as a person reads them.
 */
function heldEcho() {
  let held: string[] | undefined = [];
  return {
    write(text: string) {
      if (held) held.push(text);
      else process.stdout.write(text);
    },
    release() {
      for (const text of held ?? []) process.stdout.write(text);
      held = undefined;
    },
  };
}

export interface Deployment {
  plan: Plan;
  /** Whether the saved plan was applied (false: there was nothing to change). */
  applied: boolean;
}

/**
 * Plans holding the state lock and applies exactly that saved plan, when it has changes: what
 * `npm run deploy` and `npm start` do. A plan made stale by another apply in between is refused by
 * Terraform ("Saved plan is stale"), never applied. When the plan creates nothing (so there is no
 * orphan to look for first), the saved plan is applied while it is read back for the report.
 */
export async function deployStack(
  stack: PreparedStack,
  options: { lockTimeout?: string; text?: boolean; beforeApply?: (changes: number) => void } = {},
): Promise<Deployment> {
  const planOptions = { lock: true, lockTimeout: options.lockTimeout, text: options.text };
  const run = await runPlan(stack, planOptions);
  if (!run.changes) return { plan: await readPlan(stack, run, planOptions), applied: false };
  if (createsAnything(run)) {
    const plan = await planFrom(stack, run, planOptions);
    if (!plan.changes) return { plan, applied: false };
    options.beforeApply?.(changeCount(plan));
    await applyPlan(stack, plan.file, options);
    return { plan, applied: true };
  }
  options.beforeApply?.(changeCount(run));
  const echo = heldEcho();
  // Both settle before anything is reported (or the plan's folder removed); the apply's failure comes first.
  const [applied, read] = await Promise.allSettled([
    applyPlan(stack, run.file, { lockTimeout: options.lockTimeout, echoTo: echo.write }),
    readPlan(stack, run, planOptions).finally(() => echo.release()),
  ]);
  if (applied.status === 'rejected') throw applied.reason;
  if (read.status === 'rejected') afterApply(read.reason);
  return { plan: read.value, applied: true };
}

/** A failure's message with Terraform's output, for a report. */
export function errorText(error: unknown): string {
  if (error instanceof PipelineError)
    return error.output ? `${error.message}\n\n${error.output}` : error.message;
  return error instanceof Error ? error.message : String(error);
}
