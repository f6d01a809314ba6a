// Signing and checking the tenant's JWTs (RS256 with the tenant's key), and the claims of the tokens
// Auth0 issues: Management API tokens, access tokens for an API or /userinfo, and ID tokens.
import { errors, jwtVerify, SignJWT } from 'jose';
import type { SigningKey } from './keys';

export class TokenError extends Error {}

export type Claims = Record<string, unknown>;

export class TokenSigner {
  constructor(
    private readonly key: SigningKey,
    /** `https://DOMAIN/`, with the trailing slash Auth0 puts in `iss` (a function: the port comes later). */
    private readonly issuerOf: string | (() => string),
  ) {}

  get issuer(): string {
    return typeof this.issuerOf === 'string' ? this.issuerOf : this.issuerOf();
  }

  jwks(): { keys: unknown[] } {
    return { keys: [this.key.jwk] };
  }

  /** Signs `claims` with iss, iat and exp added; `typ` in the header as Auth0 sets it. */
  sign(claims: Claims, lifetimeSeconds: number): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.key.kid })
      .setIssuer(this.issuer)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + lifetimeSeconds)
      .sign(this.key.privateKey);
  }

  /** The claims of a token this tenant signed for one of `audiences`; TokenError with Auth0's wording otherwise. */
  async verify(token: string, audiences: string[]): Promise<Claims> {
    try {
      const { payload } = await jwtVerify(token, this.key.publicKey, {
        issuer: this.issuer,
        audience: audiences,
        algorithms: ['RS256'],
      });
      return payload as Claims;
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        throw new TokenError('Expired token received for JSON Web Token validation');
      }
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
        throw new TokenError('Invalid token: audience mismatch');
      }
      throw new TokenError('Invalid token');
    }
  }
}
