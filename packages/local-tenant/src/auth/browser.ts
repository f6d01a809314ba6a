// Browser logins (the tenant's Universal Login): /authorize starts a login transaction, the pages
// ask for the password, then for OTP enrollment or a challenge as the Actions require, and the login
// returns to the application's callback with a code (or an error). Remembered browsers skip MFA
// when the Action allowed it (allowRememberBrowser: true), for 30 days, as Auth0 does.
import { randomBytes } from 'node:crypto';
import {
  alternativesLinks,
  challengeEmailPage,
  challengeOtpPage,
  enrollOtpPage,
  errorPage,
  LOGIN_PATHS,
  loginPage,
  recoveryCodePage,
  recoveryCodeSavedPage,
} from '../login-pages/pages';
import { tenantOrigins, urlListed } from './allowed-urls';
import { isAuthError } from './errors';
import { Expiring } from './expiring';
import { LOCAL_FACTORS, type LocalFactor } from './factors';
import type { CompletedLogin } from './issue';
import type { Client } from './model';
import { hashCode, sameHash } from './otp';
import { PKCE_METHODS } from './pkce';
import { type AuthService, newSession, type PendingLogin, type RequestInfo, splitScope } from './service';
import type { LoginUser } from './tenant-port';

export const REMEMBER_COOKIE = 'auth0-mf';
const REMEMBER_DAYS = 30;
const LOGIN_LIFETIME_MS = 30 * 60_000;

export type PageResult =
  | { kind: 'html'; status: number; html: string }
  | { kind: 'text'; status: number; text: string }
  | { kind: 'redirect'; location: string; setCookie?: string };

type Step =
  | 'password'
  | 'enroll-otp'
  | 'challenge-otp'
  | 'challenge-email'
  | 'recovery-code'
  | 'show-recovery-code';

interface BrowserLogin {
  client: Client;
  redirectUri: string;
  state?: string;
  nonce?: string;
  scope: string[];
  codeChallenge?: string;
  codeChallengeMethod?: string;
  connection: string;
  step: Step;
  pending?: PendingLogin;
  enrollment?: { secret: string; uri: string; recoveryCode?: string };
  completed?: CompletedLogin;
  rememberCookie?: string;
}

/** A callback URL of a client (Auth0's URL list rule, query compared exactly). */
export function callbackAllowed(client: Client, redirectUri: string, issuer: string): boolean {
  return urlListed(client.callbacks, redirectUri, { tenantOrigins: tenantOrigins(issuer), query: 'exact' });
}

function withParams(url: string, params: Record<string, string | undefined>): string {
  const target = new URL(url);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) target.searchParams.set(k, v);
  return target.toString();
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

export class BrowserLogins {
  private readonly logins = new Expiring<BrowserLogin>(LOGIN_LIFETIME_MS);

  constructor(private readonly auth: AuthService) {}

  private html(html: string, status = 200): PageResult {
    return { kind: 'html', status, html };
  }

  private errorPage(title: string, description: string, status = 400): PageResult {
    return this.html(errorPage(this.auth.port.tenantName(), title, description), status);
  }

  /** GET /authorize */
  authorize(query: URLSearchParams): PageResult {
    const client = this.auth.findClient(query.get('client_id') ?? undefined);
    if (!client)
      return this.errorPage(
        'Unknown client',
        `Unknown client: ${query.get('client_id') ?? '(missing client_id)'}`,
      );
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!redirectUri || !callbackAllowed(client, redirectUri, this.auth.issuer)) {
      return this.errorPage(
        'Callback URL mismatch',
        `The provided redirect_uri is not in the list of allowed callback URLs: ${redirectUri || '(missing)'}`,
      );
    }
    const state = query.get('state') ?? undefined;
    const fail = (error: string, description: string): PageResult => ({
      kind: 'redirect',
      location: withParams(redirectUri, { error, error_description: description, state }),
    });
    if (query.get('response_type') !== 'code')
      return fail('unsupported_response_type', 'Unsupported response type: only "code" is served here');
    const method = query.get('code_challenge_method') ?? (query.get('code_challenge') ? 'plain' : undefined);
    if (method && !(PKCE_METHODS as readonly string[]).includes(method))
      return fail('invalid_request', `Unknown code_challenge_method: ${method}`);
    if (!client.grant_types.includes('authorization_code'))
      return fail('unauthorized_client', 'Grant type authorization_code not allowed for the client.');
    if (query.get('prompt') === 'none') return fail('login_required', 'Login required');
    const connection =
      query.get('connection') ?? this.auth.port.defaultDirectory() ?? this.auth.port.connections()[0];
    if (!this.auth.port.connections().includes(connection))
      return fail('invalid_request', `the connection was not found: ${connection}`);
    const handle = this.logins.put({
      client,
      redirectUri,
      state,
      nonce: query.get('nonce') ?? undefined,
      scope: splitScope(query.get('scope') ?? undefined, 'openid'),
      codeChallenge: query.get('code_challenge') ?? undefined,
      codeChallengeMethod: method,
      connection,
      step: 'password',
    });
    return { kind: 'redirect', location: `${LOGIN_PATHS.login}?state=${encodeURIComponent(handle)}` };
  }

  private find(handle: string | undefined): BrowserLogin | undefined {
    return handle ? this.logins.get(handle) : undefined;
  }

  private expired(): PageResult {
    return this.errorPage(
      'Login expired',
      'This login page is no longer valid: start the login again from the application.',
    );
  }

  /** GET of any login page: shows the step the transaction is at (or the one asked for, if allowed). */
  async show(path: string, handle: string | undefined, error?: string): Promise<PageResult> {
    const login = this.find(handle);
    if (!login || !handle) return this.expired();
    const asked = stepOf(path);
    if (asked && asked !== login.step && this.canSwitch(login, asked)) {
      login.step = asked;
      if (asked === 'challenge-email') this.sendEmail(login);
    }
    return this.render(login, handle, error);
  }

  private canSwitch(login: BrowserLogin, step: Step): boolean {
    if (!login.pending || login.step === 'show-recovery-code' || login.step === 'enroll-otp') return false;
    const factor = factorOf(step);
    return factor !== undefined && this.auth.authenticatorsOf(login.pending).some((a) => a.type === factor);
  }

  private alternatives(login: BrowserLogin, handle: string): string {
    if (!login.pending || login.step === 'enroll-otp') return '';
    const kinds = new Set(this.auth.authenticatorsOf(login.pending).map((a) => a.type));
    const links = LOCAL_FACTORS.filter((f) => kinds.has(f) && CHALLENGES[f].step !== login.step).map((f) => ({
      path: pathOf(CHALLENGES[f].step),
      label: CHALLENGES[f].label,
    }));
    return alternativesLinks(handle, links);
  }

  private async render(login: BrowserLogin, handle: string, error?: string): Promise<PageResult> {
    const base = { tenantName: this.auth.port.tenantName(), state: handle, error };
    const remember = login.pending?.allowRememberBrowser ?? false;
    const alternatives = this.alternatives(login, handle);
    switch (login.step) {
      case 'password':
        return this.html(loginPage({ ...base, connection: login.connection }), error ? 400 : 200);
      case 'enroll-otp': {
        const enrollment = login.enrollment;
        if (!enrollment) return this.expired();
        return this.html(
          await enrollOtpPage({
            ...base,
            secret: enrollment.secret,
            uri: enrollment.uri,
            remember,
            alternatives,
          }),
        );
      }
      case 'challenge-otp':
        return this.html(challengeOtpPage({ ...base, remember, alternatives }));
      case 'challenge-email':
        return this.html(
          challengeEmailPage({
            ...base,
            maskedEmail: mask(login.pending?.user.email),
            remember,
            alternatives,
          }),
        );
      case 'recovery-code':
        return this.html(recoveryCodePage({ ...base, alternatives }));
      case 'show-recovery-code':
        return this.html(recoveryCodeSavedPage({ ...base, code: login.enrollment?.recoveryCode ?? '' }));
    }
  }

  private sendEmail(login: BrowserLogin): void {
    const pending = login.pending;
    const email = this.auth.authenticatorsOf(pending as PendingLogin).find((a) => a.type === 'email');
    if (pending && email?.email) this.auth.sendEmailCode(pending, email.id, email.email);
  }

  /** POST of a login page: the form's answer moves the transaction on. */
  async submit(
    path: string,
    form: Record<string, string>,
    request: RequestInfo,
    cookies: Record<string, string>,
  ): Promise<PageResult> {
    const handle = form.state;
    const login = this.find(handle);
    if (!login || !handle) return this.expired();
    if (stepOf(path) !== login.step) return this.render(login, handle);
    try {
      if (login.step === 'password') return await this.password(login, handle, form, request, cookies);
      if (login.step === 'show-recovery-code') return this.finish(login, handle);
      const pending = login.pending as PendingLogin;
      const code = (form.code ?? '').trim();
      const answer =
        login.step === 'recovery-code'
          ? { recoveryCode: code }
          : login.step === 'challenge-email'
            ? { oobCode: pending.emailChallenge?.oobCode ?? '', bindingCode: code }
            : { otp: code };
      this.auth.verifySecondFactor(pending, answer);
      if (form.remember === '1' && pending.allowRememberBrowser)
        login.rememberCookie = this.rememberBrowser(pending.user.user_id);
      login.completed = this.auth.complete(pending, ['mfa']);
      if (login.step === 'enroll-otp' && login.enrollment?.recoveryCode) {
        login.step = 'show-recovery-code';
        return { kind: 'redirect', location: `${pathOf(login.step)}?state=${encodeURIComponent(handle)}` };
      }
      return this.finish(login, handle);
    } catch (error) {
      if (isAuthError(error)) {
        if (!this.find(handle)) return this.expired();
        return this.render(
          login,
          handle,
          login.step === 'password' ? error.message : 'The code is not valid. Try again.',
        );
      }
      throw error;
    }
  }

  private async password(
    login: BrowserLogin,
    handle: string,
    form: Record<string, string>,
    request: RequestInfo,
    cookies: Record<string, string>,
  ): Promise<PageResult> {
    let user: LoginUser;
    try {
      user = await this.auth.userByPassword(form.username ?? '', form.password ?? '', login.connection);
    } catch (error) {
      if (!isAuthError(error)) throw error;
      return this.html(
        loginPage({
          tenantName: this.auth.port.tenantName(),
          state: handle,
          connection: login.connection,
          username: form.username,
          error: error.message,
        }),
        400,
      );
    }
    const outcome = await this.auth.runFlow(
      login.client,
      user,
      {
        protocol: 'oidc-basic-profile',
        scope: login.scope,
        ip: request.ip,
        userAgent: request.userAgent,
        method: 'POST',
        redirectUri: login.redirectUri,
        state: login.state,
        methods: [{ name: 'pwd', timestamp: new Date().toISOString() }],
      },
      this.remembered(user.user_id, cookies[REMEMBER_COOKIE]),
    );
    const base = {
      client: login.client,
      user,
      protocol: 'oidc-basic-profile',
      scope: login.scope,
      nonce: login.nonce,
      request,
      ...newSession(),
    };
    if (outcome.kind === 'failed') {
      this.logins.delete(handle);
      return {
        kind: 'redirect',
        location: withParams(login.redirectUri, {
          error: outcome.error,
          error_description: outcome.description,
          state: login.state,
        }),
      };
    }
    if (outcome.kind === 'complete') {
      login.completed = this.auth.complete({ ...base, flow: outcome.state }, []);
      return this.finish(login, handle);
    }
    const pending = this.auth.pendingFrom(outcome, base);
    login.pending = pending;
    const mine = this.auth.authenticatorsOf(pending);
    const first = mine[0];
    if (first) {
      login.step = CHALLENGES[first.type].step;
      if (login.step === 'challenge-email') this.sendEmail(login);
    } else if (pending.factors.includes('otp')) {
      const enrollment = this.auth.enrollOtp(pending);
      login.enrollment = {
        secret: enrollment.secret,
        uri: enrollment.barcodeUri,
        recoveryCode: enrollment.recoveryCode,
      };
      login.step = 'enroll-otp';
    } else {
      this.logins.delete(handle);
      return {
        kind: 'redirect',
        location: withParams(login.redirectUri, {
          error: 'access_denied',
          error_description: `MFA is required but the user has no authenticator for ${pending.factors.join(', ')} and the local tenant can only enroll otp in the browser`,
          state: login.state,
        }),
      };
    }
    return { kind: 'redirect', location: `${pathOf(login.step)}?state=${encodeURIComponent(handle)}` };
  }

  private finish(login: BrowserLogin, handle: string): PageResult {
    this.logins.delete(handle);
    const completed = login.completed as CompletedLogin;
    const code = this.auth.codes.put({
      login: completed,
      client: login.client,
      redirectUri: login.redirectUri,
      codeChallenge: login.codeChallenge,
      codeChallengeMethod: login.codeChallengeMethod,
    });
    const result: PageResult = {
      kind: 'redirect',
      location: withParams(login.redirectUri, { code, state: login.state }),
    };
    if (login.rememberCookie) {
      result.setCookie = `${REMEMBER_COOKIE}=${login.rememberCookie}; Path=/; Max-Age=${REMEMBER_DAYS * 86400}; HttpOnly; Secure; SameSite=Lax`;
    }
    return result;
  }

  private rememberBrowser(userId: string): string {
    const value = randomBytes(24).toString('base64url');
    const expires = new Date(Date.now() + REMEMBER_DAYS * 86_400_000).toISOString();
    this.auth.port.changeAuth((auth) => {
      const now = new Date().toISOString();
      const list = (auth.rememberedBrowsers[userId] ?? []).filter((b) => b.expires_at > now);
      list.push({ hash: hashCode(value), expires_at: expires });
      auth.rememberedBrowsers[userId] = list;
    });
    return value;
  }

  private remembered(userId: string, cookie: string | undefined): boolean {
    if (!cookie) return false;
    const now = new Date().toISOString();
    const given = hashCode(cookie);
    return (this.auth.port.auth().rememberedBrowsers[userId] ?? []).some(
      (b) => b.expires_at > now && sameHash(b.hash, given),
    );
  }
}

const STEP_PATHS: Record<Step, string> = {
  password: LOGIN_PATHS.login,
  'enroll-otp': LOGIN_PATHS.enrollOtp,
  'challenge-otp': LOGIN_PATHS.challengeOtp,
  'challenge-email': LOGIN_PATHS.challengeEmail,
  'recovery-code': LOGIN_PATHS.recoveryCode,
  'show-recovery-code': LOGIN_PATHS.recoveryCodeSaved,
};

/** Each factor's challenge step and the link that switches to it (pages list them in LOCAL_FACTORS order). */
const CHALLENGES: Record<LocalFactor, { step: Step; label: string }> = {
  otp: { step: 'challenge-otp', label: 'Use the authenticator app' },
  email: { step: 'challenge-email', label: 'Send a code by email' },
  'recovery-code': { step: 'recovery-code', label: 'Use a recovery code' },
};

function factorOf(step: Step): LocalFactor | undefined {
  return LOCAL_FACTORS.find((f) => CHALLENGES[f].step === step);
}

function pathOf(step: Step): string {
  return STEP_PATHS[step];
}

function stepOf(path: string): Step | undefined {
  return (Object.keys(STEP_PATHS) as Step[]).find((s) => STEP_PATHS[s] === path);
}

function mask(email: string | undefined): string {
  if (!email) return 'your email address';
  const [name, domain] = email.split('@');
  return `${name.slice(0, 1)}***@${domain ?? ''}`;
}
