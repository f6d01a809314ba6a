// Markdown for reviewers: per environment, what matters first (policy and factors, the Action's
// code, the Login-flow bindings, seed users' use_mfa), the full plan folded at the end; and the one
// pull-request comment that gathers every environment.

import {
  type Change,
  changedLeaves,
  type LeafChange,
  SENSITIVE,
  UNKNOWN,
  type Value,
} from '../stack-command/plan-json';
import { codeBlock, details, escapeText, inlineCode, table, truncate } from './markdown';
import type {
  ActionChange,
  Binding,
  BindingChange,
  Counts,
  GuardianChange,
  PlanSummary,
  UserChange,
} from './summary';

/** Finds the pull-request comment to update instead of adding another. */
export const COMMENT_MARKER = '<!-- auth0-mfa-plan -->';
/** GitHub refuses comment and issue bodies above 65,536 characters. */
export const GITHUB_BODY_LIMIT = 65_536;
const FULL_PLAN_LEFT_OUT =
  '_Full plan left out: the text would be too long for GitHub. See the workflow run._';

export function formatValue(v: Value): string {
  if (v === undefined || v === null) return '—';
  if (v === SENSITIVE) return '_(sensitive)_';
  if (v === UNKNOWN) return '_(known after apply)_';
  if (typeof v === 'string') return inlineCode(v.length > 120 ? `${v.slice(0, 117)}...` : v);
  if (typeof v === 'boolean' || typeof v === 'number') return inlineCode(String(v));
  const json = JSON.stringify(v);
  return inlineCode(json.length > 120 ? `${json.slice(0, 117)}...` : json);
}

function onOff(v: Value): string {
  if (v === true) return '**on**';
  if (v === false) return 'off';
  return formatValue(v);
}

export function countsLine(c: Counts): string {
  const parts = [
    ...(c.import > 0 ? [`${c.import} to import`] : []),
    `${c.add} to add`,
    `${c.change} to change`,
    `${c.destroy} to destroy`,
    ...(c.forget > 0 ? [`${c.forget} to forget`] : []),
  ];
  return `${parts.join(', ')}.`;
}

const VERB: Record<string, string> = {
  create: 'create',
  update: 'update',
  delete: '**destroy**',
  replace: '**replace** (destroy, then create)',
  'no-op': 'no change',
  read: 'read',
  forget: 'forget (remove from state, keep in the tenant)',
};

function what(c: { kind: string; importing: boolean }): string {
  const verb = VERB[c.kind] ?? c.kind;
  if (!c.importing) return verb;
  return c.kind === 'no-op' ? 'import' : `import, then ${verb}`;
}

function leafLines(leaves: LeafChange[], indent = '  '): string[] {
  return leaves.map(
    (l) => `${indent}- ${inlineCode(l.path)}: ${formatValue(l.before)} → ${formatValue(l.after)}`,
  );
}

function otherSettings(leaves: LeafChange[]): string[] {
  return leaves.length > 0 ? ['', 'Other settings:', '', ...leafLines(leaves, '')] : [];
}

function renderGuardian(g: GuardianChange): string {
  const out: string[] = [];
  const rows: string[][] = [];
  if (g.policy) rows.push(['policy', formatValue(g.policy.before), formatValue(g.policy.after)]);
  for (const f of g.factors) rows.push([`factor ${inlineCode(f.factor)}`, onOff(f.before), onOff(f.after)]);
  out.push(`${inlineCode(g.address)}: ${what(g)}.`);
  if (g.importing) {
    out.push('', 'Imported from the tenant: _Before_ is what the tenant has now.');
  } else if (g.kind === 'create') {
    out.push(
      '',
      'Not yet managed by Terraform: the tenant\'s current values are not read on create (`"adopt": true` imports them first, so this plan would show them); after apply the tenant has:',
    );
  }
  if (rows.length > 0) out.push('', table(['Setting', 'Before', 'After'], rows));
  else if (g.kind !== 'delete') out.push('Policy and factors do not change.');
  if (g.kind === 'delete') {
    out.push('', 'Destroying `auth0_guardian` turns every factor off and sets the policy to `never`.');
  }
  out.push(...otherSettings(g.settings));
  return out.join('\n');
}

function renderAction(a: ActionChange, maxDiffChars: number): string {
  const out = [`${inlineCode(a.address)} (${inlineCode(a.name)}): ${what(a)}.`, ''];
  switch (a.code) {
    case 'new': {
      const lines = a.newCode ? a.newCode.replace(/\n$/, '').split('\n').length : 0;
      out.push(`New Action code (${lines} lines), deployed on apply.`);
      if (a.newCode) {
        out.push(
          '',
          details(
            'Code',
            codeBlock(
              truncate(a.newCode, maxDiffChars, (n) => `// ... ${n} more lines (see the full plan)`),
              'js',
            ),
          ),
        );
      }
      break;
    }
    case 'changed':
      if (a.diff === undefined) {
        out.push('**The code changes** (too long to diff here: see the full plan).');
      } else {
        out.push(
          `**The code changes** (+${a.added} −${a.removed} lines); the new version is deployed on apply:`,
          '',
          codeBlock(
            truncate(a.diff, maxDiffChars, (n) => `... ${n} more diff lines (see the full plan)`),
            'diff',
          ),
        );
      }
      break;
    case 'removed':
      out.push('The Action is **deleted** (an Action still bound to a trigger cannot be deleted).');
      break;
    case 'unchanged':
      out.push('The code does not change.');
  }
  out.push(...otherSettings(a.settings));
  return out.join('\n');
}

function bindingLabel(b: Binding): string {
  const name = b.displayName === UNKNOWN ? '_(known after apply)_' : formatValue(b.displayName);
  const id = b.id === UNKNOWN ? 'new Action, id known after apply' : `id ${formatValue(b.id)}`;
  return `${name} (${id})`;
}

function renderBinding(b: BindingChange): string {
  const out = [`${inlineCode(b.address)}, trigger ${inlineCode(b.trigger)}: ${what(b)}.`];
  if (b.type === 'auth0_trigger_actions') {
    out.push(
      '',
      'This resource owns the whole list: bindings not in _After_ are removed from the Login flow.',
    );
  }
  const before = b.before;
  const after = b.after;
  const length = Math.max(before?.length ?? 0, after?.length ?? 0);
  if (length > 0) {
    const rows: string[][] = [];
    for (let i = 0; i < length; i++) {
      const x = before?.[i];
      const y = after?.[i];
      rows.push([
        String(i + 1),
        x ? bindingLabel(x) : before ? '' : '_(not managed yet)_',
        y ? bindingLabel(y) : '',
      ]);
    }
    out.push('', table(['#', 'Before', 'After'], rows));
  }
  if (b.removed.length > 0) out.push('', `**Unbound:** ${b.removed.map(bindingLabel).join(', ')}`);
  if (b.added.length > 0) out.push('', `**Bound:** ${b.added.map(bindingLabel).join(', ')}`);
  if (b.reordered) out.push('', '**The order of the bindings changes.**');
  if (b.removed.length + b.added.length === 0 && !b.reordered && b.kind !== 'delete') {
    out.push('', 'The bound Actions and their order do not change.');
  }
  return out.join('\n');
}

function renderUsers(users: UserChange[]): string {
  const rows = users.map((u) => [
    escapeText(u.user),
    what(u),
    inlineCode(u.attribute),
    formatValue(u.before),
    formatValue(u.after),
  ]);
  return table(['User', 'Change', 'Flag in', 'use_mfa before', 'use_mfa after'], rows);
}

function renderOthers(summary: PlanSummary): string {
  return summary.others
    .map((o) => [`- ${inlineCode(o.address)}: ${what(o)}`, ...leafLines(o.settings)].join('\n'))
    .join('\n');
}

export function renderDriftList(drift: Change[]): string {
  return drift
    .map((d) => {
      if (d.kind === 'delete') return `- ${inlineCode(d.address)}: **deleted outside Terraform**`;
      const leaves = d.kind === 'update' ? leafLines(changedLeavesSafe(d)) : [];
      return [`- ${inlineCode(d.address)}: changed outside Terraform`, ...leaves].join('\n');
    })
    .join('\n');
}

function changedLeavesSafe(d: Change): LeafChange[] {
  return changedLeaves(d.before, d.after).filter((l) => l.path !== 'id');
}

export interface RenderOptions {
  environment: string;
  stackName?: string;
  /** `terraform show PLANFILE` text, folded at the end. */
  fullPlan?: string;
  /** Heading level of the environment's title (default 2). */
  level?: number;
  maxFullPlanChars?: number;
  maxDiffChars?: number;
  /** Replaces the "Plan: ..." line. */
  lead?: string;
  /** Say the full plan was left out (to fit GitHub's limit) instead of showing it. */
  fullPlanLeftOut?: boolean;
}

/** The environment's section of the report. */
export function renderPlanReport(summary: PlanSummary, options: RenderOptions): string {
  const h = '#'.repeat(options.level ?? 2);
  const hh = `${h}#`;
  const { counts } = summary;
  const total = counts.import + counts.add + counts.change + counts.destroy + counts.forget;
  const out: string[] = [
    `${h} ${escapeText(options.environment)}${options.stackName ? ` (${inlineCode(options.stackName)})` : ''}`,
    '',
    options.lead ??
      (total === 0
        ? '**No changes.** The tenant matches the configuration.'
        : `**Plan:** ${countsLine(counts)}`),
  ];
  if (summary.destroys.length > 0) {
    out.push(
      '',
      '> [!WARNING]',
      ...summary.destroys.map(
        (d) => `> ${inlineCode(d.address)} will be ${d.kind === 'replace' ? 'replaced' : 'destroyed'}.`,
      ),
    );
  }
  if (summary.drift.length > 0) {
    out.push('', `${hh} Changed outside Terraform since the last apply`, '', renderDriftList(summary.drift));
  }
  const maxDiff = options.maxDiffChars ?? 20_000;
  if (summary.guardian.length > 0) {
    out.push('', `${hh} MFA policy and factors`, '', summary.guardian.map(renderGuardian).join('\n\n'));
  }
  if (summary.actions.length > 0) {
    out.push('', `${hh} Action code`, '', summary.actions.map((a) => renderAction(a, maxDiff)).join('\n\n'));
  }
  if (summary.bindings.length > 0) {
    out.push('', `${hh} Login flow bindings`, '', summary.bindings.map(renderBinding).join('\n\n'));
  }
  if (summary.users.length > 0) {
    out.push('', `${hh} Seed users' use_mfa`, '', renderUsers(summary.users));
  }
  if (summary.others.length > 0) {
    out.push('', `${hh} Other changes`, '', renderOthers(summary));
  }
  if (options.fullPlan !== undefined && options.fullPlanLeftOut) {
    out.push('', FULL_PLAN_LEFT_OUT);
  } else if (options.fullPlan !== undefined) {
    const text = truncate(
      options.fullPlan,
      options.maxFullPlanChars ?? 30_000,
      (n) => `... ${n} more lines: see the workflow run's log or artifact`,
    );
    out.push('', details('Full plan (<code>terraform show</code>)', codeBlock(text, 'text')));
  }
  return `${out.join('\n')}\n`;
}

/** The section of an environment whose plan (or deploy) could not be made. */
export function renderPlanFailure(
  environment: string,
  error: string,
  level = 2,
  command: 'plan' | 'deploy' = 'plan',
): string {
  const h = '#'.repeat(level);
  return `${h} ${escapeText(environment)}\n\n**The ${command} failed.**\n\n${codeBlock(
    truncate(error, 8_000, (n) => `... ${n} more lines`),
    'text',
  )}\n`;
}

/** One environment's part of the comment, as `npm run plan -- ENV --report FILE` writes it beside the Markdown. */
export interface PlanSection {
  kind: 'auth0-mfa-plan';
  environment: string;
  stackName?: string;
  /** The plan, when there was one. */
  summary?: PlanSummary;
  fullPlan?: string;
  maxFullPlanChars?: number;
  /** Why there is no plan. */
  error?: string;
}

export type Detail = 'full' | 'brief';

/** The environment's section: with the full plan, or (brief) saying it was left out. */
export function renderSection(section: PlanSection, detail: Detail = 'full', level = 2): string {
  if (!section.summary) return renderPlanFailure(section.environment, section.error ?? 'no plan', level);
  return renderPlanReport(section.summary, {
    environment: section.environment,
    stackName: section.stackName,
    fullPlan: section.fullPlan,
    maxFullPlanChars: section.maxFullPlanChars,
    fullPlanLeftOut: detail === 'brief',
    level,
  });
}

export interface CommentOptions {
  /** Title under the marker. */
  title?: string;
  /** Lines under the title (commit, workflow run). */
  context?: string[];
  limit?: number;
}

/** The one pull-request comment: the marker, then every environment's section, rendered from data. */
export function renderComment(sections: PlanSection[], options: CommentOptions = {}): string {
  const head = [COMMENT_MARKER, `## ${options.title ?? 'Auth0 MFA plan'}`, '', ...(options.context ?? [])];
  const body = (detail: Detail) => {
    const parts =
      sections.length > 0
        ? sections.map((s) => renderSection(s, detail).trim())
        : ['### No plan\n\nNo environment produced a report: see the workflow run.'];
    return [...head, '', parts.join('\n\n---\n\n'), ''].join('\n');
  };
  return fitBody(body, options.limit);
}

/**
 * A comment or issue body that GitHub accepts (at most 65,536 characters), from a renderer: with
 * the full plans; when too long, rendered again without them; when still too long, cut at a line
 * end with any open code block and <details> closed, so that nothing after the cut is swallowed.
 */
export function fitBody(render: (detail: Detail) => string, limit = GITHUB_BODY_LIMIT): string {
  const max = limit - 200;
  const full = render('full');
  if (full.length <= max) return full;
  const brief = render('brief');
  if (brief.length <= max) return brief;
  return `${closeOpenBlocks(brief.slice(0, brief.lastIndexOf('\n', max)))}\n\n_… cut: the text would be too long for GitHub. See the workflow run._\n`;
}

/** Closes the fenced code block and the <details> elements (as codeBlock and details write them) left open at the end of a text. */
export function closeOpenBlocks(text: string): string {
  let fence: string | undefined;
  let openDetails = 0;
  for (const line of text.split('\n')) {
    const run = /^(`{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (line === fence) fence = undefined;
    } else if (run) {
      fence = run;
    } else if (line.startsWith('<details>')) {
      openDetails++;
    } else if (line === '</details>') {
      openDetails--;
    }
  }
  return [text, ...(fence ? [fence] : []), ...Array(Math.max(0, openDetails)).fill('\n</details>')].join(
    '\n',
  );
}
