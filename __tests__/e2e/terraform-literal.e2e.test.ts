// Strings are literals through the real Terraform and provider: a stack whose Action holds JavaScript template
// literals and whose names hold `${...}` and `%{...}` validates, plans those characters against the local
// tenant, deploys, and the Action behaves. Every fixture stack (all settings the schema knows) validates too.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { simulateLogin } from '@auth0-mfa/local-tenant';
import { App } from 'cdktf';
import { stackDir, synth, terraformOk } from '../../ops/stack-command/terraform';
import { parseEnvironment } from '../../src/config/load';
import { stackName } from '../../src/config/vocabulary';
import { TenantStack } from '../../src/stack/tenant-stack';
import { tempDir } from '../support/temp-dirs';
import { apply, type E2eEnvironment, init, plan, requireTools, startE2e, viewTenant } from './harness';

jest.setTimeout(300_000);

const TEMPLATE_ACTION = join(__dirname, '..', 'fixtures', 'actions', 'template-literal.ts');
const READS_SECRETS = '${file("/proc/self/environ")}';
const NAMES = {
  action: 'mfa ${var.x} %{ if true }yes%{ endif }',
  user: `Alice ${READS_SECRETS}`,
  kept: 'geo-block ${auth0_action.x.id}',
};
const CONFIG = {
  mfa: { factors: ['otp', 'duo'], duo: { hostname: 'api-${x}.duosecurity.com', integrationKey: 'DI%{x}' } },
  action: { name: NAMES.action },
  users: [
    { email: 'alice@example.com', name: NAMES.user, useMfa: true },
    { email: 'bob@example.com', connection: 'db-${path.root}', useMfa: false },
  ],
};

describe('strings reach Terraform as literals', () => {
  it('terraform validate accepts a stack whose Action has template literals and whose names hold ${...}', async () => {
    requireTools();
    const outdir = tempDir('literal-validate-');
    const { config, problems } = parseEnvironment(
      'literal.json',
      JSON.stringify({
        domain: 'tenant.eu.auth0.com',
        ...CONFIG,
        binding: { before: [{ id: '11111111-2222-4333-8444-555555555555', displayName: NAMES.kept }] },
      }),
    );
    if (!config) throw new Error(problems.join('\n'));
    const app = new App({ outdir });
    new TenantStack(
      app,
      { name: 'literal', stackName: stackName('literal'), file: 'literal.json', config },
      { actionSourceFile: TEMPLATE_ACTION },
    );
    app.synth();
    const dir = stackDir(outdir, stackName('literal'));
    await terraformOk(dir, ['init', '-backend=false', '-input=false', '-no-color']);
    const { stdout } = await terraformOk(dir, ['validate', '-json', '-no-color'], { allowedCodes: [1] });
    expect(JSON.parse(stdout)).toMatchObject({ valid: true, error_count: 0 });
  });

  it('terraform validate accepts every fixture stack: factor choice, scopes, Twilio, SNS, WebAuthn settings', async () => {
    requireTools();
    const outdir = tempDir('fixtures-validate-');
    await synth({ outdir, configDir: join(__dirname, '..', 'fixtures', 'config') });
    const stacks = readdirSync(join(outdir, 'stacks'));
    expect(stacks).toContain(stackName('factors'));
    for (const stack of stacks) {
      const dir = stackDir(outdir, stack);
      await terraformOk(dir, ['init', '-backend=false', '-input=false', '-no-color']);
      const { stdout } = await terraformOk(dir, ['validate', '-json', '-no-color'], { allowedCodes: [1] });
      expect([stack, JSON.parse(stdout)]).toMatchObject([stack, { valid: true, error_count: 0 }]);
    }
  });

  describe('against the local tenant', () => {
    let e2e: E2eEnvironment;
    beforeAll(async () => {
      process.env.TF_VAR_duo_secret_key = 'e2e-duo-secret'; // the plan needs a value; Terraform reads it from here
      e2e = await startE2e('literal');
    });
    afterAll(async () => {
      delete process.env.TF_VAR_duo_secret_key;
      await e2e?.tenant.stop();
    });

    it('plans every name as the characters written, and nothing of the environment', async () => {
      e2e.synth(CONFIG, { actionSourceFile: TEMPLATE_ACTION });
      await init(e2e);
      const { changes } = await plan(e2e);
      const planned = (type: string, key: string, value: string) =>
        changes.find((c) => c.type === type && c.change.after?.[key] === value);
      expect(planned('auth0_action', 'name', NAMES.action)).toBeDefined();
      expect(planned('auth0_user', 'name', NAMES.user)).toBeDefined();
      expect(planned('auth0_user', 'connection_name', 'db-${path.root}')).toBeDefined();
      const guardian = changes.find((c) => c.type === 'auth0_guardian')?.change.after as {
        duo: Array<{ hostname: string; integration_key: string }>;
      };
      expect(guardian.duo[0]).toMatchObject({
        hostname: 'api-${x}.duosecurity.com',
        integration_key: 'DI%{x}',
      });
      const code = changes.find((c) => c.type === 'auth0_action')?.change.after?.code as string;
      expect(code).toContain('`MFA for ${event.user.user_id} via ${settings.provider}; %{not a directive}`');
      expect(JSON.stringify(changes)).not.toContain('AUTH0_CLIENT_SECRET');
    });

    it('deploys the Action with its template literals, and a login runs them', async () => {
      e2e.synth(
        { ...CONFIG, mfa: { factors: ['otp'] }, users: [CONFIG.users[0]] },
        { actionSourceFile: TEMPLATE_ACTION },
      );
      await apply(e2e);
      const tenant = await viewTenant(e2e.api);
      expect(tenant.actions.map((a) => a.name)).toEqual([NAMES.action]);
      expect(tenant.bindings.map((b) => b.display_name)).toEqual([NAMES.action]);
      expect(tenant.users.map((u) => [u.email, u.name])).toEqual([['alice@example.com', NAMES.user]]);
      const login = await simulateLogin(e2e.tenant, { email: 'alice@example.com' });
      const alice = tenant.users[0].user_id;
      expect(login.logs.join('\n')).toContain(`MFA for ${alice} via any; %{not a directive}`);
      expect(login.mfa.required).toBe(true);
      expect((await plan(e2e)).code).toBe(0);
    });
  });
});
