// The tenant's token signing key: RSA 2048, generated once into the tenant folder (signing-key.pem,
// mode 0600), published as a JWKS whose `kid` is the key's JWK thumbprint (RFC 7638).
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';

export const SIGNING_KEY_FILE = 'signing-key.pem';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as published in /.well-known/jwks.json. */
  jwk: JWK;
}

function readOrCreatePem(dir: string): string {
  const file = join(dir, SIGNING_KEY_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, pem, { mode: 0o600 });
  renameSync(tmp, file);
  return pem;
}

export async function loadOrCreateSigningKey(dir: string): Promise<SigningKey> {
  const privateKey = createPrivateKey(readOrCreatePem(dir));
  const publicKey = createPublicKey(privateKey);
  const exported = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(exported);
  return { kid, privateKey, publicKey, jwk: { ...exported, kid, use: 'sig', alg: 'RS256' } };
}
