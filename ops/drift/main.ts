// `npm run drift -- <env> [--report FILE]`: plan with -detailed-exitcode and report what drifted.
// Exit 0 in sync, 2 drift, 1 error (the report then says why).
// `npm run drift:issue -- REPORT... --out BODY`: the body of the one drift issue, and on stdout a
// JSON line {title, drift, error, clean, fingerprint} for the workflow that opens/updates/closes it.
import { readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { type ReportTargets, repeated, say, writeReportWithData } from '../stack-command/output';
import {
  errorText,
  PipelineError,
  planStack,
  type StackCommandOptions,
  stackCommand,
  withCommandStack,
} from '../stack-command/pipeline';
import {
  type DriftReport,
  driftFailure,
  driftReport,
  EXIT,
  fingerprintOf,
  readDriftReport,
  renderDriftReport,
  renderIssue,
  summarizeDrift,
} from './drift';

interface DriftOptions extends StackCommandOptions {
  fullPlan: boolean;
}

/** The Markdown report, and beside it (FILE.json) the data the drift issue is rendered from. */
function writeDriftReport(report: DriftReport, targets: ReportTargets): void {
  writeReportWithData(renderDriftReport(report), report, targets);
}

async function driftCommand(environment: string, options: DriftOptions): Promise<number> {
  try {
    return await withCommandStack(environment, { ...options, reportOnStdout: true }, async (stack) => {
      // -lock=false: a check writes no state and must not block a deploy.
      const plan = await planStack(stack, { lock: false, text: options.fullPlan });
      const summary = summarizeDrift(plan.json, plan.changes);
      const report = driftReport(summary, {
        environment,
        stackName: stack.stackName,
        fullPlan: options.fullPlan ? plan.text : undefined,
      });
      writeDriftReport(report, { ...options, stdout: true });
      if (summary.status === 'drift') {
        const what = [...new Set([...summary.drifted, ...summary.pending])];
        say(`drift: ${environment}: DRIFT in ${what.length} resource(s): ${what.join(', ')}`);
      } else {
        say(`drift: ${environment}: in sync`);
      }
      return EXIT[summary.status];
    });
  } catch (error) {
    const text = errorText(error);
    writeDriftReport(driftFailure(environment, text), options);
    say(`drift: ${environment}: check failed: ${error instanceof PipelineError ? error.message : text}`);
    return EXIT.error;
  }
}

interface IssueOptions {
  out: string;
  previous?: string;
  environments?: string;
  context: string[];
}

export function program(): Command {
  const cli = new Command('drift').description('Drift checks of the Auth0 MFA stacks');
  stackCommand(
    cli
      .command('check', { isDefault: true })
      .description('plan one environment with -detailed-exitcode; exit 0 in sync, 2 drift, 1 error'),
    'write the Markdown report here (default: stdout)',
    driftCommand,
  ).option('--no-full-plan', 'leave the folded `terraform show` text out');
  cli
    .command('issue')
    .description('the one drift issue: body to --out, a JSON line with the decision inputs to stdout')
    .argument('[reports...]', 'the .json files `drift ENV --report FILE.md` writes beside each report')
    .requiredOption('--out <file>', 'write the issue body here')
    .option('--previous <file>', "the open issue's current body, to tell whether what drifted changed")
    .option(
      '--environments <list>',
      'environments that were checked (comma-separated): a missing report is a failed check',
    )
    .option('--context <line>', 'a line under the summary (repeatable)', repeated, [])
    .action((reports: string[], options: IssueOptions) => {
      const read = reports.map((file) => readDriftReport(readFileSync(file, 'utf8'), file));
      const expected = options.environments?.split(',').filter(Boolean) ?? [];
      for (const environment of expected) {
        if (read.some((r) => r.environment === environment)) continue;
        read.push(driftFailure(environment, 'No report: the check job failed before the drift check ran.'));
      }
      const issue = renderIssue(read, options.context);
      writeFileSync(options.out, issue.body);
      const previous = options.previous ? fingerprintOf(readFileSync(options.previous, 'utf8')) : undefined;
      const { title, drift, error, clean, fingerprint } = issue;
      process.stdout.write(
        `${JSON.stringify({ title, drift, error, clean, fingerprint, changed: previous !== fingerprint })}\n`,
      );
    });
  return cli;
}

if (require.main === module) {
  program()
    .parseAsync()
    .catch((error: unknown) => {
      say(`drift: ${errorText(error)}`);
      process.exit(EXIT.error);
    });
}
