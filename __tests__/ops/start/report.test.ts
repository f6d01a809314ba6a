import { applySummary, formatTable } from '../../../ops/start/report';

describe('applySummary', () => {
  it('recognizes a plan with nothing to do', () => {
    const output = 'auth0-local  No changes. Your infrastructure matches the configuration.\n';
    expect(applySummary(output)).toEqual({
      changed: false,
      line: 'No changes: the tenant already matches config/local.json.',
    });
  });

  it('reports the apply line when something changed', () => {
    const output = 'auth0-local  Apply complete! Resources: 5 added, 0 changed, 0 destroyed.\n';
    expect(applySummary(output)).toEqual({
      changed: true,
      line: 'Apply complete! Resources: 5 added, 0 changed, 0 destroyed.',
    });
  });

  it('treats an apply of zero resources as no change', () => {
    expect(applySummary('Apply complete! Resources: 0 added, 0 changed, 0 destroyed.').changed).toBe(false);
  });

  it('fails when the output has neither, quoting its end', () => {
    expect(() => applySummary('Error: connection refused')).toThrow(
      /cdktf deploy did not report an apply result:\nError: connection refused/,
    );
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
