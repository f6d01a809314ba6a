// Every string the stack hands Terraform is a literal: `${...}` and `%{...}` from the configuration or the Action
// source are escaped, so Terraform plans them as those characters instead of evaluating them.
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { Fn } from 'cdktf';
import { literal } from '../../src/stack/terraform-literal';
import { recordingApi } from '../actions/cases';
import { interpolations, stringsOf, templateText } from '../support/terraform-template';
import { actionCodeFile, only, synthEnvironment } from './synth';

const TEMPLATE_ACTION = join(__dirname, '..', 'fixtures', 'actions', 'template-literal.ts');
// The only expressions the stack writes itself: references to its variables and to the Action's id.
const OUR_REFERENCES = /^\$\{(var\.[A-Za-z_][A-Za-z0-9_]*|auth0_action\.[A-Za-z0-9_-]+\.id)\}$/;

const tricky = (field: string) => `${field} \${file("/proc/self/environ")} %{if true}x%{endif} $\${kept}`;

// Every free-text field of the configuration holds Terraform syntax.
const CONFIG = {
  domain: 'tenant.eu.auth0.com',
  mfa: {
    factors: ['otp', 'phone', 'duo'],
    provider: 'duo',
    phone: {
      provider: 'twilio',
      messageTypes: ['sms'],
      twilio: { sid: `AC${'0'.repeat(32)}`, messagingServiceSid: `MG${'1'.repeat(32)}` },
    },
    duo: { hostname: tricky('duo host'), integrationKey: tricky('duo key') },
  },
  action: { name: tricky('action') },
  binding: {
    before: [{ id: '11111111-2222-4333-8444-555555555555', displayName: tricky('before') }],
    after: [{ id: '66666666-7777-4888-9999-aaaaaaaaaaaa', displayName: tricky('after') }],
  },
  users: [{ email: 'a@example.com', name: tricky('user'), connection: tricky('connection'), useMfa: true }],
};

describe('literal()', () => {
  it.each([
    ['${event.user.user_id}'],
    ['%{ if x }y%{ endif }'],
    ['$${already escaped} and %%{this}'],
    ['$$${x} $ % {} $} ${'],
    ['plain text'],
    ['O\\Brien "the ${boss}" %{x}'],
    ['two\nlines\r\n'],
    ['quotes "only" and %{directive}'],
  ])('turns %s into a string Terraform reads back unchanged', (text) => {
    const escaped = literal(text);
    expect(interpolations(escaped)).toEqual([]);
    expect(templateText(escaped)).toBe(text);
  });

  it('refuses a Terraform reference: escaping it would break the reference', () => {
    expect(() => literal(Fn.lower('Reference'))).toThrow(/not a Terraform reference/);
  });
});

describe('the synthesized stack', () => {
  it('holds no expression but its own references, with configuration full of ${...} and %{...}', () => {
    const { stack } = synthEnvironment(CONFIG, 'test', { actionSourceFile: TEMPLATE_ACTION });
    // The backend block is left out: Terraform reads backend settings without evaluating them.
    const { terraform: _backend, ...evaluated } = stack;
    // The Action code is no string at all: Terraform reads it from the stack's asset file.
    const action = only(stack, 'auth0_action');
    expect(actionCodeFile(action.code)).toMatch(/\.js$/);
    delete action.code;
    const strings = stringsOf(evaluated);
    expect(strings.length).toBeGreaterThan(20);
    const evaluatedByTerraform = strings.flatMap(([path, text]) =>
      interpolations(text)
        .filter((expression) => !OUR_REFERENCES.test(expression))
        .map((expression) => `${path}: ${expression}`),
    );
    expect(evaluatedByTerraform).toEqual([]);
  });

  it('plans each configuration string as the characters written', () => {
    const { stack } = synthEnvironment(CONFIG);
    const text = (value: unknown) => templateText(value as string);
    expect(text(only(stack, 'auth0_action').name)).toBe(CONFIG.action.name);
    const user = only(stack, 'auth0_user');
    expect([text(user.name), text(user.connection_name)]).toEqual([
      CONFIG.users[0].name,
      CONFIG.users[0].connection,
    ]);
    const { duo } = only(stack, 'auth0_guardian') as { duo: Record<string, string> };
    expect([text(duo.hostname), text(duo.integration_key)]).toEqual([
      CONFIG.mfa.duo.hostname,
      CONFIG.mfa.duo.integrationKey,
    ]);
    const { actions } = only(stack, 'auth0_trigger_actions') as { actions: Array<{ display_name: string }> };
    expect(actions.map((a) => text(a.display_name))).toEqual([
      CONFIG.binding.before[0].displayName,
      CONFIG.action.name,
      CONFIG.binding.after[0].displayName,
    ]);
  });

  it('deploys an Action with template literals as written, and it behaves', async () => {
    const { actionCode } = synthEnvironment({ domain: 'tenant.eu.auth0.com' }, 'test', {
      actionSourceFile: TEMPLATE_ACTION,
    });
    // file() returns the file's bytes: nothing in them is a template.
    const code = actionCode();
    expect(code).toContain(
      'console.log(`MFA for ${event.user.user_id} via ${settings.provider}; %{not a directive}`)',
    );
    const logs: string[] = [];
    const module = { exports: {} as Record<string, (e: unknown, a: unknown) => Promise<void>> };
    runInNewContext(code, {
      module,
      exports: module.exports,
      console: { log: (line: string) => logs.push(line) },
    });
    const api = recordingApi();
    await module.exports.onExecutePostLogin({ user: { user_id: 'auth0|42' } }, api);
    expect(logs).toEqual(['MFA for auth0|42 via any; %{not a directive}']);
    expect(api.calls).toEqual([['any', { allowRememberBrowser: false }]]);
  });
});
