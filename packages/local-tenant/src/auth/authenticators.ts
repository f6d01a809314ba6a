// A user's MFA authenticators: enrolling (OTP secret, email), verifying codes, recovery codes.
// Functions change the AuthData they are given; callers run them inside a store transaction.
import { randomBytes } from 'node:crypto';
import type { Immutable } from '../tenant/model';
import type { LocalFactor } from './factors';
import type { AuthData, StoredAuthenticator } from './model';
import { checkTotp, hashCode, newRecoveryCode, newTotpSecret, sameHash, totpUri } from './otp';

const ID_PREFIX: Record<LocalFactor, string> = {
  otp: 'totp',
  email: 'email',
  'recovery-code': 'recovery-code',
};

/** A new authenticator of `type`: unconfirmed until its first code passes. */
function unconfirmed(
  type: LocalFactor,
  fields: Pick<StoredAuthenticator, 'secret' | 'email' | 'code_hash'>,
  createdAt = new Date().toISOString(),
): StoredAuthenticator {
  const id = `${ID_PREFIX[type]}|dev_${randomBytes(12).toString('base64url')}`;
  return { id, type, confirmed: false, created_at: createdAt, ...fields };
}

export function userAuthenticators(auth: AuthData, userId: string): StoredAuthenticator[] {
  auth.authenticators[userId] ??= [];
  return auth.authenticators[userId];
}

/** Confirmed authenticators of the user among `factors`, most preferred factor first. */
export function enrolled(
  auth: Immutable<AuthData>,
  userId: string,
  factors: readonly LocalFactor[],
): StoredAuthenticator[] {
  const mine = (auth.authenticators[userId] ?? []).filter((a) => a.confirmed);
  return factors.flatMap((f) => mine.filter((a) => a.type === f));
}

export interface OtpEnrollment {
  authenticator: StoredAuthenticator;
  secret: string;
  barcodeUri: string;
  /** A recovery code, when the factor is enabled and the user has none yet (shown once). */
  recoveryCode?: string;
}

/** Starts an OTP enrollment: an unconfirmed authenticator (replacing any earlier unconfirmed one). */
export function startOtpEnrollment(
  auth: AuthData,
  userId: string,
  account: string,
  issuer: string,
  withRecoveryCode: boolean,
): OtpEnrollment {
  const list = userAuthenticators(auth, userId);
  auth.authenticators[userId] = list.filter((a) => a.confirmed);
  const secret = newTotpSecret();
  const authenticator = unconfirmed('otp', { secret });
  auth.authenticators[userId].push(authenticator);
  const enrollment: OtpEnrollment = { authenticator, secret, barcodeUri: totpUri(secret, account, issuer) };
  if (withRecoveryCode && !auth.authenticators[userId].some((a) => a.type === 'recovery-code')) {
    enrollment.recoveryCode = newRecoveryCode();
    auth.authenticators[userId].push(
      unconfirmed(
        'recovery-code',
        { code_hash: hashCode(enrollment.recoveryCode) },
        authenticator.created_at,
      ),
    );
  }
  return enrollment;
}

export function startEmailEnrollment(auth: AuthData, userId: string, email: string): StoredAuthenticator {
  const list = userAuthenticators(auth, userId);
  const existing = list.find((a) => a.type === 'email' && a.email === email);
  if (existing) return existing;
  const authenticator = unconfirmed('email', { email });
  list.push(authenticator);
  return authenticator;
}

/** After a first successful code: the enrollment (and its recovery code) become usable. */
function confirm(auth: AuthData, userId: string, used: StoredAuthenticator): void {
  const now = new Date().toISOString();
  used.last_auth_at = now;
  if (used.confirmed) return;
  for (const a of userAuthenticators(auth, userId))
    if (!a.confirmed && (a === used || a.type === 'recovery-code')) a.confirmed = true;
}

/** Checks a TOTP against the user's OTP authenticators (enrolled or being enrolled). */
export function verifyOtp(auth: AuthData, userId: string, code: string): StoredAuthenticator | undefined {
  const match = userAuthenticators(auth, userId).find(
    (a) => a.type === 'otp' && a.secret && checkTotp(a.secret, code),
  );
  if (match) confirm(auth, userId, match);
  return match;
}

/** Marks an email authenticator used (its code was checked by the caller). */
export function emailVerified(
  auth: AuthData,
  userId: string,
  authenticatorId: string,
): StoredAuthenticator | undefined {
  const match = userAuthenticators(auth, userId).find((a) => a.id === authenticatorId && a.type === 'email');
  if (match) confirm(auth, userId, match);
  return match;
}

/** Uses up the recovery code and returns the new one Auth0 issues in its place. */
export function useRecoveryCode(auth: AuthData, userId: string, code: string): string | undefined {
  const list = userAuthenticators(auth, userId);
  const given = hashCode(code);
  const match = list.find(
    (a) => a.type === 'recovery-code' && a.confirmed && a.code_hash && sameHash(a.code_hash, given),
  );
  if (!match) return undefined;
  const next = newRecoveryCode();
  match.code_hash = hashCode(next);
  match.last_auth_at = new Date().toISOString();
  return next;
}

/** Removes one authenticator (or all with no id). Returns how many were removed. */
export function removeAuthenticators(auth: AuthData, userId: string, id?: string): number {
  const list = userAuthenticators(auth, userId);
  const keep = id === undefined ? [] : list.filter((a) => a.id !== id);
  auth.authenticators[userId] = keep;
  return list.length - keep.length;
}
