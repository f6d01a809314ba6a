// Drift reports and the one drift issue, from real plans (the plan-report fixtures).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EXIT,
  fingerprintOf,
  ISSUE_MARKER,
  readReport,
  renderDriftFailure,
  renderDriftReport,
  renderIssue,
  summarizeDrift,
} from '../../../ops/drift/drift';
import { program } from '../../../ops/drift/main';
import { parsePlanJson } from '../../../ops/stack-command/plan-json';

const FIXTURES = join(__dirname, '..', 'plan', 'fixtures');
const load = (name: string) =>
  parsePlanJson(JSON.parse(readFileSync(join(FIXTURES, `${name}.plan.json`), 'utf8')));
const text = (name: string) => readFileSync(join(FIXTURES, `${name}.plan.txt`), 'utf8');

function driftReport(environment: string, fixture: string, changes: boolean): string {
  return renderDriftReport(summarizeDrift(load(fixture), changes), {
    environment,
    stackName: `auth0-${environment}`,
    fullPlan: text(fixture),
  });
}

describe('summarizeDrift', () => {
  it('finds the objects changed by hand and what the next deploy changes', () => {
    const summary = summarizeDrift(load('drift'), true);
    expect(summary.status).toBe('drift');
    expect(EXIT[summary.status]).toBe(2);
    expect(summary.drifted).toEqual([
      'auth0_guardian.mfa-policy_guardian_E2E31C6B',
      'auth0_trigger_actions.login-flow_bindings_990FCC6A',
      'auth0_user.seed-users_user-username-password-authentication-alice-example-com_C9F14B2C',
    ]);
    expect(summary.pending).toEqual(summary.drifted);
  });

  it('is clean when the plan has nothing to do', () => {
    const summary = summarizeDrift(load('no-changes'), false);
    expect(summary.status).toBe('clean');
    expect(EXIT[summary.status]).toBe(0);
    expect(summary.drifted).toEqual([]);
  });

  it('counts changes not yet deployed as drift too (what -detailed-exitcode says)', () => {
    const summary = summarizeDrift(load('update'), true);
    expect(summary.status).toBe('drift');
    expect(summary.drifted).toEqual([]);
    const out = renderDriftReport(summary, { environment: 'dev', stackName: 'auth0-dev' });
    expect(out).toContain('either the configuration on this branch is not deployed yet');
  });
});

describe('the drift report', () => {
  it('carries its status, names what drifted and how, and what deploy would do', () => {
    const out = driftReport('prod', 'drift', true);
    expect(readReport(out)).toMatchObject({ environment: 'prod', status: 'drift' });
    expect(out).toContain('**Drift:** the tenant no longer matches the configuration.');
    expect(out).toContain('`npm run deploy -- prod` would: 0 to add, 3 to change, 0 to destroy.');
    expect(out).toContain('- `policy`: `never` → `all-applications`');
    expect(out).not.toContain('E2e-Seed-Passw0rd!');
  });

  it('reports a failed check as an error, not as "in sync"', () => {
    const out = renderDriftFailure('dev', 'Error: connection refused');
    expect(readReport(out)).toMatchObject({ environment: 'dev', status: 'error', resources: [] });
  });

  it('refuses a file that is not a drift report', () => {
    expect(() => readReport('## hello')).toThrow('not a drift report');
  });
});

describe('the drift issue', () => {
  const drift = readReport(driftReport('prod', 'drift', true));
  const clean = readReport(driftReport('dev', 'no-changes', false));

  it('names the drifted environments in the title and carries the marker and the reports', () => {
    const issue = renderIssue([clean, drift], ['Checked by run 1.']);
    expect(issue.title).toBe('Auth0 drift: prod');
    expect(issue.drift).toEqual(['prod']);
    expect(issue.clean).toEqual(['dev']);
    expect(issue.body.startsWith(ISSUE_MARKER)).toBe(true);
    expect(issue.body).toContain('In sync: dev.');
    expect(issue.body).toContain('### prod (`auth0-prod`)');
    expect(issue.body).not.toContain('### dev (`auth0-dev`)');
    expect(fingerprintOf(issue.body)).toBe(issue.fingerprint);
  });

  it('keeps its fingerprint while the same resources drift, and changes it when others do', () => {
    const a = renderIssue([clean, drift], ['Checked by run 1.']);
    const b = renderIssue([clean, drift], ['Checked by run 2.']);
    const moreDrift = readReport(driftReport('dev', 'update', true));
    const c = renderIssue([moreDrift, drift], ['Checked by run 3.']);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(c.fingerprint).not.toBe(a.fingerprint);
  });

  it('has no drift when every environment is in sync', () => {
    const issue = renderIssue([clean]);
    expect(issue.drift).toEqual([]);
    expect(issue.body).toContain('No drift found.');
  });
});

describe('npm run drift:issue', () => {
  it('writes the body and prints the decision, counting a missing report as a failed check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-issue-'));
    writeFileSync(join(dir, 'prod.md'), driftReport('prod', 'drift', true));
    const previous = renderIssue([readReport(driftReport('prod', 'drift', true))]).body;
    writeFileSync(join(dir, 'previous.md'), previous);
    const out: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    try {
      await program().parseAsync(
        [
          'issue',
          join(dir, 'prod.md'),
          '--environments',
          'dev,prod',
          '--out',
          join(dir, 'body.md'),
          '--previous',
          join(dir, 'previous.md'),
        ],
        { from: 'user' },
      );
    } finally {
      write.mockRestore();
    }
    const decision = JSON.parse(out.join(''));
    expect(decision).toMatchObject({
      title: 'Auth0 drift: prod',
      drift: ['prod'],
      error: ['dev'],
      clean: [],
      changed: false,
    });
    const body = readFileSync(join(dir, 'body.md'), 'utf8');
    expect(body).toContain('**Could not be checked** (see the run): dev.');
    expect(body).toContain('No report: the check job failed before the drift check ran.');
  });
});
