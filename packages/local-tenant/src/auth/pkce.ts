// PKCE (RFC 7636): the code_verifier of the token request must match the code_challenge of /authorize.
import { createHash } from 'node:crypto';
import { sameSecret } from '../server/credentials';

export const PKCE_METHODS = ['S256', 'plain'] as const;

export function pkceMatches(verifier: string, challenge: string, method: string): boolean {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const derived = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return sameSecret(derived, challenge);
}
