// The build rules without HTTP: the status is computed from the stored build, and an outcome recorded
// for an older build of the draft (changed meanwhile) is dropped.
import { buildErrors, buildStatus, recordBuildOutcome, startBuild } from '../../src/tenant/actions';
import type { StoredAction } from '../../src/tenant/model';

function draft(dependencies: StoredAction['dependencies']): StoredAction {
  const now = new Date(0).toISOString();
  return {
    id: 'a1',
    name: 'a',
    supported_triggers: [{ id: 'post-login', version: 'v3' }],
    code: '',
    dependencies,
    runtime: 'node22',
    secrets: [],
    created_at: now,
    updated_at: now,
    build: { ready_at: now },
    versions: [],
    all_changes_deployed: false,
  };
}

const NOW = 1_000_000;
const FAILURE = [{ id: 'dependency_install_failed', msg: 'dependency "x@1": no package "x"' }];

describe('build status', () => {
  it('without dependencies: pending until the delay has passed, then built', () => {
    const action = draft([]);
    startBuild(action, 500, 'b1', NOW);
    expect(buildStatus(action, NOW + 499)).toBe('pending');
    expect(buildStatus(action, NOW + 500)).toBe('built');
    expect(action.build.dependencies).toBeUndefined();
  });

  it('with dependencies: pending until the check is recorded and the delay has passed', () => {
    const action = draft([{ name: 'x', version: '1' }]);
    startBuild(action, 500, 'b1', NOW);
    expect(buildStatus(action, NOW + 10_000)).toBe('pending');
    expect(recordBuildOutcome(action, 'b1', FAILURE)).toBe(true);
    expect(buildStatus(action, NOW + 499)).toBe('pending');
    expect(buildErrors(action, NOW + 499)).toEqual([]);
    expect(buildStatus(action, NOW + 500)).toBe('failed');
    expect(buildErrors(action, NOW + 500)).toEqual(FAILURE);
  });

  it('drops the outcome of a build the draft has moved past, and a second outcome of the same build', () => {
    const action = draft([{ name: 'x', version: '1' }]);
    startBuild(action, 0, 'b1', NOW);
    startBuild(action, 0, 'b2', NOW);
    expect(recordBuildOutcome(action, 'b1', FAILURE)).toBe(false);
    expect(buildStatus(action, NOW)).toBe('pending');
    expect(recordBuildOutcome(action, 'b2', [])).toBe(true);
    expect(recordBuildOutcome(action, 'b2', FAILURE)).toBe(false);
    expect(buildStatus(action, NOW)).toBe('built');
  });
});
