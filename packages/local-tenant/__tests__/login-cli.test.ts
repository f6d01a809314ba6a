import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { PACKAGE_ROOT, startTestTenant, type TestTenant, tempDir } from './helpers';

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

let t: TestTenant;

beforeAll(async () => {
  t = await startTestTenant();
  await t.client.put('/api/v2/guardian/factors/otp', { enabled: true });
  await t.client.createUser('flagged@example.com', { user_metadata: { use_mfa: true } });
  await t.client.createUser('plain@example.com');
  const id = await t.client.createAction(
    'conditional-mfa',
    `exports.onExecutePostLogin = async (event, api) => {
       if (event.transaction.protocol === 'oauth2-refresh-token') return;
       if (event.user.user_metadata.use_mfa === true) api.multifactor.enable('any');
     };`,
  );
  await t.client.bind('post-login', [id]);
});

afterAll(async () => {
  await t.cleanup();
});

describe('npm run login (login-cli.ts)', () => {
  it('prints an MFA challenge for the flagged user and exits 0', async () => {
    const run = await cli(['flagged@example.com', '--dir', t.dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/actions run: conditional-mfa/);
    expect(run.stdout).toMatch(/MFA: +required \(provider any/);
    expect(run.stdout).not.toContain(t.tenant.clientSecret);
  });

  it('prints no MFA for the other user, or on a refresh-token exchange', async () => {
    const plain = await cli(['plain@example.com', '--dir', t.dir]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/MFA: +not required/);
    const refresh = await cli([
      'flagged@example.com',
      '--protocol',
      'oauth2-refresh-token',
      '--dir',
      t.dir,
      '--json',
    ]);
    expect(refresh.code).toBe(0);
    expect(JSON.parse(refresh.stdout)).toMatchObject({
      protocol: 'oauth2-refresh-token',
      mfa: { required: false },
    });
  });

  it('exits non-zero with a clear message for an unknown user', async () => {
    const run = await cli(['ghost@example.com', '--dir', t.dir]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/unknown user: ghost@example.com/);
  });

  it('exits non-zero with a clear message when the tenant is not running', async () => {
    const stopped = await startTestTenant();
    await stopped.tenant.stop();
    try {
      const run = await cli(['flagged@example.com', '--dir', stopped.dir]);
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
