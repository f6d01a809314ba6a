import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TenantClient } from '../../src/client';
import { StoreError, TenantStore } from '../../src/tenant/store';
import { startTestTenant, tempDir } from '../helpers';

describe('TenantStore', () => {
  let dir: string;

  beforeEach(() => {
    dir = tempDir('local-tenant-store-');
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates an empty tenant file on first open', () => {
    const store = TenantStore.open(dir);
    const file = JSON.parse(readFileSync(join(dir, 'tenant.json'), 'utf8'));
    expect(file.schemaVersion).toBe(1);
    expect(file.users).toEqual([]);
    expect(file.guardian.policies).toEqual([]);
    expect(store.state.connections.map((c) => c.name)).toEqual(['Username-Password-Authentication']);
  });

  it('saves a successful transaction and reloads it', () => {
    const store = TenantStore.open(dir);
    store.transaction((d) => {
      d.guardian.policies = ['all-applications'];
    });
    expect(TenantStore.open(dir).state.guardian.policies).toEqual(['all-applications']);
  });

  it('rolls a failed transaction back, in memory and on disk', () => {
    const store = TenantStore.open(dir);
    const before = readFileSync(join(dir, 'tenant.json'), 'utf8');
    expect(() =>
      store.transaction((d) => {
        d.guardian.policies = ['all-applications'];
        throw new Error('half way');
      }),
    ).toThrow('half way');
    expect(store.state.guardian.policies).toEqual([]);
    expect(readFileSync(join(dir, 'tenant.json'), 'utf8')).toBe(before);
  });

  it('writes atomically, leaving no temporary files', () => {
    const store = TenantStore.open(dir);
    for (let i = 0; i < 20; i++) store.transaction((d) => d.users.push({} as never));
    expect(readdirSync(dir)).toEqual(['tenant.json']);
    expect(JSON.parse(readFileSync(join(dir, 'tenant.json'), 'utf8')).users).toHaveLength(20);
  });

  it('refuses a corrupt data file and leaves it untouched', () => {
    writeFileSync(join(dir, 'tenant.json'), '{ not json');
    expect(() => TenantStore.open(dir)).toThrow(StoreError);
    expect(readFileSync(join(dir, 'tenant.json'), 'utf8')).toBe('{ not json');
  });
});

describe('persistence across restarts', () => {
  it('keeps users, actions, bindings, guardian, credentials and CA when restarted on the same dir', async () => {
    const first = await startTestTenant();
    const { dir } = first;
    const id = await first.client.createUser('persist@example.com', { user_metadata: { use_mfa: true } });
    const actionId = await first.client.createAction(
      'persisted',
      'exports.onExecutePostLogin = async () => {};',
    );
    await first.client.bind('post-login', [actionId]);
    await first.client.put('/api/v2/guardian/factors/otp', { enabled: true });
    const { clientSecret } = first.tenant;
    const ca = readFileSync(first.tenant.caFile, 'utf8');
    await first.tenant.stop();
    expect(existsSync(join(dir, 'tenant.lock'))).toBe(false);

    const second = await startTestTenant({ dir });
    try {
      expect(second.tenant.clientSecret).toBe(clientSecret);
      expect(readFileSync(second.tenant.caFile, 'utf8')).toBe(ca);
      const client = new TenantClient(second.tenant);
      expect((await client.get(`/api/v2/users/${encodeURIComponent(id)}`)).body.user_metadata).toEqual({
        use_mfa: true,
      });
      const bindings = await client.get('/api/v2/actions/triggers/post-login/bindings');
      expect(bindings.body.bindings[0].action.id).toBe(actionId);
      const factors = (await client.get('/api/v2/guardian/factors')).body as Array<{
        name: string;
        enabled: boolean;
      }>;
      expect(factors.find((f) => f.name === 'otp')?.enabled).toBe(true);
    } finally {
      await second.cleanup();
    }
  });
});
