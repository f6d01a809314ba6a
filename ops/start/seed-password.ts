// The local environment's seed users need a password, which must never be committed or printed.
// Use TF_VAR_seed_user_password when set; otherwise make one, once, and keep it in the local
// tenant's git-ignored folder so that the next run plans no change.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED_PASSWORD_FILE } from '@auth0-mfa/local-tenant';

export function localSeedPassword(dir: string): string {
  const fromEnv = process.env.TF_VAR_seed_user_password;
  if (fromEnv) return fromEnv;
  const file = join(dir, SEED_PASSWORD_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true });
  // Letters, digits and symbols: satisfies Auth0's default "fair" password policy.
  const password = `Lt-${randomBytes(18).toString('base64url')}-9a`;
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}
