// A person logging in with a real browser on the tenant's login pages, after the stack's deploy:
// alice (flagged) enrolls OTP and lands on the callback with amr mfa; bob goes straight through;
// allowRememberBrowser decides whether the same browser is challenged again.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { tempDir } from '../support/temp-dirs';
import { type Browser, launchBrowser } from './browser';
import { type E2eEnvironment, SEED_PASSWORD } from './harness';
import { deployedForLogins, totp } from './login-clients';

jest.setTimeout(300_000);

// The README's picture is refreshed only when asked for (UPDATE_SCREENSHOTS=1): a test run must not
// rewrite tracked files. Otherwise the screenshot goes to a temp folder, and is still taken.
const SCREENSHOT = process.env.UPDATE_SCREENSHOTS
  ? join(__dirname, '..', '..', 'docs', 'login-challenge.png')
  : join(tempDir('login-screenshot-'), 'login-challenge.png');

/** For one describe block: the stack deployed with `allowRememberBrowser`, and a browser open on its tenant. */
function deployedWithBrowser(name: string, allowRememberBrowser: boolean) {
  const deployed = deployedForLogins(name, { mfa: { factors: ['otp'], allowRememberBrowser } });
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser(deployed.e2e.tenant);
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get e2e() {
      return deployed.e2e;
    },
    /** A new tab of the block's browser. */
    newPage: () => (browser as Browser).context.newPage(),
    /** A login with the password on the block's tenant; the page it leads to. */
    logIn: (page: Page, email: string) => logIn(page, deployed.e2e, email),
  };
}

/** Starts a login of the login application and submits the password; returns the page after it. */
async function logIn(page: Page, e2e: E2eEnvironment, email: string): Promise<string> {
  await page.goto(`${e2e.tenant.baseUrl}/login-app/start`);
  await page.waitForURL(/\/u\/login/);
  await page.fill('#username', email);
  await page.fill('#password', SEED_PASSWORD);
  await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
  return new URL(page.url()).pathname;
}

/** The secret the OTP enrollment page shows. */
const otpSecret = async (page: Page) => ((await page.textContent('#otp-secret')) ?? '').trim();

async function claimsShown(page: Page): Promise<Record<string, unknown>> {
  await page.waitForURL(/\/login-app\/callback/);
  return JSON.parse((await page.textContent('#claims')) ?? 'null');
}

async function answerOtp(page: Page, secret: string, remember = false): Promise<void> {
  await page.fill('#code', totp(secret));
  if (remember) await page.check('input[name=remember]');
  await page.click('button[type=submit]');
}

describe('browser logins on the tenant pages (allowRememberBrowser false)', () => {
  const site = deployedWithBrowser('browser', false);

  it('alice sees the OTP enrollment, enters the code and lands on the callback with amr mfa; she is challenged again next time', async () => {
    const page = await site.newPage();
    expect(await site.logIn(page, 'alice@example.com')).toBe('/u/mfa-otp-enrollment');
    expect(await page.isVisible('img.qr')).toBe(true);
    expect(await page.isVisible('input[name=remember]')).toBe(false);
    const secret = await otpSecret(page);
    await page.screenshot({ path: SCREENSHOT });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(0);
    await answerOtp(page, secret);
    expect(await claimsShown(page)).toMatchObject({ email: 'alice@example.com', amr: ['mfa'] });

    expect(await site.logIn(page, 'alice@example.com')).toBe('/u/mfa-otp-challenge');
    await page.fill('#code', '000000');
    await page.click('button[type=submit]');
    expect(await page.textContent('.error')).toMatch(/not valid/);
    await answerOtp(page, secret);
    expect((await claimsShown(page)).amr).toEqual(['mfa']);
  });

  it('bob goes straight through to the callback', async () => {
    const page = await site.newPage();
    expect(await site.logIn(page, 'bob@example.com')).toBe('/login-app/callback');
    const claims = await claimsShown(page);
    expect(claims).toMatchObject({ email: 'bob@example.com' });
    expect(claims.amr).toBeUndefined();
  });
});

describe('browser logins with allowRememberBrowser true', () => {
  const site = deployedWithBrowser('browser-remember', true);

  it('the second login in the same browser is not challenged; a new browser is', async () => {
    const page = await site.newPage();
    expect(await site.logIn(page, 'alice@example.com')).toBe('/u/mfa-otp-enrollment');
    const secret = await otpSecret(page);
    await answerOtp(page, secret, true);
    expect((await claimsShown(page)).amr).toEqual(['mfa']);

    expect(await site.logIn(page, 'alice@example.com')).toBe('/login-app/callback');
    expect(await claimsShown(page)).toMatchObject({ email: 'alice@example.com' });

    const other = await launchBrowser(site.e2e.tenant);
    try {
      const fresh = await other.context.newPage();
      expect(await site.logIn(fresh, 'alice@example.com')).toBe('/u/mfa-otp-challenge');
    } finally {
      await other.close();
    }
  });
});
