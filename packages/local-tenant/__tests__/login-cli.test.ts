import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { authenticator } from 'otplib';
import { bindActions, FLAG_ACTION, seedLoginUsers } from './support/logins';
import { PACKAGE_ROOT, startTestTenant, tempDir, useTestTenant } from './support/tenant';

jest.setTimeout(30_000);

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/local-tenant-login.js', ...args],
      { cwd: PACKAGE_ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const t = useTestTenant({
  setup: async (tenant) => {
    await seedLoginUsers(tenant.client);
    await bindActions(tenant, FLAG_ACTION);
  },
});

const PASSWORD = 'Corr3ct-Horse-Battery';

describe('npm run login (login-cli.ts): a real login with the login application', () => {
  it('reports the MFA the Action requires for the flagged user, then logs in with --otp', async () => {
    const run = await cli(['flagged@example.com', '--password', PASSWORD, '--dir', t.dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/outcome: +MFA required \(not enrolled yet\)/);
    expect(run.stdout).not.toContain(t.tenant.env.LOCAL_TENANT_APP_CLIENT_SECRET);

    // Enroll through the MFA API, as an app would, then answer with the CLI.
    const first = await t.client.raw('POST', '/oauth/token', {
      body: {
        grant_type: 'http://auth0.com/oauth/grant-type/password-realm',
        client_id: t.tenant.env.LOCAL_TENANT_APP_CLIENT_ID,
        client_secret: t.tenant.env.LOCAL_TENANT_APP_CLIENT_SECRET,
        username: 'flagged@example.com',
        password: PASSWORD,
        realm: 'Username-Password-Authentication',
      },
    });
    const enrollment = await t.client.raw(
      'POST',
      '/mfa/associate',
      { body: { authenticator_types: ['otp'] } },
      first.body.mfa_token,
    );
    const confirm = await t.client.raw('POST', '/oauth/token', {
      body: {
        grant_type: 'http://auth0.com/oauth/grant-type/mfa-otp',
        client_id: t.tenant.env.LOCAL_TENANT_APP_CLIENT_ID,
        client_secret: t.tenant.env.LOCAL_TENANT_APP_CLIENT_SECRET,
        mfa_token: first.body.mfa_token,
        otp: authenticator.generate(enrollment.body.secret),
      },
    });
    expect(confirm.status).toBe(200);

    const enrolled = await cli(['flagged@example.com', '--password', PASSWORD, '--dir', t.dir]);
    expect(enrolled.stdout).toMatch(/MFA required \(enrolled: otp\)/);
    const answered = await cli([
      'flagged@example.com',
      '--password',
      PASSWORD,
      '--otp',
      authenticator.generate(enrollment.body.secret),
      '--dir',
      t.dir,
      '--json',
    ]);
    expect(answered.code).toBe(0);
    expect(JSON.parse(answered.stdout)).toMatchObject({
      outcome: 'logged in',
      amr: ['mfa'],
      claims: { email: 'flagged@example.com' },
    });
  });

  it('logs the other user in without MFA', async () => {
    const plain = await cli(['plain@example.com', '--password', PASSWORD, '--dir', t.dir]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/outcome: +logged in without MFA/);
  });

  it('exits 1 with Auth0 wording for a wrong password or an unknown user', async () => {
    for (const user of ['plain@example.com', 'ghost@example.com']) {
      const run = await cli([user, '--password', 'not-it', '--dir', t.dir]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/refused: invalid_grant: Wrong email or password\./);
    }
  });

  it('refuses a malformed --otp and a missing password, naming them', async () => {
    const otp = await cli(['plain@example.com', '--otp', '12ab', '--dir', t.dir]);
    expect(otp.code).toBe(2);
    expect(otp.stderr).toMatch(/--otp must be the 6 digits/);
    const none = await cli(['plain@example.com', '--dir', t.dir]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no password: pass --password/);
  });

  it('exits non-zero with a clear message when the tenant is not running', async () => {
    const stopped = await startTestTenant();
    await stopped.tenant.stop();
    try {
      const run = await cli(['flagged@example.com', '--password', PASSWORD, '--dir', stopped.dir]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/not running.*npm run local-tenant/);
    } finally {
      rmSync(stopped.dir, { recursive: true, force: true });
    }
  });

  it('exits non-zero when there is no tenant directory at all', async () => {
    const empty = tempDir();
    try {
      const run = await cli(['flagged@example.com', '--dir', empty]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/no local tenant in .*npm run local-tenant/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
