import { unifiedDiff } from '../../../ops/plan/diff';
import { codeBlock, escapeText, inlineCode, truncate } from '../../../ops/plan/markdown';
import {
  changedLeaves,
  redact,
  SENSITIVE,
  UNKNOWN,
  withUnknowns,
} from '../../../ops/stack-command/plan-json';

describe('Markdown that plan text cannot break', () => {
  it('fences a block with more backticks than the text holds', () => {
    const block = codeBlock('a ``` b\n````', 'js');
    expect(block.startsWith('`````js\n')).toBe(true);
    expect(block.endsWith('\n`````')).toBe(true);
  });

  it('keeps inline code on one line and out of table columns', () => {
    expect(inlineCode('a|b\nc')).toBe('`a\\|b↵c`');
    expect(inlineCode('x`y')).toBe('``x`y``');
  });

  it('escapes HTML and emphasis in plain text', () => {
    expect(escapeText('<img src=x> *a* _b_')).toBe('&lt;img src=x&gt; \\*a\\* \\_b\\_');
  });

  it('cuts at a line end and says how much was left out', () => {
    const out = truncate('one\ntwo\nthree\nfour\n', 9, (n) => `(${n} more)`);
    expect(out).toBe('one\ntwo\n(2 more)\n');
  });
});

describe('line diff', () => {
  it('writes unified hunks with three lines of context', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n';
    const after = 'a\nb\nc\nd\ne\nF\ng\nh\ni\nj\n';
    expect(unifiedDiff(before, after)).toBe(
      '--- before\n+++ after\n@@ -3,7 +3,7 @@\n c\n d\n e\n-f\n+F\n g\n h\n i\n',
    );
    expect(unifiedDiff(before, before)).toBe('');
  });

  it('counts an insertion at the top and a removal at the end', () => {
    expect(unifiedDiff('a\nb\n', 'x\na\n')).toBe('--- before\n+++ after\n@@ -1,2 +1,2 @@\n+x\n a\n-b\n');
  });
});

describe('plan values', () => {
  it('redacts through nested lists and objects', () => {
    const value = { duo: [{ secret_key: 'k', hostname: 'h' }], password: 'p', name: 'n' };
    expect(redact(value, { duo: [{ secret_key: true }], password: true })).toEqual({
      duo: [{ secret_key: SENSITIVE, hostname: 'h' }],
      password: SENSITIVE,
      name: 'n',
    });
  });

  it('marks values known only after apply', () => {
    expect(
      withUnknowns(
        { id: undefined as never, actions: [{ display_name: 'x' }] },
        { id: true, actions: [{ id: true }] },
      ),
    ).toEqual({
      id: UNKNOWN,
      actions: [{ display_name: 'x', id: UNKNOWN }],
    });
  });

  it('lists changed leaves by path, treating null and [] alike', () => {
    expect(
      changedLeaves(
        { policy: 'never', phone: [{ enabled: false, message_types: null }] },
        { policy: 'all-applications', phone: [{ enabled: true, message_types: [] }] },
      ),
    ).toEqual([
      { path: 'phone[0].enabled', before: false, after: true },
      { path: 'policy', before: 'never', after: 'all-applications' },
    ]);
  });
});
