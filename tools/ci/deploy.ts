// `npm run deploy -- <env> [--report FILE]`: synth, plan (holding the state lock), report what
// will change, then apply exactly that saved plan. A plan made stale by another apply in between is
// refused by Terraform ("Saved plan is stale"), never applied.
// Exit 0 deployed (or nothing to do), 1 failed.
import { appendFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { applyPlan, errorText, planStack, prepareStack } from '../plan-report/pipeline';
import { renderPlanFailure, renderPlanReport } from '../plan-report/render';
import { summarizePlan } from '../plan-report/summary';

interface DeployOptions {
  report?: string;
  outdir?: string;
  configDir?: string;
  lockTimeout: string;
  stepSummary?: boolean;
  quiet?: boolean;
}

function write(options: DeployOptions, text: string): void {
  if (options.report) writeFileSync(options.report, text);
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (options.stepSummary && summary) appendFileSync(summary, `${text}\n`);
}

async function deploy(environment: string, options: DeployOptions): Promise<number> {
  let stack: Awaited<ReturnType<typeof prepareStack>> | undefined;
  try {
    stack = await prepareStack({
      environment,
      outdir: options.outdir,
      configDir: options.configDir,
      echo: !options.quiet,
    });
    const plan = await planStack(stack, { lock: true, lockTimeout: options.lockTimeout });
    const summary = summarizePlan(plan.json);
    if (!plan.changes) {
      write(options, renderPlanReport(summary, { environment, stackName: stack.stackName }));
      console.error(`deploy: ${environment}: nothing to change`);
      return 0;
    }
    const report = renderPlanReport(summary, {
      environment,
      stackName: stack.stackName,
      fullPlan: plan.text,
      lead: `**Deploying:** ${summary.changes.length} resource(s).`,
    });
    await applyPlan(stack, plan, { lockTimeout: options.lockTimeout });
    write(options, report.replace('**Deploying:**', '**Deployed:**'));
    console.error(`deploy: ${environment}: applied`);
    return 0;
  } catch (error) {
    const text = errorText(error);
    write(options, renderPlanFailure(environment, text).replace('The plan failed', 'The deploy failed'));
    console.error(`deploy: ${environment}: ${text}`);
    return 1;
  } finally {
    stack?.cleanup();
  }
}

export function program(): Command {
  return new Command('deploy')
    .description('synth, plan and apply one environment')
    .argument('<environment>', 'config/<environment>.json')
    .option('--report <file>', 'write the Markdown report of what was deployed here')
    .option('--outdir <dir>', 'synthesize into this folder (default: a temporary one)')
    .option('--config-dir <dir>', 'configuration folder (default: config/ or $CONFIG_DIR)')
    .option('--lock-timeout <duration>', 'wait this long for the state lock (0s: fail at once)', '5m')
    .option('--step-summary', 'also append the report to $GITHUB_STEP_SUMMARY')
    .option('--quiet', "do not echo Terraform's output")
    .action(async (environment: string, options: DeployOptions) => {
      process.exitCode = await deploy(environment, options);
    });
}

if (require.main === module) {
  program()
    .parseAsync()
    .catch((error: unknown) => {
      console.error(`deploy: ${errorText(error)}`);
      process.exit(1);
    });
}
