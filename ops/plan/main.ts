// `npm run plan -- <env> [--report FILE]`: synth, plan and the reviewer's Markdown report of one
// environment. `npm run plan:comment -- FILE... --out FILE`: the one pull-request comment.
// `npm run plan:report -- PLAN.json [--text PLAN.txt]`: the report of a saved `terraform show -json`.
//
// Exit codes of `plan`: 0 planned (1 on failure; with --detailed-exitcode, 2 when there are changes).
// The report never holds a sensitive value; the plan file (which does) stays in a temporary folder.
import { readFileSync, writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { type ReportTargets, repeated, say, writeReportWithData } from '../stack-command/output';
import {
  errorText,
  planStack,
  type StackCommandOptions,
  stackCommand,
  withCommandStack,
} from '../stack-command/pipeline';
import { parsePlanJson } from '../stack-command/plan-json';
import { PrerequisiteError } from '../stack-command/terraform';
import { type PlanSection, renderComment, renderPlanReport, renderSection } from './render';
import { summarizePlan } from './summary';

function output(file: string | undefined, text: string): void {
  if (file) writeFileSync(file, text);
  else process.stdout.write(text);
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

interface PlanCommandOptions extends StackCommandOptions {
  lock: boolean;
  lockTimeout?: string;
  fullPlan: boolean;
  maxPlanChars: number;
  detailedExitcode?: boolean;
}

/** The report in Markdown, and beside it (FILE.json) the data the comment is rendered from. */
function writeSection(section: PlanSection, targets: ReportTargets): void {
  writeReportWithData(renderSection(section), section, targets);
}

/** A section written by `plan --report`, or an error naming the file. */
function readSection(file: string): PlanSection {
  const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<PlanSection>;
  if (data?.kind !== 'auth0-mfa-plan' || typeof data.environment !== 'string') {
    throw new Error(
      `${file}: not the data of a plan report (write it with \`npm run plan -- ENV --report FILE.md\`, which puts FILE.json beside it)`,
    );
  }
  return data as PlanSection;
}

async function planCommand(environment: string, options: PlanCommandOptions): Promise<number> {
  try {
    return await withCommandStack(environment, { ...options, reportOnStdout: true }, async (stack) => {
      const plan = await planStack(stack, {
        lock: options.lock,
        lockTimeout: options.lockTimeout,
        text: options.fullPlan,
      });
      writeSection(
        {
          kind: 'auth0-mfa-plan',
          environment,
          stackName: stack.stackName,
          summary: summarizePlan(plan.json),
          fullPlan: options.fullPlan ? plan.text : undefined,
          maxFullPlanChars: options.maxPlanChars,
        },
        { ...options, stdout: true },
      );
      say(
        `plan: ${environment}: ${plan.changes ? 'changes' : 'no changes'}${options.report ? ` (report in ${options.report})` : ''}`,
      );
      return options.detailedExitcode && plan.changes ? 2 : 0;
    });
  } catch (error) {
    const text = errorText(error);
    // The failure is reported where the plan would have been, so the comment says which env failed.
    writeSection({ kind: 'auth0-mfa-plan', environment, error: text }, options);
    say(`plan: ${environment}: ${error instanceof PrerequisiteError ? error.message : text}`);
    return 1;
  }
}

export function program(): Command {
  const cli = new Command('plan-report').description(
    'Plans of the Auth0 MFA stacks, summarized for reviewers',
  );
  stackCommand(
    cli
      .command('plan', { isDefault: true })
      .description('synthesize, init and plan one environment; write the Markdown report'),
    'write the report here (default: stdout)',
    planCommand,
  )
    .option(
      '--lock',
      'take the state lock while planning (default: -lock=false; a plan writes no state)',
      false,
    )
    .option('--lock-timeout <duration>', 'with --lock: wait this long for the lock, e.g. 2m')
    .option('--no-full-plan', 'leave the folded `terraform show` text out')
    .option('--max-plan-chars <n>', 'cut the full plan text to this length', positive, 30_000)
    .option('--detailed-exitcode', 'exit 2 when the plan has changes');
  cli
    .command('comment')
    .description('gather environment reports into the one pull-request comment (with its marker)')
    .argument('[reports...]', 'the .json files `plan --report FILE.md` writes beside each report')
    .option('--out <file>', 'write the comment body here (default: stdout)')
    .option('--title <text>', 'heading', 'Auth0 MFA plan')
    .option('--context <line>', 'a line under the heading (repeatable)', repeated, [])
    .action((reports: string[], options: { out?: string; title: string; context: string[] }) => {
      const sections = reports.map(readSection);
      output(options.out, renderComment(sections, { title: options.title, context: options.context }));
    });
  cli
    .command('report')
    .description('the report of a saved `terraform show -json PLANFILE` output')
    .argument('<plan-json>', 'file with the JSON')
    .option('--text <file>', '`terraform show PLANFILE` text to fold in')
    .option('--environment <name>', 'environment name for the heading', 'plan')
    .option('--out <file>', 'write here (default: stdout)')
    .action((file: string, options: { text?: string; environment: string; out?: string }) => {
      const plan = parsePlanJson(JSON.parse(readFileSync(file, 'utf8')));
      const fullPlan = options.text ? readFileSync(options.text, 'utf8') : undefined;
      output(
        options.out,
        renderPlanReport(summarizePlan(plan), { environment: options.environment, fullPlan }),
      );
    });
  return cli;
}

if (require.main === module) {
  program()
    .parseAsync()
    .catch((error: unknown) => {
      say(`plan-report: ${errorText(error)}`);
      process.exit(1);
    });
}
