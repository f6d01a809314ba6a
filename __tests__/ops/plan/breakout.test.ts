// Plan text is data: whatever it holds (our own markers, fences, HTML, stray carriage returns), it
// stays inside its code block in the pull-request comment and the drift issue. Checked with a real
// CommonMark parser, on a comment that fits GitHub's limit and on one that must be shortened.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Node, Parser } from 'commonmark';
import { driftReport, renderIssue, summarizeDrift } from '../../../ops/drift/drift';
import { type PlanSection, renderComment } from '../../../ops/plan/render';
import { summarizePlan } from '../../../ops/plan/summary';
import { parsePlanJson } from '../../../ops/stack-command/plan-json';

const plan = parsePlanJson(JSON.parse(readFileSync(join(__dirname, 'fixtures', 'update.plan.json'), 'utf8')));
const HOSTILE = [
  '  # auth0_action.x will be updated',
  '<!-- full-plan:end -->',
  '</details>',
  '```',
  '# injected heading',
  '<img src=x onerror=alert(1)>',
  '<!-- full-plan:start -->',
  'tail\r```\r# injected after a carriage return\r<img src=y>',
  '<!-- auth0-mfa-plan -->',
].join('\n');

function nodes(markdown: string): Node[] {
  const out: Node[] = [];
  const walker = new Parser().parse(markdown).walker();
  for (let step = walker.next(); step; step = walker.next()) if (step.entering) out.push(step.node);
  return out;
}

function textOf(node: Node): string {
  let text = '';
  const walker = node.walker();
  for (let step = walker.next(); step; step = walker.next())
    if (step.entering && step.node.literal) text += step.node.literal;
  return text;
}

/** Fails naming what leaked out of a code block. */
function expectContained(markdown: string): void {
  expect(markdown).not.toMatch(/\r/);
  const all = nodes(markdown);
  const html = all
    .filter((n) => n.type === 'html_block' || n.type === 'html_inline')
    .map((n) => n.literal ?? '');
  for (const literal of html) {
    expect(literal).toMatch(
      /^(<!-- auth0-mfa-(plan|drift) -->|<!-- drift-fingerprint: [0-9a-f]+ -->|<details><summary>|<\/details>)/,
    );
    expect(literal).not.toContain('<img');
  }
  expect(all.filter((n) => n.type === 'heading').map(textOf)).not.toContainEqual(
    expect.stringContaining('injected'),
  );
  const code = all.filter((n) => n.type === 'code_block').map((n) => n.literal ?? '');
  expect(code.some((c) => c.includes('# injected after a carriage return'))).toBe(true);
}

describe('plan text in the pull-request comment', () => {
  const section = (fullPlan: string, maxFullPlanChars?: number): PlanSection => ({
    kind: 'auth0-mfa-plan',
    environment: 'dev',
    stackName: 'auth0-dev',
    summary: summarizePlan(plan),
    fullPlan,
    maxFullPlanChars,
  });

  it('stays in its code block when the comment fits', () => {
    expectContained(renderComment([section(HOSTILE), section(HOSTILE)]));
  });

  it('stays in its code block when one of two full plans is too long and both are left out', () => {
    const body = renderComment([section(HOSTILE), section(`${HOSTILE}\n${'x'.repeat(80_000)}`, 1_000_000)], {
      limit: 65_536,
    });
    expect(body).toContain('Full plan left out');
    expect(body).not.toMatch(/\r/);
    expect(
      nodes(body)
        .filter((n) => n.type === 'heading')
        .map(textOf),
    ).not.toContainEqual(expect.stringContaining('injected'));
  });

  it('a comment cut inside a code block closes it, so the note after the cut is not swallowed', () => {
    const brief = renderComment([section(HOSTILE)], { limit: 1_000_000 }).replace(
      /<details>[\s\S]*<\/details>/,
      '',
    );
    const insideDiff = brief.indexOf('```diff') + 40;
    // fitBody keeps 200 characters of room under the limit.
    const body = renderComment([section(HOSTILE)], { limit: insideDiff + 200 });
    expect(body).toContain('cut: the text would be too long');
    const last = nodes(body)
      .filter((n) => n.type === 'paragraph')
      .pop();
    expect(last && textOf(last)).toContain('cut: the text would be too long');
  });
});

describe('plan text in the drift issue', () => {
  it('stays in its code block', () => {
    const report = driftReport(summarizeDrift(plan, true), {
      environment: 'prod',
      stackName: 'auth0-prod',
      fullPlan: HOSTILE,
    });
    expectContained(renderIssue([report]).body);
  });
});
