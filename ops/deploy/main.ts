// `npm run deploy -- <env> [--report FILE]`: synth, plan (holding the state lock), report what
// will change, then apply exactly that saved plan. A plan made stale by another apply in between is
// refused by Terraform ("Saved plan is stale"), never applied.
// Exit 0 deployed (or nothing to do), 1 failed.
import { Command } from 'commander';
import { renderPlanFailure, renderPlanReport } from '../plan/render';
import { summarizePlan } from '../plan/summary';
import { say, writeReport } from '../stack-command/output';
import {
  deployStack,
  errorText,
  type StackCommandOptions,
  stackCommand,
  withCommandStack,
} from '../stack-command/pipeline';

interface DeployOptions extends StackCommandOptions {
  lockTimeout: string;
}

async function deploy(environment: string, options: DeployOptions): Promise<number> {
  try {
    return await withCommandStack(environment, { ...options, reportOnStdout: false }, async (stack) => {
      const { plan, applied } = await deployStack(stack, {
        lockTimeout: options.lockTimeout,
        text: true,
        beforeApply: (changes) => say(`deploy: ${environment}: applying ${changes} resource change(s)`),
      });
      const summary = summarizePlan(plan.json);
      // Rendered once, from what happened: never a finished report edited afterwards.
      writeReport(
        renderPlanReport(summary, {
          environment,
          stackName: stack.stackName,
          ...(applied
            ? { fullPlan: plan.text, lead: `**Deployed:** ${summary.changes.length} resource(s).` }
            : {}),
        }),
        options,
      );
      say(`deploy: ${environment}: ${applied ? 'applied' : 'nothing to change'}`);
      return 0;
    });
  } catch (error) {
    const text = errorText(error);
    writeReport(renderPlanFailure(environment, text, 2, 'deploy'), options);
    say(`deploy: ${environment}: ${text}`);
    return 1;
  }
}

export function program(): Command {
  return stackCommand(
    new Command('deploy').description('synth, plan and apply one environment'),
    'write the Markdown report of what was deployed here',
    deploy,
  ).option('--lock-timeout <duration>', 'wait this long for the state lock (0s: fail at once)', '5m');
}

if (require.main === module) {
  program()
    .parseAsync()
    .catch((error: unknown) => {
      say(`deploy: ${errorText(error)}`);
      process.exit(1);
    });
}
