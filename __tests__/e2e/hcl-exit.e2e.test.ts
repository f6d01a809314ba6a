// The exit from CDKTF: what `cdktf synth --hcl` writes, run by plain Terraform, plans no change against the
// state the JSON stack deployed. Once through the cdktf CLI on the project's own app and config/local.json
// (scripts/ecosystem/hcl-exit.ts, which .ci/run also runs), once in process with an Action full of template
// literals and names full of what HCL would read as escapes, quotes and expressions.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { planAgainstState } from '../../scripts/ecosystem/deployed-project';
import { checkHclExit } from '../../scripts/ecosystem/hcl-exit';
import { apply, type E2eEnvironment, init, SEED_PASSWORD, startE2e, viewTenant } from './harness';

jest.setTimeout(300_000);

const TEMPLATE_ACTION = join(__dirname, '..', 'fixtures', 'actions', 'template-literal.ts');
const CONFIG = {
  mfa: { factors: ['otp', 'email'] },
  action: { name: 'mfa ${var.x} %{ if true }yes%{ endif }' },
  binding: { before: [{ id: '11111111-2222-4333-8444-555555555555', displayName: 'geo "block" ${x}' }] },
  users: [
    { email: 'alice@example.com', name: 'Alice ${file("/proc/self/environ")}', useMfa: true },
    { email: 'bob@example.com', name: 'Bob O\\Brien "the \\n boss" %{x}', useMfa: false },
    { email: 'carol@example.com', name: 'Carol "quoted"', useMfa: true },
  ],
};

describe('the exit from CDKTF: cdktf synth --hcl, then plain Terraform', () => {
  it('plans no change for the project’s own stack, exported by the cdktf CLI', async () => {
    const { code, output } = await checkHclExit();
    expect(output).toContain('No changes.');
    expect(code).toBe(0);
  });

  describe('with template literals in the Action and escapes, quotes and ${...} in names', () => {
    let e2e: E2eEnvironment;
    beforeAll(async () => {
      e2e = await startE2e('exit');
      // The binding keeps an Action that must exist: bind it by hand first, as another team would.
      const kept = await e2e.api.call<{ id: string }>('POST', '/actions/actions', {
        name: 'geo-block',
        code: 'exports.onExecutePostLogin = async () => {};',
        supported_triggers: [{ id: 'post-login', version: 'v3' }],
      });
      await e2e.api.call('POST', `/actions/actions/${kept.id}/deploy`);
      CONFIG.binding.before[0].id = kept.id;
    });
    afterAll(async () => {
      await e2e?.tenant.stop();
    });

    it('deploys from JSON, then the HCL of the same stack plans no change', async () => {
      e2e.synth(CONFIG, { actionSourceFile: TEMPLATE_ACTION });
      await init(e2e);
      await apply(e2e);
      const tenant = await viewTenant(e2e.api);
      expect(tenant.users.map((u) => u.email)).toEqual([
        'alice@example.com',
        'bob@example.com',
        'carol@example.com',
      ]);

      const dir = e2e.synthHcl(CONFIG, { actionSourceFile: TEMPLATE_ACTION });
      expect([existsSync(join(dir, 'cdk.tf')), existsSync(join(dir, 'cdk.tf.json'))]).toEqual([true, false]);
      const { code, output } = await planAgainstState(dir, {
        ...e2e.tenant.env,
        TF_VAR_seed_user_password: SEED_PASSWORD,
      });
      expect(output).toContain('No changes.');
      expect(code).toBe(0);
    });
  });
});
