// The environments the workflows name must be the ones config/ has: every config/<env>.json but
// local.json (the local tenant's) is planned on pull requests, checked for drift and deployed.
// `npm run check:environments` (in .ci/run and the pull-request workflow) fails naming each list
// that differs, so adding config/staging.json cannot silently go unplanned and undeployed.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { LOCAL_ENVIRONMENT } from '../../ops/stack-command/local-environment';
import { PROJECT_ROOT } from '../../src/paths';

interface Workflow {
  jobs?: Record<string, { strategy?: { matrix?: { environment?: unknown } }; steps?: { run?: string }[] }>;
}

export function configEnvironments(configDir: string): string[] {
  return readdirSync(configDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => basename(f, '.json'))
    .filter((name) => name !== LOCAL_ENVIRONMENT)
    .sort();
}

function readWorkflow(dir: string, file: string): Workflow {
  return parse(readFileSync(join(dir, file), 'utf8')) as Workflow;
}

function matrix(workflow: Workflow, job: string): string[] {
  const list = workflow.jobs?.[job]?.strategy?.matrix?.environment;
  return Array.isArray(list) ? list.map(String).sort() : [];
}

/** Each list of environments in the workflows, named by where it is. */
export function workflowLists(workflowDir: string): Record<string, string[]> {
  const pr = readWorkflow(workflowDir, 'pull-request.yml');
  const drift = readWorkflow(workflowDir, 'drift.yml');
  const deploy = readWorkflow(workflowDir, 'deploy.yml');
  const issueRuns = (drift.jobs?.issue?.steps ?? []).map((s) => s.run ?? '').join('\n');
  const issueList = /drift-issue\.sh\s+([a-z0-9,-]+)/.exec(issueRuns)?.[1] ?? '';
  return {
    'pull-request.yml: jobs.plan.strategy.matrix.environment': matrix(pr, 'plan'),
    'drift.yml: jobs.check.strategy.matrix.environment': matrix(drift, 'check'),
    'drift.yml: jobs.issue: the list given to drift-issue.sh': issueList.split(',').filter(Boolean).sort(),
    'deploy.yml: the deploy-<env> jobs': Object.keys(deploy.jobs ?? {})
      .filter((job) => job.startsWith('deploy-'))
      .map((job) => job.slice('deploy-'.length))
      .sort(),
  };
}

/** What differs between config/ and each list; empty when they agree. */
export function environmentProblems(configDir: string, workflowDir: string): string[] {
  const expected = configEnvironments(configDir);
  const problems: string[] = [];
  for (const [where, list] of Object.entries(workflowLists(workflowDir))) {
    const missing = expected.filter((e) => !list.includes(e));
    const extra = list.filter((e) => !expected.includes(e));
    if (missing.length > 0)
      problems.push(
        `${where}: add ${missing.join(', ')} (config/ has ${missing.map((m) => `${m}.json`).join(', ')})`,
      );
    if (extra.length > 0) problems.push(`${where}: remove ${extra.join(', ')} (no such config/<env>.json)`);
  }
  return problems;
}

if (require.main === module) {
  // The committed config/ (not $CONFIG_DIR): what the workflows must name.
  const committed = join(PROJECT_ROOT, 'config');
  const problems = environmentProblems(committed, join(PROJECT_ROOT, '.github', 'workflows'));
  if (problems.length > 0) {
    console.error(
      `check:environments: the workflows do not name the environments config/ has (.github/CI.md, "Environments"):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    process.exit(1);
  }
  console.log(
    `check:environments: the workflows name ${configEnvironments(committed).join(', ')}, as config/ does`,
  );
}
