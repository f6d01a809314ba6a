// The workflows' environment lists against config/: the project's own workflows agree with its config/,
// and an environment added to config/ alone is named in every list that lacks it.
import { copyFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configEnvironments, environmentProblems, workflowLists } from '../../scripts/ci/environments';
import { PROJECT_ROOT } from '../../src/paths';
import { tempDir } from '../support/temp-dirs';

const WORKFLOWS = join(PROJECT_ROOT, '.github', 'workflows');

function copyConfig(): string {
  const dir = tempDir('environments-config-');
  for (const file of readdirSync(join(PROJECT_ROOT, 'config')))
    copyFileSync(join(PROJECT_ROOT, 'config', file), join(dir, file));
  return dir;
}

describe('check:environments', () => {
  it("finds every list in the project's workflows, and they match config/ (local aside)", () => {
    const lists = Object.values(workflowLists(WORKFLOWS));
    expect(lists).toHaveLength(4);
    for (const list of lists) expect(list).toEqual(configEnvironments(join(PROJECT_ROOT, 'config')));
    expect(configEnvironments(join(PROJECT_ROOT, 'config'))).not.toContain('local');
    expect(environmentProblems(join(PROJECT_ROOT, 'config'), WORKFLOWS)).toEqual([]);
  });

  it('names each list that lacks an environment added to config/, and one it names that config/ lacks', () => {
    const config = copyConfig();
    writeFileSync(join(config, 'staging.json'), '{"domain":"staging.example.com"}');
    rmSync(join(config, 'prod.json'));
    const problems = environmentProblems(config, WORKFLOWS);
    expect(problems).toHaveLength(8);
    expect(problems).toContain(
      'pull-request.yml: jobs.plan.strategy.matrix.environment: add staging (config/ has staging.json)',
    );
    expect(problems).toContain('deploy.yml: the deploy-<env> jobs: remove prod (no such config/<env>.json)');
    expect(problems).toContain(
      'drift.yml: jobs.issue: the list given to drift-issue.sh: add staging (config/ has staging.json)',
    );
  });
});
