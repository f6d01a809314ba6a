// Drift: what changed in a tenant outside Terraform (the plan's resource_drift) and what the next
// deploy would do about it (resource_changes). The exit status follows `terraform plan
// -detailed-exitcode`: 0 in sync, 2 drift (something to apply), 1 error.
import { createHash } from 'node:crypto';
import { escapeText } from '../plan/markdown';
import { countsLine, type Detail, fitBody, renderPlanFailure, renderPlanReport } from '../plan/render';
import { type PlanSummary, summarizePlan } from '../plan/summary';
import type { PlanJson } from '../stack-command/plan-json';

export const EXIT = { clean: 0, error: 1, drift: 2 } as const;
export type DriftStatus = keyof typeof EXIT;

/** Finds the drift issue's body among others. */
export const ISSUE_MARKER = '<!-- auth0-mfa-drift -->';
// The one thing read back from Markdown: the open issue's body is the only place GitHub keeps what
// the last run saw, so the issue carries the fingerprint of what drifted.
const FINGERPRINT = /<!-- drift-fingerprint: ([0-9a-f]+) -->/;

export interface DriftSummary {
  status: 'clean' | 'drift';
  /** Resources changed outside Terraform, with what changed. */
  drifted: string[];
  /** Resources the next deploy would create, change or destroy. */
  pending: string[];
  plan: PlanSummary;
}

/** `changes` is what `terraform plan -detailed-exitcode` said (exit 2). */
export function summarizeDrift(json: PlanJson, changes: boolean): DriftSummary {
  const plan = summarizePlan(json);
  return {
    status: changes || plan.changes.length > 0 ? 'drift' : 'clean',
    drifted: plan.drift.map((d) => d.address),
    pending: plan.changes.map((c) => c.address),
    plan,
  };
}

/** One environment's check, as `npm run drift -- ENV --report FILE.md` writes it beside the Markdown (FILE.json). */
export interface DriftReport {
  kind: 'auth0-mfa-drift';
  environment: string;
  stackName?: string;
  status: DriftStatus;
  /** Addresses drifted or to be changed. */
  resources: string[];
  summary?: DriftSummary;
  fullPlan?: string;
  /** Why the check failed. */
  error?: string;
}

export function driftReport(
  summary: DriftSummary,
  options: { environment: string; stackName: string; fullPlan?: string },
): DriftReport {
  return {
    kind: 'auth0-mfa-drift',
    ...options,
    status: summary.status,
    resources: [...new Set([...summary.drifted, ...summary.pending])].sort(),
    summary,
  };
}

export function driftFailure(environment: string, error: string): DriftReport {
  return { kind: 'auth0-mfa-drift', environment, status: 'error', resources: [], error };
}

/** The environment's section, with its full plan or (brief) without. */
export function renderDriftReport(report: DriftReport, detail: Detail = 'full'): string {
  const { summary, environment } = report;
  if (!summary) return renderPlanFailure(environment, report.error ?? 'no check', 3);
  const { plan } = summary;
  const lead =
    summary.status === 'clean'
      ? '**In sync:** the tenant matches the configuration and the state.'
      : [
          `**Drift:** the tenant no longer matches the configuration. The next \`npm run deploy -- ${environment}\` would: ${countsLine(plan.counts)}`,
          ...(plan.drift.length === 0
            ? [
                '',
                'Terraform saw no change to managed objects outside Terraform: either the configuration on this branch is not deployed yet, or objects were deleted in the tenant.',
              ]
            : []),
        ].join('\n');
  return renderPlanReport(plan, {
    environment,
    stackName: report.stackName,
    level: 3,
    lead,
    fullPlan: report.fullPlan,
    fullPlanLeftOut: detail === 'brief',
    maxFullPlanChars: 15_000,
  });
}

/** A report's data read back from its JSON file, or an error naming the file. */
export function readDriftReport(text: string, file = 'report'): DriftReport {
  let data: Partial<DriftReport> | undefined;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (
    data?.kind !== 'auth0-mfa-drift' ||
    typeof data.environment !== 'string' ||
    !Object.hasOwn(EXIT, String(data.status))
  ) {
    throw new Error(
      `${file}: not the data of a drift report: write it with \`npm run drift -- ENV --report FILE.md\`, which puts FILE.json beside it`,
    );
  }
  return { resources: [], ...data } as DriftReport;
}

export interface IssueBody {
  /** Every environment with drift. */
  drift: string[];
  error: string[];
  clean: string[];
  /** Changes when the set of drifted resources changes (not when only values or the date change). */
  fingerprint: string;
  title: string;
  body: string;
}

/** The one drift issue: what drifted where, from the reports of one scheduled run. */
export function renderIssue(reports: DriftReport[], context: string[] = []): IssueBody {
  const by = (status: DriftStatus) => reports.filter((r) => r.status === status).map((r) => r.environment);
  const drift = by('drift');
  const error = by('error');
  const clean = by('clean');
  const addresses = reports
    .filter((r) => r.status === 'drift')
    .map((r) => `${r.environment}:${r.resources.join(',')}`)
    .sort();
  const fingerprint = createHash('sha256').update(addresses.join('\n')).digest('hex').slice(0, 16);
  const lines = (detail: Detail) => [
    ISSUE_MARKER,
    `<!-- drift-fingerprint: ${fingerprint} -->`,
    drift.length > 0
      ? `The Auth0 tenants of **${drift.map(escapeText).join(', ')}** no longer match the configuration on the default branch. Someone changed them outside Terraform (Dashboard, Management API), or a deploy did not finish.`
      : 'No drift found.',
    '',
    ...context,
    ...(clean.length > 0 ? [`In sync: ${clean.map(escapeText).join(', ')}.`] : []),
    ...(error.length > 0
      ? [`**Could not be checked** (see the run): ${error.map(escapeText).join(', ')}.`]
      : []),
    '',
    'To resolve: either run the deploy workflow (it puts the configuration back), or change the configuration to keep what was changed by hand, through a pull request. This issue is updated by every drift check and closed by the first one that finds no drift.',
    '',
    ...reports.filter((r) => r.status !== 'clean').map((r) => renderDriftReport(r, detail).trim()),
    '',
  ];
  const title = drift.length > 0 ? `Auth0 drift: ${drift.join(', ')}` : 'Auth0 drift';
  return { drift, error, clean, fingerprint, title, body: fitBody((detail) => lines(detail).join('\n')) };
}

export function fingerprintOf(body: string): string | undefined {
  return FINGERPRINT.exec(body)?.[1];
}
