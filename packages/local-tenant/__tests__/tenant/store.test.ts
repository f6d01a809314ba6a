import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TenantClient } from '../../src/client';
import type { StoredUser } from '../../src/tenant/model';
import { StoreError, TenantStore } from '../../src/tenant/store';
import { startTestTenant, useTempDir } from '../support/tenant';

function user(id: string): StoredUser {
  const now = new Date().toISOString();
  return {
    user_id: `auth0|${id}`,
    connection: 'Username-Password-Authentication',
    email: `${id}@example.com`,
    email_verified: false,
    created_at: now,
    updated_at: now,
  };
}

describe('TenantStore', () => {
  const tmp = useTempDir('local-tenant-store-', true);

  it('creates an empty tenant file on first open', () => {
    const store = TenantStore.open(tmp.path);
    const file = JSON.parse(readFileSync(join(tmp.path, 'tenant.json'), 'utf8'));
    expect(file.schemaVersion).toBe(1);
    expect(file.users).toEqual([]);
    expect(file.guardian.policies).toEqual([]);
    expect(store.state.connections.map((c) => c.name)).toEqual(['Username-Password-Authentication']);
  });

  it('saves a successful transaction and reloads it', () => {
    const store = TenantStore.open(tmp.path);
    store.transaction((d) => {
      d.guardian.policies = ['all-applications'];
    });
    expect(TenantStore.open(tmp.path).state.guardian.policies).toEqual(['all-applications']);
  });

  it('rolls a failed transaction back, in memory and on disk', () => {
    const store = TenantStore.open(tmp.path);
    const before = readFileSync(join(tmp.path, 'tenant.json'), 'utf8');
    expect(() =>
      store.transaction((d) => {
        d.guardian.policies = ['all-applications'];
        throw new Error('half way');
      }),
    ).toThrow('half way');
    expect(store.state.guardian.policies).toEqual([]);
    expect(readFileSync(join(tmp.path, 'tenant.json'), 'utf8')).toBe(before);
  });

  it('appends one log line per write and leaves the snapshot alone, folding the log in at the next open', () => {
    const store = TenantStore.open(tmp.path);
    const snapshot = readFileSync(join(tmp.path, 'tenant.json'), 'utf8');
    for (let i = 0; i < 20; i++) store.transaction((d) => d.users.insert(user(`u${i}`)));
    expect(readFileSync(join(tmp.path, 'tenant.json'), 'utf8')).toBe(snapshot);
    expect(readFileSync(join(tmp.path, 'tenant.log'), 'utf8').trimEnd().split('\n')).toHaveLength(20);
    store.close();
    expect(TenantStore.open(tmp.path).state.users.size).toBe(20);
    expect(readdirSync(tmp.path)).toEqual(['tenant.json']);
    expect(JSON.parse(readFileSync(join(tmp.path, 'tenant.json'), 'utf8')).users).toHaveLength(20);
  });

  it('logs only the users a write changed, not the others', () => {
    const store = TenantStore.open(tmp.path);
    store.transaction((d) => {
      for (let i = 0; i < 50; i++) d.users.insert(user(`u${i}`));
    });
    const before = statSync(join(tmp.path, 'tenant.log')).size;
    store.transaction((d) => {
      const one = d.users.get('auth0|u7');
      if (one) one.user_metadata = { use_mfa: true };
    });
    const line = readFileSync(join(tmp.path, 'tenant.log'), 'utf8').slice(before);
    expect(Object.keys(JSON.parse(line).users)).toEqual(['auth0|u7']);
    expect(JSON.parse(line).document).toBeUndefined();
  });

  it("logs one user's factors as a change of that user's entry, not the whole document", () => {
    const store = TenantStore.open(tmp.path);
    const now = new Date().toISOString();
    store.transaction((d) => {
      for (let i = 0; i < 50; i++) {
        d.users.insert(user(`u${i}`));
        d.auth.authenticators[`auth0|u${i}`] = [
          { id: `totp|dev_u${i}`, type: 'otp', confirmed: true, created_at: now, secret: 'JBSWY3DPEHPK3PXP' },
        ];
      }
    });
    const before = statSync(join(tmp.path, 'tenant.log')).size;
    store.transaction((d) => {
      d.auth.authenticators['auth0|u7'].push({
        id: 'email|dev_u7',
        type: 'email',
        confirmed: false,
        created_at: now,
        email: 'u7@example.com',
      });
    });
    const line = readFileSync(join(tmp.path, 'tenant.log'), 'utf8').slice(before);
    // Before, the line held the document: every user's authenticators, so a login's write grew with the tenant.
    expect(JSON.parse(line).document).toBeUndefined();
    expect(line).not.toContain('dev_u8');
    expect(line).toContain('email|dev_u7');
    store.close();
    expect(TenantStore.read(tmp.path).state.auth.authenticators['auth0|u7'].map((a) => a.id)).toEqual([
      'totp|dev_u7',
      'email|dev_u7',
    ]);
  });

  it('replays every kind of document change from the log to the same state', () => {
    const store = TenantStore.open(tmp.path);
    store.transaction((d) => {
      d.guardian.policies = ['all-applications'];
      d.guardian.factors.otp = true;
      d.bindings['post-login'] = [];
      d.auth.rememberedBrowsers['auth0|a'] = [{ hash: 'h1', expires_at: 'later' }];
      d.auth.rememberedBrowsers['auth0|b'] = [{ hash: 'h2', expires_at: 'later' }];
    });
    store.transaction((d) => {
      d.guardian.policies.pop();
      delete d.auth.rememberedBrowsers['auth0|a'];
      d.auth.rememberedBrowsers['auth0|b'].unshift({ hash: 'h0', expires_at: 'sooner' });
      // A key that a patch cannot carry (it names a prototype property): the line holds the document.
      const prototypeKey: string = 'constructor';
      d.auth.rememberedBrowsers[prototypeKey] = [{ hash: 'h3', expires_at: 'later' }];
      d.settings = { ...d.settings, friendly_name: 'Replayed' };
    });
    store.close();
    const { users: _mine, ...expected } = store.state;
    const { users: _theirs, ...replayed } = TenantStore.read(tmp.path).state;
    expect(replayed).toEqual(expected);
    expect(replayed.auth.rememberedBrowsers).toEqual({
      'auth0|b': [
        { hash: 'h0', expires_at: 'sooner' },
        { hash: 'h2', expires_at: 'later' },
      ],
      constructor: [{ hash: 'h3', expires_at: 'later' }],
    });
  });

  it('hands out what a transaction returns as plain values that outlive it, and keeps older reads unchanged', () => {
    const store = TenantStore.open(tmp.path);
    const before = store.state;
    const { factors, list } = store.transaction((d) => {
      d.guardian.factors.email = true;
      d.auth.authenticators['auth0|a'] = [];
      return { factors: d.guardian.factors, list: d.auth.authenticators['auth0|a'] };
    });
    expect(factors.email).toBe(true);
    expect(list).toEqual([]);
    expect(before.guardian.factors.email).toBe(false);
    expect(store.state.guardian.factors.email).toBe(true);
  });

  it('puts every written line on the disk before close returns and after flushed resolves', async () => {
    const store = TenantStore.open(tmp.path);
    for (let i = 0; i < 5; i++) store.transaction((d) => d.users.insert(user(`f${i}`)));
    await store.flushed();
    expect(readFileSync(join(tmp.path, 'tenant.log'), 'utf8').trimEnd().split('\n')).toHaveLength(5);
    store.transaction((d) => d.users.insert(user('last')));
    store.close();
    await store.flushed();
    expect(TenantStore.read(tmp.path).state.users.size).toBe(6);
  });

  it('rolls back users changed by a failed transaction, logging nothing', () => {
    const store = TenantStore.open(tmp.path);
    store.transaction((d) => d.users.insert(user('kept')));
    const log = readFileSync(join(tmp.path, 'tenant.log'), 'utf8');
    expect(() =>
      store.transaction((d) => {
        const kept = d.users.get('auth0|kept');
        if (kept) kept.email = 'changed@example.com';
        d.users.insert(user('dropped'));
        throw new Error('half way');
      }),
    ).toThrow('half way');
    expect(store.state.users.get('auth0|kept')?.email).toBe('kept@example.com');
    expect(store.state.users.get('auth0|dropped')).toBeUndefined();
    expect(store.state.users.byEmail('changed@example.com')).toEqual([]);
    expect(readFileSync(join(tmp.path, 'tenant.log'), 'utf8')).toBe(log);
  });

  it('keeps creation order when a user changes, and follows email changes in the index', () => {
    const store = TenantStore.open(tmp.path);
    store.transaction((d) => {
      for (const id of ['a', 'b', 'c']) d.users.insert(user(id));
    });
    store.transaction((d) => {
      const a = d.users.get('auth0|a');
      if (a) a.email = 'new-a@example.com';
      d.users.delete('auth0|b');
    });
    const reopened = TenantStore.read(tmp.path);
    for (const s of [store, reopened]) {
      expect([...s.state.users.all()].map((u) => u.user_id)).toEqual(['auth0|a', 'auth0|c']);
      expect(s.state.users.byEmail('a@example.com')).toEqual([]);
      expect(s.state.users.byEmail('new-a@example.com').map((u) => u.user_id)).toEqual(['auth0|a']);
    }
  });

  it('drops a log line torn by a crash, keeps the complete ones', () => {
    const store = TenantStore.open(tmp.path);
    store.transaction((d) => d.users.insert(user('whole')));
    store.close();
    appendFileSync(join(tmp.path, 'tenant.log'), '{"users":{"auth0|torn":{"user_id"');
    const reopened = TenantStore.open(tmp.path);
    expect(reopened.state.users.get('auth0|whole')).toBeDefined();
    expect(reopened.state.users.size).toBe(1);
  });

  it('leaves the snapshot untouched when it opens with no log to fold, and folds one when there is', () => {
    const dataFile = join(tmp.path, 'tenant.json');
    const logFile = join(tmp.path, 'tenant.log');
    const first = TenantStore.open(tmp.path);
    first.transaction((d) => d.users.insert(user('kept')));
    first.close();
    TenantStore.open(tmp.path).close(); // folds the log: a new file takes the snapshot's name
    expect(existsSync(logFile)).toBe(false);
    const folded = statSync(dataFile, { bigint: true });
    const text = readFileSync(dataFile, 'utf8');

    const idle = TenantStore.open(tmp.path);
    idle.close();
    const after = statSync(dataFile, { bigint: true });
    expect([after.ino, after.mtimeNs]).toEqual([folded.ino, folded.mtimeNs]);
    expect(readFileSync(dataFile, 'utf8')).toBe(text);
    expect(idle.state.users.get('auth0|kept')).toBeDefined();

    const writer = TenantStore.open(tmp.path);
    writer.transaction((d) => d.users.insert(user('logged')));
    writer.close();
    expect(existsSync(logFile)).toBe(true);
    const reopened = TenantStore.open(tmp.path);
    expect(existsSync(logFile)).toBe(false);
    expect(statSync(dataFile, { bigint: true }).ino).not.toBe(folded.ino);
    const onDisk = JSON.parse(readFileSync(dataFile, 'utf8'));
    expect(onDisk.users.map((u: StoredUser) => u.user_id)).toEqual(['auth0|kept', 'auth0|logged']);
    expect(reopened.state.users.size).toBe(2);
  });

  it('writes a snapshot that lacks a section added since (an older file) once, then leaves it alone', () => {
    const dataFile = join(tmp.path, 'tenant.json');
    TenantStore.open(tmp.path).close();
    const { connections: _gone, ...older } = JSON.parse(readFileSync(dataFile, 'utf8'));
    writeFileSync(dataFile, JSON.stringify(older));
    const upgraded = TenantStore.open(tmp.path);
    upgraded.close();
    const written = JSON.parse(readFileSync(dataFile, 'utf8'));
    expect(written.connections.map((c: { id: string }) => c.id)).toEqual(
      upgraded.state.connections.map((c) => c.id),
    );
    const before = statSync(dataFile, { bigint: true });
    TenantStore.open(tmp.path).close();
    expect(statSync(dataFile, { bigint: true }).mtimeNs).toBe(before.mtimeNs);
  });

  it('folds an outgrown log in the background: the write returns first, requests are served meanwhile, and it lands whole', async () => {
    const dataFile = join(tmp.path, 'tenant.json');
    const store = TenantStore.open(tmp.path);
    const before = statSync(dataFile).ino;
    const renamedLogs = () => readdirSync(tmp.path).filter((name) => /^tenant\.\d+\.log$/.test(name));
    const padded = (id: string) => ({ ...user(id), user_metadata: { note: 'x'.repeat(2000) } });
    let written = 0;
    while (renamedLogs().length === 0 && statSync(dataFile).ino === before && written < 5000) {
      store.transaction((d) => d.users.insert(padded(`u${written}`)));
      written++;
    }
    // The write that outgrew the snapshot has returned, and the snapshot is not rewritten yet.
    expect(renamedLogs()).toHaveLength(1);
    expect(statSync(dataFile).ino).toBe(before);
    store.transaction((d) => d.users.insert(user('during')));
    let turns = 0;
    while (renamedLogs().length > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      turns++;
    }
    expect(turns).toBeGreaterThan(2); // the snapshot (over 2 MB) was written in several chunks, each its own turn
    const onDisk = JSON.parse(readFileSync(dataFile, 'utf8'));
    expect(onDisk.users).toHaveLength(written);
    expect(readFileSync(join(tmp.path, 'tenant.log'), 'utf8').trimEnd().split('\n')).toHaveLength(1);
    store.close();
    const reopened = TenantStore.open(tmp.path);
    expect(reopened.state.users.size).toBe(written + 1);
    expect(reopened.state.users.get('auth0|during')).toBeDefined();
  });

  it('never replays a log the snapshot already folded, and replays a renamed log not yet folded before tenant.log', async () => {
    const dataFile = join(tmp.path, 'tenant.json');
    const store = TenantStore.open(tmp.path);
    store.transaction((d) => {
      d.users.insert(user('a'));
      d.bindings['post-login'] = [];
    });
    await store.fold();
    store.close();
    const generation: number = JSON.parse(readFileSync(dataFile, 'utf8')).foldedGeneration;
    expect(generation).toBeGreaterThan(0);
    // A crash between the fold's rename and the removal of its log: replaying it again would append twice.
    const twice = { patches: [{ op: 'add', path: ['bindings', 'post-login', 0], value: { ref: 'x' } }] };
    writeFileSync(join(tmp.path, `tenant.${generation}.log`), `${JSON.stringify(twice)}\n`);
    const folded = TenantStore.open(tmp.path);
    expect(folded.state.bindings['post-login']).toEqual([]);
    expect(existsSync(join(tmp.path, `tenant.${generation}.log`))).toBe(false);
    folded.close();
    // A crash during a fold: the renamed log holds older lines than tenant.log.
    const older = { users: { 'auth0|a': { ...user('a'), email: 'older@example.com' } } };
    const newer = { users: { 'auth0|a': { ...user('a'), email: 'newer@example.com' } } };
    writeFileSync(join(tmp.path, `tenant.${generation + 1}.log`), `${JSON.stringify(older)}\n`);
    writeFileSync(join(tmp.path, 'tenant.log'), `${JSON.stringify(newer)}\n`);
    const replayed = TenantStore.open(tmp.path);
    expect(replayed.state.users.get('auth0|a')?.email).toBe('newer@example.com');
    expect(readdirSync(tmp.path).sort()).toEqual(['tenant.json']);
    expect(TenantStore.open(tmp.path).state.users.get('auth0|a')?.email).toBe('newer@example.com');
  });

  it('keeps a fold given up at close as a renamed log, folds it at the next open and leaves no partial snapshot', () => {
    const store = TenantStore.open(tmp.path);
    const padded = (id: string) => ({ ...user(id), user_metadata: { note: 'x'.repeat(4000) } });
    for (let i = 0; readdirSync(tmp.path).every((name) => !/^tenant\.\d+\.log$/.test(name)); i++) {
      store.transaction((d) => d.users.insert(padded(`u${i}`)));
    }
    const written = store.state.users.size;
    store.close(); // the fold has written one chunk of its snapshot: it is given up
    expect(readdirSync(tmp.path).filter((name) => name.endsWith('.tmp'))).toHaveLength(1);
    const reopened = TenantStore.open(tmp.path);
    expect(reopened.state.users.size).toBe(written);
    expect(readdirSync(tmp.path).sort()).toEqual(['tenant.json']);
  });

  it('refuses a log line in the middle that is not JSON, naming the file and line', () => {
    writeFileSync(join(tmp.path, 'tenant.log'), 'garbage\n{}\n');
    expect(() => TenantStore.open(tmp.path)).toThrow(/tenant\.log: line 1 is not valid JSON/);
  });

  it('refuses a corrupt data file and leaves it untouched', () => {
    writeFileSync(join(tmp.path, 'tenant.json'), '{ not json');
    expect(() => TenantStore.open(tmp.path)).toThrow(StoreError);
    expect(readFileSync(join(tmp.path, 'tenant.json'), 'utf8')).toBe('{ not json');
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
