// `terraform plan -json` as Terraform 1.11 writes it (lines shortened to the fields read here).
import { humanLine, readPlanStream, renderDiagnostic } from '../../../ops/stack-command/plan-stream';

const line = (message: object) => JSON.stringify({ '@level': 'info', '@module': 'terraform.ui', ...message });
const resource = (addr: string) => ({ addr, module: '', resource: addr, implied_provider: 'auth0' });

const VERSION = line({ '@message': 'Terraform 1.11.4', type: 'version', terraform: '1.11.4', ui: '1.2' });
const REFRESH = line({
  '@message': 'auth0_user.alice: Refreshing state... [id=auth0|1]',
  type: 'refresh_start',
  hook: { resource: resource('auth0_user.alice'), id_key: 'id', id_value: 'auth0|1' },
});
const DRIFT = line({
  '@message': 'auth0_guardian.policy: Drift detected (update)',
  type: 'resource_drift',
  change: { resource: resource('auth0_guardian.policy'), action: 'update' },
});
const PLANNED = line({
  '@message': 'auth0_user.bob: Plan to create',
  type: 'planned_change',
  change: { resource: resource('auth0_user.bob'), action: 'create' },
});
const SUMMARY = line({
  '@message': 'Plan: 1 to add, 0 to change, 0 to destroy.',
  type: 'change_summary',
  changes: { add: 1, change: 0, import: 0, remove: 0, operation: 'plan' },
});
const LOCKED = line({
  '@level': 'error',
  '@message': 'Error: Error acquiring the state lock',
  type: 'diagnostic',
  diagnostic: { severity: 'error', summary: 'Error acquiring the state lock', detail: 'Lock Info:\n  ID: 1' },
});
const BAD_JSON = line({
  '@level': 'error',
  '@message': 'Error: Missing value',
  type: 'diagnostic',
  diagnostic: {
    severity: 'error',
    summary: 'Missing value',
    detail: 'The JSON data ends prematurely.',
    range: { filename: 'broken.tf.json', start: { line: 2, column: 1, byte: 9 } },
    snippet: { context: null, code: '{"bad": ', start_line: 2 },
  },
});

const TOFU = line({ '@message': 'OpenTofu 1.12.6', type: 'version', tofu: '1.12.6', ui: '1.2' });

describe('readPlanStream', () => {
  it("reads OpenTofu's version too", () => {
    expect(readPlanStream(TOFU).terraformVersion).toBe('1.12.6');
  });

  it('reads the version, what drifted and what is planned', () => {
    const stream = readPlanStream([VERSION, REFRESH, DRIFT, PLANNED, SUMMARY, ''].join('\n'));
    expect(stream.terraformVersion).toBe('1.11.4');
    expect(stream.drifted).toEqual(['auth0_guardian.policy']);
    expect(stream.planned).toEqual([{ address: 'auth0_user.bob', action: 'create' }]);
  });

  it('says nothing drifted or is planned for an empty plan', () => {
    const stream = readPlanStream(
      [VERSION, REFRESH, line({ '@message': 'Plan: 0 to add', type: 'change_summary' })].join('\n'),
    );
    expect(stream).toMatchObject({ drifted: [], planned: [] });
  });

  it('gives the text a person reads: each message line, diagnostics in full, other output as it came', () => {
    const stream = readPlanStream([VERSION, REFRESH, 'not json {', LOCKED].join('\n'));
    expect(stream.text).toBe(
      [
        'Terraform 1.11.4',
        'auth0_user.alice: Refreshing state... [id=auth0|1]',
        'not json {',
        '\nError: Error acquiring the state lock\n\nLock Info:\n  ID: 1\n',
      ].join('\n'),
    );
  });
});

describe('renderDiagnostic', () => {
  it('names the file and line, and quotes the code, as Terraform prints it', () => {
    expect(humanLine(BAD_JSON)).toBe(
      '\nError: Missing value\n\n  on broken.tf.json line 2:\n  2: {"bad": \n\nThe JSON data ends prematurely.\n',
    );
  });

  it('says Warning for a warning, with the block it is in', () => {
    expect(
      renderDiagnostic({
        severity: 'warning',
        summary: 'Deprecated attribute',
        range: { filename: 'cdk.tf.json', start: { line: 9 } },
        snippet: { context: 'resource "auth0_guardian" "policy"', code: '"provider": "auth0",' },
      }),
    ).toBe(
      'Warning: Deprecated attribute\n\n  on cdk.tf.json line 9, in resource "auth0_guardian" "policy":\n  9: "provider": "auth0",',
    );
  });
});
