// One-time codes: TOTP (RFC 6238, what authenticator apps compute) with otplib, the 6-digit codes
// sent by email, and recovery codes. Only hashes of email and recovery codes are kept.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { authenticator } from 'otplib';

// One 30 s step either side, as authenticator apps drift.
const totp = authenticator.clone({ window: 1 });

export function newTotpSecret(): string {
  return totp.generateSecret(20);
}

/** The `otpauth://` URI a QR code carries (Auth0's `barcode_uri`). */
export function totpUri(secret: string, account: string, issuer: string): string {
  return totp.keyuri(account, issuer, secret);
}

export function checkTotp(secret: string, code: string): boolean {
  return /^\d{6}$/.test(code) && totp.check(code, secret);
}

export function hashCode(code: string): string {
  return createHash('sha256').update(code.trim().toUpperCase().replace(/[\s-]/g, '')).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export function newEmailCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

// Auth0's recovery codes: 24 characters, letters and digits without look-alikes.
const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function newRecoveryCode(): string {
  let code = '';
  for (let i = 0; i < 24; i++) code += RECOVERY_ALPHABET[randomInt(0, RECOVERY_ALPHABET.length)];
  return code;
}
