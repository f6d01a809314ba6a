import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEnvironment } from '../../../ops/stack-command/environment';
import {
  localSeedPassword,
  localTenantPort,
  provideLocalSecrets,
} from '../../../ops/stack-command/local-environment';
import { tempDir } from '../../support/temp-dirs';

const VARIABLE = 'TF_VAR_seed_user_password';

function environment(name: string, config: object) {
  const dir = tempDir('local-env-');
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(config));
  return loadEnvironment(name, dir);
}

describe('the local environment', () => {
  const saved = process.env[VARIABLE];
  afterEach(() => {
    if (saved === undefined) delete process.env[VARIABLE];
    else process.env[VARIABLE] = saved;
  });

  it('makes one seed password, keeps it private, and returns the same one next time', () => {
    delete process.env[VARIABLE];
    const dir = tempDir('seed-');
    const first = localSeedPassword(dir);
    expect(first.length).toBeGreaterThanOrEqual(20);
    expect(localSeedPassword(dir)).toBe(first);
    expect(readFileSync(join(dir, 'seed-user-password'), 'utf8').trim()).toBe(first);
    expect(statSync(join(dir, 'seed-user-password')).mode & 0o077).toBe(0);
    expect(localSeedPassword(tempDir('seed-'))).not.toBe(first);
  });

  it('prefers TF_VAR_seed_user_password from the environment', () => {
    process.env[VARIABLE] = 'from-the-environment';
    expect(localSeedPassword(tempDir('seed-'))).toBe('from-the-environment');
  });

  it('plan and deploy of `local` find the seed password in the tenant folder by themselves', () => {
    delete process.env[VARIABLE];
    const dir = tempDir('tenant-');
    writeFileSync(join(dir, 'seed-user-password'), 'Kept-Passw0rd!\n');
    const users = [{ email: 'a@example.com', useMfa: true }];
    provideLocalSecrets(environment('dev', { domain: 'localhost:8443', users }), dir);
    expect(process.env[VARIABLE]).toBeUndefined();
    provideLocalSecrets(environment('local', { domain: 'localhost:8443', users }), dir);
    expect(process.env[VARIABLE]).toBe('Kept-Passw0rd!');
  });

  it("takes the tenant's port from the domain, and refuses a LOCAL_TENANT_PORT that says otherwise", () => {
    const local = environment('local', { domain: 'localhost:9243' });
    expect(localTenantPort(local, {})).toBe(9243);
    expect(localTenantPort(local, { LOCAL_TENANT_PORT: '9243' })).toBe(9243);
    expect(() => localTenantPort(local, { LOCAL_TENANT_PORT: '9201' })).toThrow(
      /LOCAL_TENANT_PORT=9201, but .*local\.json deploys to localhost:9243.*Unset LOCAL_TENANT_PORT, or change "domain" in .*local\.json to "localhost:9201"/,
    );
  });
});
