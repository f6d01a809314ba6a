// Taking over a tenant that already has MFA settings and a Login-flow binding (`"adopt": true`):
// the first plan imports auth0_guardian and auth0_trigger_actions and shows exactly what will change
// (policy all-applications -> never, the existing binding removed), nothing changes before apply,
// and after apply the tenant is what the configuration says. Then the drift check, as CI runs it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPlanReport } from '../../ops/plan/render';
import { summarizePlan } from '../../ops/plan/summary';
import { type PlanResourceChange, parsePlanJson } from '../../ops/stack-command/plan-json';
import { type RunResult, run } from '../../ops/stack-command/terraform';
import { PROJECT_ROOT } from '../../src/paths';
import { type LivePlan, livePlan, postLoginBindings, setPolicy, setUpByHand } from '../ops/plan/live';
import { tempDir } from '../support/temp-dirs';
import { type E2eEnvironment, SEED_PASSWORD, startE2e, type TenantView, viewTenant } from './harness';

jest.setTimeout(300_000);

function expectOk(what: string, result: RunResult): void {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}:\n${result.stderr.slice(-4000)}`);
}

/** Management API calls other than reads (the token request aside). */
function writes(byRoute: Record<string, number>): string[] {
  return Object.keys(byRoute).filter(
    (route) => !route.startsWith('GET ') && !route.startsWith('POST /oauth/token'),
  );
}

describe('adopting a tenant that already has MFA settings and a post-login binding', () => {
  let e2e: E2eEnvironment;
  let configDir: string;
  let config: Record<string, unknown>;
  let existingId: string;
  let before: TenantView;
  let plan: LivePlan;
  const program = (file: string, args: string[]) =>
    run(process.execPath, [join(PROJECT_ROOT, 'scripts', 'app', 'run.mjs'), file, ...args], {
      cwd: PROJECT_ROOT,
      env: { ...e2e.tenant.env, TF_VAR_seed_user_password: SEED_PASSWORD },
    });

  beforeAll(async () => {
    e2e = await startE2e('adopt');
    // What another team set up by hand: MFA for everyone, by SMS or email, and their own Action.
    const setUp = { policies: ['all-applications'], factors: ['sms', 'email'], bound: ['existing-rule'] };
    existingId = (await setUpByHand(e2e.api, setUp))['existing-rule'];
    before = await viewTenant(e2e.api);
    expect(before.policies).toEqual(['all-applications']);
    expect(before.enabledFactors).toEqual(['email', 'sms']);

    config = {
      adopt: true,
      mfa: { factors: ['otp'] },
      // .ci/run runs with CI=true: this throwaway tenant's state is meant to be throwaway too.
      backend: { type: 'local', path: join(e2e.outdir, 'adopt.tfstate'), allowLocalInCi: true },
    };
    configDir = tempDir('adopt-config-');
    writeFileSync(join(configDir, 'adopt.json'), JSON.stringify({ domain: e2e.tenant.domain, ...config }));
  });

  afterAll(async () => {
    await e2e?.tenant.stop();
  });

  it('npm run plan reports the imports, the policy change and the binding removed, and writes nothing', async () => {
    e2e.tenant.resetStats();
    const report = join(configDir, 'plan.md');
    expectOk(
      'plan',
      await program('ops/plan/main.ts', ['plan', 'adopt', '--config-dir', configDir, '--report', report]),
    );
    const text = readFileSync(report, 'utf8');
    expect(text).toContain('**Plan:** 2 to import, 1 to add, 2 to change, 0 to destroy.');
    expect(text).toContain('`auth0_guardian.mfa-policy_guardian_E2E31C6B`: import, then update.');
    expect(text).toContain('| policy | `all-applications` | `never` |');
    expect(text).toContain(`**Unbound:** \`existing-rule\` (id \`${existingId}\`)`);
    expect(writes(e2e.tenant.stats().byRoute)).toEqual([]);
  });

  it('the first plan imports guardian and the bindings and shows exactly what changes', async () => {
    e2e.synth(config);
    await e2e.tf(['init', '-input=false', '-no-color']);
    e2e.tenant.resetStats();
    plan = await livePlan(e2e);
    expect(plan.code).toBe(2);
    const changes = (parsePlanJson(plan.json).resource_changes ?? []).filter(
      (c) => !(c.change.actions.length === 1 && c.change.actions[0] === 'no-op' && !c.change.importing),
    );
    const byType = (type: string) => changes.filter((c) => c.type === type) as PlanResourceChange[];
    expect(
      changes.map((c) => [c.type, c.change.actions.join(','), c.change.importing?.id ?? null]).sort(),
    ).toEqual([
      ['auth0_action', 'create', null],
      ['auth0_guardian', 'update', 'guardian'],
      ['auth0_trigger_actions', 'update', 'post-login'],
    ]);

    const [guardian] = byType('auth0_guardian');
    expect(guardian.change.before).toMatchObject({ policy: 'all-applications', otp: false, email: true });
    expect(guardian.change.before).toMatchObject({ phone: [expect.objectContaining({ enabled: true })] });
    expect(guardian.change.after).toMatchObject({ policy: 'never', otp: true, email: false });
    expect(guardian.change.after).toMatchObject({ phone: [expect.objectContaining({ enabled: false })] });

    const [bindings] = byType('auth0_trigger_actions');
    expect(bindings.change.before).toMatchObject({
      actions: [{ id: existingId, display_name: 'existing-rule' }],
    });
    expect(bindings.change.after).toMatchObject({ actions: [{ display_name: 'conditional-mfa' }] });
    expect(bindings.change.after_unknown).toMatchObject({ actions: [{ id: true }] });

    // The same plan, as the pull-request comment shows it.
    const summary = summarizePlan(parsePlanJson(plan.json));
    expect(summary.guardian[0].policy).toEqual({ before: 'all-applications', after: 'never' });
    expect(summary.bindings[0].removed).toEqual([{ id: existingId, displayName: 'existing-rule' }]);
    expect(renderPlanReport(summary, { environment: 'adopt' })).toContain('**Unbound:** `existing-rule`');

    expect(writes(e2e.tenant.stats().byRoute)).toEqual([]);
    expect(await viewTenant(e2e.api)).toEqual(before);
  });

  it('apply adopts them: policy never, only the configured factor, our Action the only binding', async () => {
    await e2e.tf(['apply', '-input=false', '-no-color', 'tfplan']);
    const after = await viewTenant(e2e.api);
    expect(after.policies).toEqual([]);
    expect(after.enabledFactors).toEqual(['otp']);
    const ours = after.actions.find((a) => a.name === 'conditional-mfa');
    expect(ours?.deployed_version?.deployed).toBe(true);
    expect(await postLoginBindings(e2e.api)).toEqual([{ id: ours?.id, displayName: 'conditional-mfa' }]);
    // Unbound, not deleted: the other team's Action is not this stack's to remove.
    expect(after.actions.map((a) => a.name).sort()).toEqual(['conditional-mfa', 'existing-rule']);

    const again = await livePlan(e2e);
    expect(again.code).toBe(0);
  });

  it('npm run drift: in sync after the adoption; a hand-made change is drift (exit 2) naming what changed', async () => {
    const clean = await program('ops/drift/main.ts', [
      'adopt',
      '--config-dir',
      configDir,
      '--report',
      join(configDir, 'clean.md'),
    ]);
    expectOk('drift check', clean);
    expect(readFileSync(join(configDir, 'clean.md'), 'utf8')).toContain('**In sync:**');
    expect(JSON.parse(readFileSync(join(configDir, 'clean.json'), 'utf8'))).toMatchObject({
      environment: 'adopt',
      status: 'clean',
    });

    await setPolicy(e2e.api, ['all-applications']);
    const drift = await program('ops/drift/main.ts', [
      'adopt',
      '--config-dir',
      configDir,
      '--report',
      join(configDir, 'drift.md'),
    ]);
    expect(drift.code).toBe(2);
    expect(drift.stderr).toContain('DRIFT in 1 resource(s): auth0_guardian.mfa-policy_guardian_E2E31C6B');
    const text = readFileSync(join(configDir, 'drift.md'), 'utf8');
    expect(text).toContain('**Drift:**');
    expect(JSON.parse(readFileSync(join(configDir, 'drift.json'), 'utf8'))).toMatchObject({
      environment: 'adopt',
      status: 'drift',
      resources: ['auth0_guardian.mfa-policy_guardian_E2E31C6B'],
    });
    expect(text).toContain('- `policy`: `never` → `all-applications`');
  });
});
