// The Authentication API's logic, apart from HTTP: clients, the password and refresh-token grants,
// the login pipeline, the MFA API (associate, challenge, authenticators, the mfa-* grants) and the
// tokens of a completed login. The browser pages (browser.ts) drive the same pending logins.
import { randomBytes } from 'node:crypto';
import type { WireFlowState } from '../actions-runtime/protocol';
import type { ActionWorkers } from '../actions-runtime/workers';
import { type ClientAuth, sameSecret } from '../server/credentials';
import {
  emailVerified,
  enrolled,
  startEmailEnrollment,
  startOtpEnrollment,
  useRecoveryCode,
  verifyOtp,
} from './authenticators';
import { SUPPORTED_SCOPES } from './discovery';
import { authError, invalidRequest, WRONG_CREDENTIALS } from './errors';
import { Expiring } from './expiring';
import type { LocalFactor } from './factors';
import { type CompletedLogin, issueTokens, profileClaims, type TokenSet } from './issue';
import { type FlowOutcome, runLoginFlow } from './login-flow';
import type { Client } from './model';
import { hashCode, newEmailCode, sameHash } from './otp';
import { pkceMatches } from './pkce';
import type { EventContext, LoginUser, TenantPort } from './tenant-port';
import type { TokenError, TokenSigner } from './tokens';

const MFA_TOKEN_LIFETIME_MS = 10 * 60_000;
const CODE_LIFETIME_MS = 10 * 60_000;
const MAX_WRONG_CODES = 5;

export interface RequestInfo {
  ip: string;
  userAgent: string;
}

/** A login past its password, waiting for MFA (the MFA API's mfa_token, or a login page's state). */
export interface PendingLogin {
  client: Client;
  user: LoginUser;
  protocol: string;
  scope: string[];
  nonce?: string;
  request: RequestInfo;
  flow: WireFlowState;
  factors: LocalFactor[];
  allowRememberBrowser: boolean;
  authTime: number;
  sessionId: string;
  emailChallenge?: { authenticatorId: string; codeHash: string; oobCode: string };
  wrongCodes: number;
  /** The flow's metadata changes were saved when it asked for MFA. */
  metadataSaved?: boolean;
}

export interface IssuedCode {
  login: CompletedLogin;
  client: Client;
  redirectUri: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
}

/** Where email codes go: the tenant sends no mail, it keeps the messages for the person or test to read. */
export interface Outbox {
  send(to: string, subject: string, text: string): void;
}

export interface AuthServiceOptions {
  port: TenantPort;
  signer: TokenSigner;
  workers: ActionWorkers;
  outbox: Outbox;
  /** Flow time limit for the post-login Actions (Auth0: 20 s). */
  actionTimeLimitMs?: number;
}

/** A new login session: when the user authenticated (seconds) and the session's id (the tokens' `sid`). */
export function newSession(): Pick<PendingLogin, 'authTime' | 'sessionId'> {
  return { authTime: Math.floor(Date.now() / 1000), sessionId: randomBytes(16).toString('base64url') };
}

export function splitScope(scope: string | undefined, fallback: string): string[] {
  const words = (scope ?? fallback).split(/\s+/).filter(Boolean);
  return [...new Set(words)];
}

export class AuthService {
  readonly mfaTokens = new Expiring<PendingLogin>(MFA_TOKEN_LIFETIME_MS);
  readonly codes = new Expiring<IssuedCode>(CODE_LIFETIME_MS);

  constructor(private readonly options: AuthServiceOptions) {}

  get port(): TenantPort {
    return this.options.port;
  }

  get issuer(): string {
    return this.options.signer.issuer;
  }

  // ---- clients ---------------------------------------------------------------------------------

  findClient(clientId: string | undefined): Client | undefined {
    return this.port.auth().clients.find((c) => c.client_id === clientId);
  }

  /** The client of a token or MFA request, authenticated by its secret as Auth0 does for confidential clients. */
  authenticateClient(auth: ClientAuth, grantType?: string): Client {
    const client = this.findClient(auth.clientId);
    if (!client || !auth.clientSecret || !sameSecret(auth.clientSecret, client.client_secret)) {
      throw authError(401, 'access_denied', 'Unauthorized');
    }
    if (grantType && !client.grant_types.includes(grantType)) {
      throw authError(403, 'unauthorized_client', `Grant type '${grantType}' not allowed for the client.`);
    }
    return client;
  }

  /** The user of `connection` these credentials name; 403 `Wrong email or password.` (Auth0's words) otherwise. */
  async userByPassword(username: string, password: string, connection: string): Promise<LoginUser> {
    const user = this.port.findUserByEmail(username, connection);
    if (!user || !(await this.port.checkPassword(user.user_id, password))) {
      throw authError(403, 'invalid_grant', WRONG_CREDENTIALS);
    }
    return user;
  }

  // ---- the login pipeline ----------------------------------------------------------------------

  private grantedScope(client: Client, requested: string[]): string[] {
    return requested.filter(
      (s) =>
        SUPPORTED_SCOPES.includes(s) &&
        (s !== 'offline_access' || client.grant_types.includes('refresh_token')),
    );
  }

  /** Runs the post-login Actions for a user whose first factor passed. */
  runFlow(
    client: Client,
    user: LoginUser,
    context: Omit<EventContext, 'clientId' | 'clientName'>,
    browserRemembered: boolean,
  ): Promise<FlowOutcome> {
    const full: EventContext = { ...context, clientId: client.client_id, clientName: client.name };
    return runLoginFlow(this.port, this.options.workers, {
      userId: user.user_id,
      blocked: user.blocked,
      protocol: context.protocol,
      userMetadata: user.user_metadata,
      appMetadata: user.app_metadata,
      browserRemembered,
      timeLimitMs: this.options.actionTimeLimitMs,
      event: (state, secrets) => this.port.postLoginEvent(user.user_id, state, secrets, full),
    });
  }

  pendingFrom(
    outcome: Extract<FlowOutcome, { kind: 'mfa' }>,
    base: Omit<PendingLogin, 'flow' | 'factors' | 'allowRememberBrowser' | 'wrongCodes'>,
  ): PendingLogin {
    return {
      ...base,
      flow: outcome.state,
      factors: outcome.factors,
      allowRememberBrowser: outcome.allowRememberBrowser,
      wrongCodes: 0,
      metadataSaved: true,
    };
  }

  /** The login as tokens will carry it; records it on the user with the flow's unsaved metadata changes. */
  complete(
    base: Omit<PendingLogin, 'factors' | 'allowRememberBrowser' | 'wrongCodes'>,
    amr: string[],
  ): CompletedLogin {
    this.port.writeBack(base.user.user_id, {
      metadata: base.metadataSaved ? undefined : base.flow,
      completed: { ip: base.request.ip },
    });
    const scope = [
      ...base.scope.filter((s) => !base.flow.scopesRemoved.includes(s)),
      ...base.flow.scopesAdded.filter((s) => !base.scope.includes(s)),
    ];
    const fresh = this.port.findUserById(base.user.user_id) ?? base.user;
    return {
      user: fresh,
      clientId: base.client.client_id,
      scope,
      nonce: base.nonce,
      amr,
      authTime: base.authTime,
      sessionId: base.sessionId,
      idTokenClaims: base.flow.idTokenClaims,
      accessTokenClaims: base.flow.accessTokenClaims,
    };
  }

  /** Tokens for a completed login, with a refresh token (kept hashed) when offline_access was granted. */
  async tokensFor(login: CompletedLogin, client: Client, withRefresh = true): Promise<TokenSet> {
    let refresh: string | undefined;
    if (withRefresh && login.scope.includes('offline_access')) {
      refresh = randomBytes(32).toString('base64url');
      const hash = hashCode(refresh);
      this.port.changeAuth((auth) => {
        auth.refreshTokens.push({
          id: randomBytes(8).toString('hex'),
          token_hash: hash,
          user_id: login.user.user_id,
          client_id: client.client_id,
          scope: login.scope.join(' '),
          created_at: new Date().toISOString(),
        });
      });
    }
    return issueTokens(this.options.signer, login, refresh);
  }

  private failure(outcome: Extract<FlowOutcome, { kind: 'failed' }>): never {
    const status = outcome.error === 'unauthorized' ? 401 : 403;
    throw authError(status, outcome.error, outcome.description);
  }

  private mfaRequired(pending: PendingLogin): never {
    const mfaToken = this.mfaTokens.put(pending);
    throw authError(403, 'mfa_required', 'Multifactor authentication required', { mfa_token: mfaToken });
  }

  // ---- grants ----------------------------------------------------------------------------------

  /** `password` (the default directory) and `password-realm` (`realm` = connection): 403 mfa_required with an mfa_token when the Actions ask for MFA. */
  async passwordGrant(
    client: Client,
    form: Record<string, string>,
    request: RequestInfo,
    realm: string | undefined,
  ): Promise<TokenSet> {
    if (!form.username) throw invalidRequest('Missing required parameter: username');
    if (!form.password) throw invalidRequest('Missing required parameter: password');
    if (form.audience) throw authError(403, 'access_denied', `Service not found: ${form.audience}`);
    const connection = realm ?? this.port.defaultDirectory();
    if (!connection) {
      throw authError(500, 'server_error', 'Authorization server not configured with default connection.');
    }
    if (!this.port.connections().includes(connection)) {
      throw authError(
        400,
        'invalid_request',
        `Unknown realm: ${connection} (connections: ${this.port.connections().join(', ')})`,
      );
    }
    const user = await this.userByPassword(form.username, form.password, connection);
    const scope = this.grantedScope(client, splitScope(form.scope, 'openid profile email'));
    const methods = [{ name: 'pwd', timestamp: new Date().toISOString() }];
    return this.grantAfterFlow({ client, user, protocol: 'oauth2-password', scope, request }, methods, true);
  }

  /** Refresh token exchange: the post-login Actions run again (protocol oauth2-refresh-token). */
  async refreshGrant(client: Client, form: Record<string, string>, request: RequestInfo): Promise<TokenSet> {
    if (!form.refresh_token) throw invalidRequest('Missing required parameter: refresh_token');
    const hash = hashCode(form.refresh_token);
    const stored = this.port
      .auth()
      .refreshTokens.find((t) => sameHash(t.token_hash, hash) && t.client_id === client.client_id);
    const user = stored && this.port.findUserById(stored.user_id);
    if (!stored || !user) throw authError(403, 'invalid_grant', 'Unknown or invalid refresh token.');
    const granted = stored.scope.split(' ');
    const scope = form.scope ? splitScope(form.scope, '').filter((s) => granted.includes(s)) : granted;
    return this.grantAfterFlow({ client, user, protocol: 'oauth2-refresh-token', scope, request }, [], false);
  }

  /**
   * The step the password and refresh-token grants share: run the post-login Actions, then answer
   * with tokens, 403 mfa_required (with an mfa_token) or the Actions' denial.
   */
  private async grantAfterFlow(
    login: Pick<PendingLogin, 'client' | 'user' | 'protocol' | 'scope' | 'request'>,
    methods: EventContext['methods'],
    withRefresh: boolean,
  ): Promise<TokenSet> {
    const { client, user, protocol, scope, request } = login;
    const base = { ...login, ...newSession() };
    const outcome = await this.runFlow(
      client,
      user,
      { protocol, scope, ip: request.ip, userAgent: request.userAgent, method: 'POST', methods },
      false,
    );
    if (outcome.kind === 'failed') this.failure(outcome);
    if (outcome.kind === 'mfa') this.mfaRequired(this.pendingFrom(outcome, base));
    return this.tokensFor(this.complete({ ...base, flow: outcome.state }, []), client, withRefresh);
  }

  /** authorization_code with PKCE: the code of a browser login (single use). */
  async codeGrant(client: Client, form: Record<string, string>): Promise<TokenSet> {
    if (!form.code) throw invalidRequest('Missing required parameter: code');
    const issued = this.codes.take(form.code);
    if (!issued || issued.client.client_id !== client.client_id)
      throw authError(403, 'invalid_grant', 'Invalid authorization code');
    if (form.redirect_uri !== issued.redirectUri)
      throw authError(403, 'invalid_grant', 'Invalid redirect_uri');
    if (issued.codeChallenge) {
      if (
        !form.code_verifier ||
        !pkceMatches(form.code_verifier, issued.codeChallenge, issued.codeChallengeMethod ?? 'plain')
      ) {
        throw authError(403, 'invalid_grant', 'Failed to verify code verifier');
      }
    }
    return this.tokensFor(issued.login, client);
  }

  // ---- the MFA API -----------------------------------------------------------------------------

  pendingByToken(mfaToken: string | undefined): PendingLogin {
    const pending = mfaToken ? this.mfaTokens.get(mfaToken) : undefined;
    if (!pending) throw authError(403, 'invalid_grant', 'Malformed mfa_token');
    return pending;
  }

  /** The user's authenticators among the factors this login allows. */
  authenticatorsOf(pending: PendingLogin) {
    return enrolled(this.port.auth(), pending.user.user_id, pending.factors);
  }

  /** A new, unconfirmed OTP authenticator for this login's user (a recovery code with it when enabled). */
  enrollOtp(pending: PendingLogin) {
    const { user_id: userId, email } = pending.user;
    return this.port.changeAuth((auth) =>
      startOtpEnrollment(
        auth,
        userId,
        email ?? userId,
        this.port.tenantName(),
        pending.factors.includes('recovery-code'),
      ),
    );
  }

  /** POST /mfa/associate for a user with nothing enrolled yet: OTP (secret + QR URI) or email. */
  associate(
    pending: PendingLogin,
    body: { authenticator_types?: unknown; oob_channels?: unknown; email?: unknown },
  ) {
    const types = body.authenticator_types;
    if (!Array.isArray(types) || types.length === 0)
      throw invalidRequest('authenticator_types is required (["otp"] or ["oob"])');
    if (this.authenticatorsOf(pending).length > 0)
      throw authError(403, 'access_denied', 'User is already enrolled.');
    const userId = pending.user.user_id;
    if (types.includes('otp')) {
      if (!pending.factors.includes('otp'))
        throw authError(403, 'access_denied', 'The otp factor is not enabled for this login.');
      const enrollment = this.enrollOtp(pending);
      return {
        authenticator_type: 'otp',
        secret: enrollment.secret,
        barcode_uri: enrollment.barcodeUri,
        ...(enrollment.recoveryCode ? { recovery_codes: [enrollment.recoveryCode] } : {}),
      };
    }
    const channels = Array.isArray(body.oob_channels) ? body.oob_channels : [];
    if (types.includes('oob') && channels.includes('email')) {
      if (!pending.factors.includes('email'))
        throw authError(403, 'access_denied', 'The email factor is not enabled for this login.');
      const email = typeof body.email === 'string' ? body.email : pending.user.email;
      if (!email) throw invalidRequest('email is required for the email channel');
      const authenticator = this.port.changeAuth((auth) => startEmailEnrollment(auth, userId, email));
      const oobCode = this.sendEmailCode(pending, authenticator.id, email);
      return { authenticator_type: 'oob', oob_channel: 'email', oob_code: oobCode, binding_method: 'prompt' };
    }
    throw authError(
      400,
      'unsupported_challenge_type',
      `The local tenant cannot enroll ${JSON.stringify(types)} (otp, or oob with the email channel)`,
    );
  }

  /** Sends a 6-digit code to the outbox; the mfa-oob grant checks it against the returned oob_code. */
  sendEmailCode(pending: PendingLogin, authenticatorId: string, email: string): string {
    const code = newEmailCode();
    const oobCode = randomBytes(18).toString('base64url');
    pending.emailChallenge = { authenticatorId, codeHash: hashCode(code), oobCode };
    this.options.outbox.send(
      email,
      `${this.port.tenantName()}: your verification code`,
      `Your verification code is ${code}`,
    );
    return oobCode;
  }

  /** POST /mfa/challenge: otp needs nothing sent; oob (email) sends a code. */
  challenge(pending: PendingLogin, challengeType: string | undefined, authenticatorId: string | undefined) {
    const mine = this.authenticatorsOf(pending);
    const wanted = (challengeType ?? 'otp oob').split(/\s+/);
    const candidate = mine.find(
      (a) =>
        (authenticatorId ? a.id === authenticatorId : true) &&
        ((a.type === 'otp' && wanted.includes('otp')) || (a.type === 'email' && wanted.includes('oob'))),
    );
    if (!candidate)
      throw authError(
        403,
        'unsupported_challenge_type',
        'User is not enrolled with an authenticator of that challenge type.',
      );
    if (candidate.type === 'otp') return { challenge_type: 'otp' };
    const oobCode = this.sendEmailCode(pending, candidate.id, candidate.email ?? '');
    return { challenge_type: 'oob', oob_code: oobCode, binding_method: 'prompt' };
  }

  private wrong(pending: PendingLogin, mfaToken: string | undefined, description: string): never {
    pending.wrongCodes++;
    if (pending.wrongCodes >= MAX_WRONG_CODES && mfaToken) this.mfaTokens.delete(mfaToken);
    throw authError(403, 'invalid_grant', description);
  }

  /** Checks one second-factor answer of a pending login; returns the new recovery code when one was used. */
  verifySecondFactor(
    pending: PendingLogin,
    answer: { otp?: string; oobCode?: string; bindingCode?: string; recoveryCode?: string },
    mfaToken?: string,
  ): { recoveryCode?: string } {
    const userId = pending.user.user_id;
    if (answer.otp !== undefined) {
      if (!pending.factors.includes('otp'))
        throw authError(403, 'invalid_grant', 'The otp factor is not enabled for this login.');
      const ok = this.port.changeAuth((auth) => verifyOtp(auth, userId, answer.otp ?? ''));
      if (!ok) this.wrong(pending, mfaToken, 'Invalid otp_code.');
      return {};
    }
    if (answer.oobCode !== undefined) {
      const challenge = pending.emailChallenge;
      if (!challenge || challenge.oobCode !== answer.oobCode)
        throw authError(403, 'invalid_grant', 'Invalid oob_code.');
      if (!answer.bindingCode || !sameHash(challenge.codeHash, hashCode(answer.bindingCode)))
        this.wrong(pending, mfaToken, 'Invalid binding_code.');
      this.port.changeAuth((auth) => emailVerified(auth, userId, challenge.authenticatorId));
      pending.emailChallenge = undefined;
      return {};
    }
    if (answer.recoveryCode !== undefined) {
      if (!pending.factors.includes('recovery-code'))
        throw authError(403, 'invalid_grant', 'The recovery-code factor is not enabled for this login.');
      const next = this.port.changeAuth((auth) => useRecoveryCode(auth, userId, answer.recoveryCode ?? ''));
      if (!next) this.wrong(pending, mfaToken, 'Invalid recovery_code.');
      return { recoveryCode: next };
    }
    throw invalidRequest('Missing the second factor (otp, oob_code and binding_code, or recovery_code)');
  }

  /** The mfa-otp, mfa-oob and mfa-recovery-code grants. */
  async mfaGrant(
    client: Client,
    form: Record<string, string>,
  ): Promise<TokenSet & { recovery_code?: string }> {
    if (!form.mfa_token) throw invalidRequest('Missing required parameter: mfa_token');
    const pending = this.pendingByToken(form.mfa_token);
    if (pending.client.client_id !== client.client_id)
      throw authError(403, 'invalid_grant', 'Malformed mfa_token');
    const answer = form.grant_type.endsWith('/mfa-otp')
      ? { otp: form.otp ?? '' }
      : form.grant_type.endsWith('/mfa-oob')
        ? { oobCode: form.oob_code ?? '', bindingCode: form.binding_code }
        : { recoveryCode: form.recovery_code ?? '' };
    const { recoveryCode } = this.verifySecondFactor(pending, answer, form.mfa_token);
    this.mfaTokens.delete(form.mfa_token);
    const tokens = await this.tokensFor(this.complete(pending, ['mfa']), client);
    return recoveryCode ? { ...tokens, recovery_code: recoveryCode } : tokens;
  }

  // ---- /userinfo -------------------------------------------------------------------------------

  async userinfo(accessToken: string | undefined): Promise<Record<string, unknown>> {
    if (!accessToken) throw authError(401, 'invalid_token', 'Missing access token');
    let claims: Record<string, unknown>;
    try {
      claims = await this.options.signer.verify(accessToken, [`${this.issuer}userinfo`]);
    } catch (error) {
      throw authError(401, 'invalid_token', (error as TokenError).message);
    }
    const user = this.port.findUserById(String(claims.sub));
    if (!user) throw authError(401, 'invalid_token', 'The user of this token no longer exists');
    return profileClaims(user, String(claims.scope ?? '').split(' '));
  }
}
