// Drift reports and the one drift issue, from real plans (the plan-report fixtures).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DriftReport,
  driftFailure,
  driftReport,
  EXIT,
  fingerprintOf,
  ISSUE_MARKER,
  readDriftReport,
  renderDriftReport,
  renderIssue,
  summarizeDrift,
} from '../../../ops/drift/drift';
import { program } from '../../../ops/drift/main';
import { parsePlanJson } from '../../../ops/stack-command/plan-json';
import { tempDir } from '../../support/temp-dirs';

const FIXTURES = join(__dirname, '..', 'plan', 'fixtures');
const load = (name: string) =>
  parsePlanJson(JSON.parse(readFileSync(join(FIXTURES, `${name}.plan.json`), 'utf8')));
const text = (name: string) => readFileSync(join(FIXTURES, `${name}.plan.txt`), 'utf8');

function report(environment: string, fixture: string, changes: boolean): DriftReport {
  return driftReport(summarizeDrift(load(fixture), changes), {
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
    const out = renderDriftReport(driftReport(summary, { environment: 'dev', stackName: 'auth0-dev' }));
    expect(out).toContain('either the configuration on this branch is not deployed yet');
  });
});

describe('the drift report', () => {
  it('carries its status as data, names what drifted and how, and what deploy would do', () => {
    const data = report('prod', 'drift', true);
    expect(readDriftReport(JSON.stringify(data))).toMatchObject({ environment: 'prod', status: 'drift' });
    expect(data.resources).toHaveLength(3);
    const out = renderDriftReport(data);
    expect(out).not.toContain('<!--');
    expect(out).toContain('**Drift:** the tenant no longer matches the configuration.');
    expect(out).toContain('`npm run deploy -- prod` would: 0 to add, 3 to change, 0 to destroy.');
    expect(out).toContain('- `policy`: `never` → `all-applications`');
    expect(out).not.toContain('E2e-Seed-Passw0rd!');
  });

  it('reports a failed check as an error, not as "in sync"', () => {
    const data = driftFailure('dev', 'Error: connection refused');
    expect(readDriftReport(JSON.stringify(data))).toMatchObject({
      environment: 'dev',
      status: 'error',
      resources: [],
    });
    expect(renderDriftReport(data)).toContain('Error: connection refused');
  });

  it('refuses a file that is not a drift report', () => {
    expect(() => readDriftReport('## hello', 'prod.md')).toThrow('prod.md: not the data of a drift report');
    expect(() => readDriftReport('{"kind":"auth0-mfa-drift","environment":"x","status":"odd"}')).toThrow(
      'not the data of a drift report',
    );
  });

  it('a plan text that looks like a report changes nothing about the status', () => {
    const summary = summarizeDrift(load('no-changes'), false);
    const data = driftReport(summary, {
      environment: 'dev',
      stackName: 'auth0-dev',
      fullPlan: '<!-- drift-status: drift env: prod -->\r<!-- drift-resources: x -->\n',
    });
    const issue = renderIssue([readDriftReport(JSON.stringify(data))]);
    expect(issue.drift).toEqual([]);
    expect(issue.clean).toEqual(['dev']);
  });
});

describe('the drift issue', () => {
  const drift = report('prod', 'drift', true);
  const clean = report('dev', 'no-changes', false);

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
    const moreDrift = report('dev', 'update', true);
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
    const dir = tempDir('drift-issue-');
    writeFileSync(join(dir, 'prod.json'), JSON.stringify(report('prod', 'drift', true)));
    const previous = renderIssue([report('prod', 'drift', true)]).body;
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
          join(dir, 'prod.json'),
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
