// Held answers: the call is carried out at once, only its answer waits for release().
import { startTestTenant, useTestTenant } from '../support/tenant';

const USER = {
  connection: 'Username-Password-Authentication',
  email: 'held@example.com',
  password: 'Held-Passw0rd!',
};

describe('holdResponses', () => {
  const t = useTestTenant({ each: true });

  it('carries out a held call, holds its answer until release, and lets other routes through', async () => {
    const hold = t.tenant.holdResponses(['POST /api/v2/users']);
    let answered = false;
    const created = t.client.call<{ user_id: string }>('POST', '/users', USER).then((user) => {
      answered = true;
      return user;
    });
    await hold.reached(1);
    expect(hold.held).toBe(1);
    // The user exists while its creator still waits for the answer.
    const found = await t.client.call<Array<{ user_id: string }>>(
      'GET',
      `/users-by-email?email=${encodeURIComponent(USER.email)}`,
    );
    expect(found).toHaveLength(1);
    expect(answered).toBe(false);

    hold.release();
    expect((await created).user_id).toBe(found[0].user_id);
    // Released: later calls are answered at once.
    await t.client.call('POST', '/users', { ...USER, email: 'later@example.com' });
    expect(hold.held).toBe(1);
  });

  it('stop() does not hang on held answers: their connections are closed', async () => {
    const hold = t.tenant.holdResponses(['POST /api/v2/users']);
    const created = t.client.post('/api/v2/users', USER);
    await hold.reached(1);
    await t.tenant.stop();
    await expect(created).rejects.toThrow('socket hang up');
  });
});

describe('LOCAL_TENANT_HOLD: holds from the start, seen through GET /local/holds', () => {
  afterEach(() => {
    delete process.env.LOCAL_TENANT_HOLD;
  });

  it('holds the named routes of a tenant started with it, and counts what it holds', async () => {
    process.env.LOCAL_TENANT_HOLD = 'POST /api/v2/users, DELETE /api/v2/users/{id}';
    const held = await startTestTenant();
    try {
      const created = held.client.post('/api/v2/users', USER);
      for (let i = 0; ; i += 1) {
        const { holds } = (await held.client.get('/local/holds')).body;
        expect(holds).toEqual([
          { routes: ['POST /api/v2/users', 'DELETE /api/v2/users/{id}'], held: expect.any(Number) },
        ]);
        if (holds[0].held === 1) break;
        if (i > 200) throw new Error('the create was never held');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await held.tenant.stop();
      await expect(created).rejects.toThrow('socket hang up');
    } finally {
      await held.cleanup();
    }
  });

  it('refuses a value that is not METHOD /pattern, naming it', async () => {
    process.env.LOCAL_TENANT_HOLD = 'POST /api/v2/users,users';
    await expect(startTestTenant()).rejects.toThrow(
      'LOCAL_TENANT_HOLD: "users" is not a route as METHOD /pattern (e.g. "POST /api/v2/users")',
    );
  });
});
