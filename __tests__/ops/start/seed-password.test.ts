import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localSeedPassword } from '../../../ops/start/seed-password';

describe('localSeedPassword', () => {
  const saved = process.env.TF_VAR_seed_user_password;
  afterEach(() => {
    if (saved === undefined) delete process.env.TF_VAR_seed_user_password;
    else process.env.TF_VAR_seed_user_password = saved;
  });

  it('makes one password, keeps it private, and returns the same one next time', () => {
    delete process.env.TF_VAR_seed_user_password;
    const dir = mkdtempSync(join(tmpdir(), 'seed-'));
    const first = localSeedPassword(dir);
    expect(first.length).toBeGreaterThanOrEqual(20);
    expect(localSeedPassword(dir)).toBe(first);
    expect(readFileSync(join(dir, 'seed-user-password'), 'utf8').trim()).toBe(first);
    expect(statSync(join(dir, 'seed-user-password')).mode & 0o077).toBe(0);
    expect(localSeedPassword(mkdtempSync(join(tmpdir(), 'seed-')))).not.toBe(first);
  });

  it('prefers TF_VAR_seed_user_password from the environment', () => {
    process.env.TF_VAR_seed_user_password = 'from-the-environment';
    expect(localSeedPassword(mkdtempSync(join(tmpdir(), 'seed-')))).toBe('from-the-environment');
  });
});
