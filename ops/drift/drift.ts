// Drift: what changed in a tenant outside Terraform (the plan's resource_drift) and what the next
// deploy would do about it (resource_changes). The exit status follows `terraform plan
// -detailed-exitcode`: 0 in sync, 2 drift (something to apply), 1 error.
import { createHash } from 'node:crypto';
import { escapeText } from '../plan/markdown';
import { countsLine, fitBody, renderPlanFailure, renderPlanReport } from '../plan/render';
import { type PlanSummary, summarizePlan } from '../plan/summary';
import type { PlanJson } from '../stack-command/plan-json';

export const EXIT = { clean: 0, error: 1, drift: 2 } as const;
export type DriftStatus = keyof typeof EXIT;

/** Finds the drift issue's body among others; also carried by each environment's report. */
export const ISSUE_MARKER = '<!-- auth0-mfa-drift -->';
const STATUS = /<!-- drift-status: (clean|drift|error) env: ([a-z0-9-]+) -->/;
const FINGERPRINT = /<!-- drift-fingerprint: ([0-9a-f]+) -->/;
const RESOURCES = /<!-- drift-resources: (.*?) -->/;

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

export function renderDriftReport(
  summary: DriftSummary,
  options: { environment: string; stackName: string; fullPlan?: string },
): string {
  const { plan } = summary;
  const lead =
    summary.status === 'clean'
      ? '**In sync:** the tenant matches the configuration and the state.'
      : [
          `**Drift:** the tenant no longer matches the configuration. The next \`npm run deploy -- ${options.environment}\` would: ${countsLine(plan.counts)}`,
          ...(plan.drift.length === 0
            ? [
                '',
                'Terraform saw no change to managed objects outside Terraform: either the configuration on this branch is not deployed yet, or objects were deleted in the tenant.',
              ]
            : []),
        ].join('\n');
  const resources = [...new Set([...summary.drifted, ...summary.pending])].sort().join(' ');
  return `<!-- drift-status: ${summary.status} env: ${options.environment} -->\n<!-- drift-resources: ${resources.replace(/--/g, '- -')} -->\n${renderPlanReport(
    plan,
    {
      environment: options.environment,
      stackName: options.stackName,
      level: 3,
      lead,
      fullPlan: options.fullPlan,
      maxFullPlanChars: 15_000,
    },
  )}`;
}

export function renderDriftFailure(environment: string, error: string): string {
  return `<!-- drift-status: error env: ${environment} -->\n${renderPlanFailure(environment, error, 3)}`;
}

export interface ReportStatus {
  environment: string;
  status: DriftStatus;
  /** Addresses drifted or to be changed. */
  resources: string[];
  text: string;
}

export function readReport(text: string): ReportStatus {
  const match = STATUS.exec(text);
  if (!match)
    throw new Error(
      'not a drift report (no drift-status marker): write it with `npm run drift -- ENV --report FILE`',
    );
  const resources = RESOURCES.exec(text)?.[1].split(' ').filter(Boolean) ?? [];
  return { status: match[1] as DriftStatus, environment: match[2], resources, text };
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
export function renderIssue(reports: ReportStatus[], context: string[] = []): IssueBody {
  const by = (status: DriftStatus) => reports.filter((r) => r.status === status).map((r) => r.environment);
  const drift = by('drift');
  const error = by('error');
  const clean = by('clean');
  const addresses = reports
    .filter((r) => r.status === 'drift')
    .map((r) => `${r.environment}:${r.resources.join(',')}`)
    .sort();
  const fingerprint = createHash('sha256').update(addresses.join('\n')).digest('hex').slice(0, 16);
  const lines = [
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
    ...reports.filter((r) => r.status !== 'clean').map((r) => r.text.trim()),
    '',
  ];
  const title = drift.length > 0 ? `Auth0 drift: ${drift.join(', ')}` : 'Auth0 drift';
  return { drift, error, clean, fingerprint, title, body: fitBody(lines.join('\n')) };
}

export function fingerprintOf(body: string): string | undefined {
  return FINGERPRINT.exec(body)?.[1];
}
