import { createHash } from 'node:crypto';
import { authenticator } from 'otplib';
import { allowedFactors } from '../../src/auth/factors';
import { checkTotp, hashCode, newRecoveryCode, newTotpSecret, sameHash, totpUri } from '../../src/auth/otp';
import { pkceMatches } from '../../src/auth/pkce';

describe('one-time codes', () => {
  it('accepts the TOTP an authenticator app computes, and refuses others', () => {
    const secret = newTotpSecret();
    expect(checkTotp(secret, authenticator.generate(secret))).toBe(true);
    expect(checkTotp(secret, '000000') && checkTotp(secret, '000001')).toBe(false);
    expect(checkTotp(secret, 'abcdef')).toBe(false);
  });

  it('puts the secret, issuer and account in the otpauth URI', () => {
    const uri = new URL(totpUri('JBSWY3DPEHPK3PXP', 'alice@example.com', 'Local Tenant'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe('JBSWY3DPEHPK3PXP');
    expect(uri.searchParams.get('issuer')).toBe('Local Tenant');
    expect(decodeURIComponent(uri.pathname)).toContain('alice@example.com');
  });

  it('makes 24-character recovery codes and matches them by hash, ignoring case and spaces', () => {
    const code = newRecoveryCode();
    expect(code).toMatch(/^[A-Z2-9]{24}$/);
    expect(sameHash(hashCode(code.toLowerCase().replace(/(.{4})/g, '$1 ')), hashCode(code))).toBe(true);
    expect(sameHash(hashCode(newRecoveryCode()), hashCode(code))).toBe(false);
  });
});

describe('PKCE', () => {
  const verifier = 'a'.repeat(43);
  const s256 = createHash('sha256').update(verifier).digest('base64url');
  it('matches S256 and plain challenges', () => {
    expect(pkceMatches(verifier, s256, 'S256')).toBe(true);
    expect(pkceMatches(verifier, verifier, 'plain')).toBe(true);
  });
  it('refuses a wrong or malformed verifier', () => {
    expect(pkceMatches('b'.repeat(43), s256, 'S256')).toBe(false);
    expect(pkceMatches('short', 'short', 'plain')).toBe(false);
  });
});

describe('factors a login may use', () => {
  const enabled = ['otp', 'email', 'recovery-code'];
  it.each([
    [{ provider: 'any' }, enabled, ['otp', 'email', 'recovery-code']],
    [{ provider: 'google-authenticator' }, enabled, ['otp']],
    [{ provider: 'guardian' }, ['otp', 'push-notification'], ['otp']],
    [{ provider: 'any', options: { challengeWith: 'email' } }, enabled, ['email']],
    [
      { provider: 'any', options: { challengeWith: 'otp', additionalFactors: [{ type: 'email' }] } },
      enabled,
      ['otp', 'email'],
    ],
    [
      { provider: 'any', options: { challengeWithAny: [{ type: 'email' }, { type: 'phone' }] } },
      enabled,
      ['email'],
    ],
  ])('%j with %j enabled allows %j', (ask, on, expected) => {
    expect(allowedFactors(ask, on)).toEqual({ ok: true, factors: expected });
  });

  it('refuses when nothing matching is enabled, or only factors the local tenant cannot do', () => {
    expect(allowedFactors({ provider: 'any' }, [])).toEqual({
      ok: false,
      reason: expect.stringMatching(/no matching factor is enabled/),
    });
    expect(allowedFactors({ provider: 'google-authenticator' }, ['email'])).toMatchObject({ ok: false });
    expect(allowedFactors({ provider: 'duo' }, ['duo'])).toEqual({
      ok: false,
      reason: expect.stringMatching(/cannot perform .* duo/),
    });
  });
});
