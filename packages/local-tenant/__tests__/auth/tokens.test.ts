import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import { loadOrCreateSigningKey, SIGNING_KEY_FILE } from '../../src/auth/keys';
import { TokenError, TokenSigner } from '../../src/auth/tokens';

const ISSUER = 'https://localhost:1/';

describe('signing keys and tokens', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keys-'));

  it('keeps one RSA key per tenant folder, private to its owner', async () => {
    const a = await loadOrCreateSigningKey(dir);
    const b = await loadOrCreateSigningKey(dir);
    expect(b.kid).toBe(a.kid);
    expect(a.jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: a.kid });
    expect(a.jwk).not.toHaveProperty('d');
    expect(statSync(join(dir, SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it('signs RS256 tokens that a standard verifier accepts with the published JWKS', async () => {
    const signer = new TokenSigner(await loadOrCreateSigningKey(dir), ISSUER);
    const token = await signer.sign({ sub: 'auth0|1', aud: 'client' }, 60);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    const key = await importJWK(signer.jwks().keys[0] as JWK, 'RS256');
    const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: 'client' });
    expect(payload.sub).toBe('auth0|1');
  });

  it('refuses expired tokens, other audiences and other keys with Auth0 wording', async () => {
    const signer = new TokenSigner(await loadOrCreateSigningKey(dir), ISSUER);
    const expired = await signer.sign({ aud: 'api' }, -10);
    await expect(signer.verify(expired, ['api'])).rejects.toThrow(
      'Expired token received for JSON Web Token validation',
    );
    const other = await signer.sign({ aud: 'other' }, 60);
    await expect(signer.verify(other, ['api'])).rejects.toBeInstanceOf(TokenError);
    const foreign = await loadOrCreateSigningKey(mkdtempSync(join(tmpdir(), 'keys-')));
    const forged = await new SignJWT({ aud: 'api' })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(ISSUER)
      .setExpirationTime('1h')
      .sign(foreign.privateKey);
    await expect(signer.verify(forged, ['api'])).rejects.toThrow('Invalid token');
    await expect(signer.verify('not-a-jwt', ['api'])).rejects.toThrow('Invalid token');
  });
});
