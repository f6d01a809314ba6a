// The tenant's login pages (its Universal Login): each a function from what it shows to HTML.
import { toDataURL } from 'qrcode';
import { errorBox, escapeHtml, form, page } from './html';

export interface PageBase {
  tenantName: string;
  /** The login transaction the form continues. */
  state: string;
  error?: string;
}

export const LOGIN_PATHS = {
  login: '/u/login',
  enrollOtp: '/u/mfa-otp-enrollment',
  challengeOtp: '/u/mfa-otp-challenge',
  challengeEmail: '/u/mfa-email-challenge',
  recoveryCode: '/u/mfa-recovery-code-challenge',
  recoveryCodeSaved: '/u/mfa-recovery-code-enrollment',
} as const;

const codeInput = (label: string, autocomplete = 'one-time-code') =>
  `<label for="code">${escapeHtml(label)}</label><input type="text" id="code" name="code" inputmode="numeric" autocomplete="${autocomplete}" required autofocus>`;

const rememberBox = (remember: boolean) =>
  remember
    ? '<label class="check"><input type="checkbox" name="remember" value="1"> Remember this device for 30 days</label>'
    : '';

export function loginPage(p: PageBase & { username?: string; connection: string }): string {
  const fields = `<label for="username">Email address</label>
<input type="email" id="username" name="username" value="${escapeHtml(p.username)}" autocomplete="username" required autofocus>
<label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required>`;
  return page(
    'Log in',
    `<h1>Welcome</h1><p>Log in to continue (${escapeHtml(p.connection)}).</p>${errorBox(p.error)}${form(LOGIN_PATHS.login, p.state, fields, 'Continue')}`,
    p.tenantName,
  );
}

export async function enrollOtpPage(
  p: PageBase & { secret: string; uri: string; remember: boolean; alternatives: string },
): Promise<string> {
  const qr = await toDataURL(p.uri, { margin: 1, width: 200 });
  return page(
    'Secure your account',
    `<h1>Secure your account</h1><p>Scan the QR code with an authenticator app (Google Authenticator, Auth0 Guardian, ...), then enter the 6-digit code it shows.</p>
<img class="qr" alt="QR code for the authenticator app" src="${qr}" width="200" height="200">
<p>Or enter this key by hand:</p><p class="secret" id="otp-secret">${escapeHtml(p.secret)}</p>
${errorBox(p.error)}${form(LOGIN_PATHS.enrollOtp, p.state, `${codeInput('One-time code')}${rememberBox(p.remember)}`, 'Continue')}${p.alternatives}`,
    p.tenantName,
  );
}

export function challengeOtpPage(p: PageBase & { remember: boolean; alternatives: string }): string {
  return page(
    'Verify your identity',
    `<h1>Verify your identity</h1><p>Enter the 6-digit code from your authenticator app.</p>${errorBox(p.error)}
${form(LOGIN_PATHS.challengeOtp, p.state, `${codeInput('One-time code')}${rememberBox(p.remember)}`, 'Continue')}${p.alternatives}`,
    p.tenantName,
  );
}

export function challengeEmailPage(
  p: PageBase & { maskedEmail: string; remember: boolean; alternatives: string },
): string {
  return page(
    'Verify your identity',
    `<h1>Verify your identity</h1><p>We sent a code to ${escapeHtml(p.maskedEmail)}. Enter it to continue.</p>${errorBox(p.error)}
${form(LOGIN_PATHS.challengeEmail, p.state, `${codeInput('Email code')}${rememberBox(p.remember)}`, 'Continue')}${p.alternatives}`,
    p.tenantName,
  );
}

export function recoveryCodePage(p: PageBase & { alternatives: string }): string {
  return page(
    'Verify your identity',
    `<h1>Verify your identity</h1><p>Enter the recovery code you saved when you enrolled.</p>${errorBox(p.error)}
${form(LOGIN_PATHS.recoveryCode, p.state, codeInput('Recovery code', 'off'), 'Continue')}${p.alternatives}`,
    p.tenantName,
  );
}

export function recoveryCodeSavedPage(p: PageBase & { code: string }): string {
  return page(
    'Almost there',
    `<h1>Almost there!</h1><p>Copy this recovery code and keep it somewhere safe. You will need it if you lose your device.</p>
<p class="secret" id="recovery-code">${escapeHtml(p.code)}</p>
${form(LOGIN_PATHS.recoveryCodeSaved, p.state, '<label class="check"><input type="checkbox" name="saved" value="1" required> I have safely recorded this code</label>', 'Continue')}`,
    p.tenantName,
  );
}

/** Links to the other factors the user may use instead, each a GET of that page with the state. */
export function alternativesLinks(state: string, others: Array<{ path: string; label: string }>): string {
  if (others.length === 0) return '';
  const links = others.map(
    (o) =>
      `<a href="${escapeHtml(`${o.path}?state=${encodeURIComponent(state)}`)}">${escapeHtml(o.label)}</a>`,
  );
  return `<div class="links">${links.join('')}</div>`;
}

export function errorPage(tenantName: string, title: string, description: string): string {
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1><p class="error" role="alert">${escapeHtml(description)}</p>`,
    tenantName,
  );
}

/** The login application's callback page: what a person trying a login wants to see. */
export function claimsPage(
  tenantName: string,
  result: { idTokenClaims?: unknown; error?: string; description?: string; loginUrl: string },
): string {
  const body = result.error
    ? `<h1>Login failed</h1><p class="error" role="alert">${escapeHtml(result.error)}: ${escapeHtml(result.description)}</p>`
    : `<h1>Logged in</h1><p>The ID token's claims:</p><pre id="claims">${escapeHtml(JSON.stringify(result.idTokenClaims, null, 2))}</pre>`;
  return page(
    'Login result',
    `${body}<div class="links"><a href="${escapeHtml(result.loginUrl)}">Log in again</a></div>`,
    tenantName,
  );
}
