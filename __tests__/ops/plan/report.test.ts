// The reviewer's report from real plans: the fixtures are `terraform show -json` output of the real
// auth0 provider against the local tenant (regenerate with fixtures/generate.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  COMMENT_MARKER,
  fitBody,
  GITHUB_BODY_LIMIT,
  type PlanSection,
  renderComment,
  renderPlanFailure,
  renderPlanReport,
} from '../../../ops/plan/render';
import { summarizePlan } from '../../../ops/plan/summary';
import { type PlanJson, parsePlanJson, SENSITIVE, UNKNOWN } from '../../../ops/stack-command/plan-json';

const FIXTURES = join(__dirname, 'fixtures');
const SCENARIOS = ['create', 'no-changes', 'drift', 'update', 'adopt'] as const;
/** The e2e harness's dummy seed password, which the fixtures hold in clear like any real plan. */
const SEED_PASSWORD = 'E2e-Seed-Passw0rd!';

function raw(name: string): string {
  return readFileSync(join(FIXTURES, `${name}.plan.json`), 'utf8');
}
function load(name: string): PlanJson {
  return parsePlanJson(JSON.parse(raw(name)));
}
function text(name: string): string {
  return readFileSync(join(FIXTURES, `${name}.plan.txt`), 'utf8');
}
function report(name: string, fullPlan = true): string {
  return renderPlanReport(summarizePlan(load(name)), {
    environment: name,
    stackName: `auth0-${name}`,
    fullPlan: fullPlan ? text(name) : undefined,
  });
}

function section(name: string, fullPlan = text(name), maxFullPlanChars?: number): PlanSection {
  const summary = summarizePlan(load(name));
  return {
    kind: 'auth0-mfa-plan',
    environment: name,
    stackName: `auth0-${name}`,
    summary,
    fullPlan,
    maxFullPlanChars,
  };
}

/** The index of each string in the text, in order; fails naming the first one missing. */
function positions(haystack: string, needles: string[]): number[] {
  return needles.map((needle) => {
    const at = haystack.indexOf(needle);
    if (at < 0) throw new Error(`report lacks ${JSON.stringify(needle)}:\n${haystack}`);
    return at;
  });
}

describe('sensitive values', () => {
  it.each(SCENARIOS)('%s: the report never holds the seed password, although the plan JSON does', (name) => {
    const out = report(name);
    expect(out).not.toContain(SEED_PASSWORD);
    if (name !== 'adopt') expect(raw(name)).toContain(SEED_PASSWORD);
  });

  it('replaces a user password (after_sensitive) by a placeholder before anything reads it', () => {
    const summary = summarizePlan(load('create'));
    const alice = summary.changes.find(
      (c) => c.type === 'auth0_user' && JSON.stringify(c.after).includes('alice'),
    );
    expect(alice?.after).toMatchObject({ password: SENSITIVE, email: 'alice@example.com', user_id: UNKNOWN });
  });

  it('hides a value that the plan marks sensitive even where the report would show it', () => {
    const plan = JSON.parse(raw('update')) as PlanJson;
    for (const rc of plan.resource_changes ?? []) {
      if (rc.type !== 'auth0_user' && rc.type !== 'auth0_action') continue;
      // What a provider does for a sensitive attribute: mark it in both masks.
      rc.change.before_sensitive = {
        ...(rc.change.before_sensitive as object),
        user_metadata: true,
        code: true,
      };
      rc.change.after_sensitive = {
        ...(rc.change.after_sensitive as object),
        user_metadata: true,
        code: true,
      };
    }
    const out = renderPlanReport(summarizePlan(parsePlanJson(plan)), { environment: 'update' });
    expect(out).not.toContain('allowRememberBrowser');
    expect(out).not.toContain('"use_mfa"');
    expect(out).toContain('_(sensitive)_');
  });
});

describe('first deploy (create)', () => {
  const summary = summarizePlan(load('create'));
  const out = report('create');

  it('counts like Terraform', () => {
    expect(summary.counts).toEqual({ import: 0, add: 5, change: 0, destroy: 0, forget: 0 });
    expect(out).toContain('**Plan:** 5 to add, 0 to change, 0 to destroy.');
    expect(text('create')).toContain('Plan: 5 to add, 0 to change, 0 to destroy.');
  });

  it('shows the policy and the enabled factor, and says the current tenant values are unknown', () => {
    expect(summary.guardian).toHaveLength(1);
    expect(summary.guardian[0].policy).toEqual({ before: undefined, after: 'never' });
    expect(summary.guardian[0].factors).toEqual([{ factor: 'otp', before: undefined, after: true }]);
    expect(out).toContain('| policy | — | `never` |');
    expect(out).toContain('`"adopt": true` imports them first');
  });

  it('shows the new Action code folded, the binding of an Action whose id is not known yet, and both users', () => {
    expect(summary.actions[0]).toMatchObject({ name: 'conditional-mfa', code: 'new' });
    expect(out).toContain('New Action code (');
    expect(summary.bindings[0].added).toEqual([{ id: UNKNOWN, displayName: 'conditional-mfa' }]);
    expect(out).toContain('`conditional-mfa` (new Action, id known after apply)');
    expect(summary.users.map((u) => [u.user, u.kind, u.before, u.after])).toEqual([
      ['alice@example.com', 'create', undefined, true],
      ['bob@example.com', 'create', undefined, false],
    ]);
  });

  it('leads with what matters and folds the full plan at the end', () => {
    const [plan, policy, code, bindings, users, full] = positions(out, [
      '**Plan:**',
      '### MFA policy and factors',
      '### Action code',
      '### Login flow bindings',
      "### Seed users' use_mfa",
      '<details><summary>Full plan',
    ]);
    expect(plan < policy && policy < code && code < bindings && bindings < users && users < full).toBe(true);
    expect(out).toContain('# auth0_guardian.mfa-policy_guardian_E2E31C6B will be created');
  });
});

describe('no changes', () => {
  it('says so and shows no section', () => {
    const summary = summarizePlan(load('no-changes'));
    expect(summary.changes).toEqual([]);
    const out = report('no-changes', false);
    expect(out).toContain('**No changes.**');
    expect(out).not.toContain('###');
  });
});

describe('a reviewed change (update)', () => {
  const summary = summarizePlan(load('update'));
  const out = report('update');

  it('shows the code diff of the Action', () => {
    const [action] = summary.actions;
    expect(action.code).toBe('changed');
    expect(action.added).toBe(1);
    expect(action.removed).toBe(1);
    expect(action.diff).toMatch(/^-.*"allowRememberBrowser":false/m);
    expect(action.diff).toMatch(/^\+.*"allowRememberBrowser":true/m);
    expect(out).toContain('**The code changes** (+1 −1 lines)');
    expect(out).toContain('```diff');
  });

  it('shows the factor turned on, the use_mfa flips, the user added and the user destroyed', () => {
    expect(summary.guardian[0].policy).toBeUndefined();
    expect(summary.guardian[0].factors).toEqual([{ factor: 'email', before: false, after: true }]);
    expect(summary.users.map((u) => [u.user, u.kind, u.before, u.after])).toEqual([
      ['alice@example.com', 'update', true, false],
      ['bob@example.com', 'delete', false, undefined],
      ['carol@example.com', 'create', undefined, true],
    ]);
    expect(out).toContain('| factor `email` | off | **on** |');
    expect(out).toMatch(/> \[!WARNING\]\n> `auth0_user\.[^`]*bob[^`]*` will be destroyed\./);
  });

  it('shows the kept binding placed before ours', () => {
    const [binding] = summary.bindings;
    expect(binding.added.map((b) => b.displayName)).toEqual(['legacy-geo-block']);
    expect(binding.removed).toEqual([]);
    expect(binding.after?.map((b) => b.displayName)).toEqual(['legacy-geo-block', 'conditional-mfa']);
  });
});

describe('drift', () => {
  const summary = summarizePlan(load('drift'));
  const out = report('drift');

  it('names what was changed outside Terraform, with before and after', () => {
    expect(summary.drift.map((d) => d.type)).toEqual([
      'auth0_guardian',
      'auth0_trigger_actions',
      'auth0_user',
    ]);
    expect(out).toContain('### Changed outside Terraform since the last apply');
    expect(out).toContain('- `policy`: `never` → `all-applications`');
    expect(out).toContain('- `user_metadata`: `{"use_mfa":true}` → `{"use_mfa":false}`');
  });

  it('shows what the next apply puts back: the binding added by hand is removed', () => {
    expect(summary.bindings[0].removed.map((b) => b.displayName)).toEqual(['legacy-geo-block']);
    expect(out).toContain('**Unbound:** `legacy-geo-block`');
    expect(summary.users[0]).toMatchObject({ user: 'alice@example.com', before: false, after: true });
  });

  it('ignores refresh noise (null against an empty list) in objects nobody changed', () => {
    const noise = summarizePlan(load('no-changes'));
    expect((load('no-changes').resource_drift ?? []).length).toBeGreaterThan(0);
    expect(noise.drift).toEqual([]);
  });
});

describe('adopting a tenant', () => {
  const summary = summarizePlan(load('adopt'));
  const out = report('adopt');

  it('shows the imports and the policy all-applications -> never with the current factors', () => {
    expect(summary.counts).toMatchObject({ import: 2, add: 1, change: 2, destroy: 0 });
    expect(out).toContain('**Plan:** 2 to import, 1 to add, 2 to change, 0 to destroy.');
    const [guardian] = summary.guardian;
    expect(guardian).toMatchObject({ importing: true, kind: 'update' });
    expect(guardian.policy).toEqual({ before: 'all-applications', after: 'never' });
    expect(guardian.factors).toEqual(
      expect.arrayContaining([
        { factor: 'otp', before: false, after: true },
        { factor: 'email', before: true, after: false },
        { factor: 'phone (sms/voice)', before: true, after: false },
      ]),
    );
    expect(out).toContain('import, then update');
  });

  it('shows the existing binding removed', () => {
    const [binding] = summary.bindings;
    expect(binding.importing).toBe(true);
    expect(binding.removed.map((b) => b.displayName)).toEqual(['existing-rule']);
    expect(out).toContain('**Unbound:** `existing-rule`');
  });
});

describe('the pull-request comment', () => {
  it('starts with the marker and holds every environment', () => {
    const body = renderComment([section('create'), section('update')], { context: ['Commit abc1234'] });
    expect(body.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
    expect(body).toContain('## create (`auth0-create`)');
    expect(body).toContain('## update (`auth0-update`)');
    expect(body).toContain('Commit abc1234');
  });

  it('says so when no environment produced a report', () => {
    expect(renderComment([])).toContain('No environment produced a report');
  });

  it('drops the full plans first, then cuts, to stay under GitHub’s limit', () => {
    const huge = `${text('update')}\n`.repeat(40);
    const big = section('update', huge, 1_000_000);
    const body = renderComment([big, big]);
    expect(renderComment([big, big], { limit: 10_000_000 }).length).toBeGreaterThan(GITHUB_BODY_LIMIT);
    expect(body.length).toBeLessThan(GITHUB_BODY_LIMIT);
    expect(body).toContain('Full plan left out');
    expect(body).toContain('**The code changes**');
    const cut = fitBody(() => 'x\n'.repeat(50_000));
    expect(cut.length).toBeLessThan(GITHUB_BODY_LIMIT);
    expect(cut).toContain('cut: the text would be too long');
  });

  it('shows a failed plan with its error', () => {
    const out = renderPlanFailure('prod', 'Error: 401 Unauthorized');
    expect(out).toContain('## prod');
    expect(out).toContain('**The plan failed.**');
    expect(out).toContain('Error: 401 Unauthorized');
  });
});

describe('parsePlanJson', () => {
  it('refuses what is not a plan', () => {
    expect(() => parsePlanJson([])).toThrow('not a Terraform plan');
    expect(() => parsePlanJson({ terraform_version: '1.11.4' })).toThrow('format_version is missing');
    expect(() => parsePlanJson({ format_version: '2.0' })).toThrow('unsupported plan format_version 2.0');
    expect(() => parsePlanJson({ format_version: '1.0', values: {} })).toThrow('a state');
    expect(() => parsePlanJson({ format_version: '1.2', resource_changes: [{ address: 'x' }] })).toThrow(
      'resource_changes: an entry without',
    );
  });
});
