import { deploySummary, formatTable, NO_CHANGES } from '../../../ops/start/report';

describe('deploySummary', () => {
  const counts = { import: 0, add: 5, change: 0, destroy: 0, forget: 0 };

  it('says nothing changed when there was nothing to apply (the line .ci/run looks for)', () => {
    expect(deploySummary(counts, false)).toEqual({ changed: false, line: NO_CHANGES });
    expect(NO_CHANGES).toBe('No changes: the tenant already matches config/local.json.');
  });

  it('reports the counts of the applied plan', () => {
    expect(deploySummary(counts, true)).toEqual({
      changed: true,
      line: 'Deployed: 5 to add, 0 to change, 0 to destroy.',
    });
  });
});

describe('formatTable', () => {
  it('aligns columns without trailing spaces', () => {
    expect(
      formatTable([
        ['user', 'use_mfa', 'MFA required'],
        ['alice@example.com', 'true', 'yes (any)'],
        ['bob@example.com', 'false', 'no'],
      ]),
    ).toBe(
      [
        'user               use_mfa  MFA required',
        'alice@example.com  true     yes (any)',
        'bob@example.com    false    no',
      ].join('\n'),
    );
  });
});
