import {
  FaultInjector,
  FaultSettingsError,
  MAX_CONSECUTIVE_SERVER_ERRORS,
  parseFaultSpec,
} from '../../src/server/faults';
import { useTestTenant } from '../support/tenant';

describe('parseFaultSpec', () => {
  it.each([
    ['429=0.2,5xx=0.1', { rateLimitShare: 0.2, serverErrorShare: 0.1 }],
    [' 429 = 0.5 , seed=7 ', { rateLimitShare: 0.5, seed: 7 }],
    [undefined, {}],
    ['', {}],
  ])('reads LOCAL_TENANT_FAULTS syntax: %p', (spec, settings) => {
    expect(parseFaultSpec(spec)).toEqual(settings);
  });

  it.each([
    ['an unknown kind', '404=0.1', FaultSettingsError],
    ['a bad number', '429=lots', FaultSettingsError],
    ['a share over 1', '429=1.5', /from 0 to 1/],
    ['shares over 1 together', '429=0.6,5xx=0.6', /exceed 1/],
  ])('refuses %s (%p)', (_, spec, error) => {
    expect(() => parseFaultSpec(spec)).toThrow(error);
  });
});

describe('FaultInjector', () => {
  it('injects nothing by default', () => {
    const faults = new FaultInjector();
    for (let i = 0; i < 100; i++) expect(faults.decide('GET /x')).toBeUndefined();
  });

  it('is repeatable for a seed and close to the asked shares', () => {
    const run = () => {
      const faults = new FaultInjector({ rateLimitShare: 0.2, serverErrorShare: 0.1, seed: 42 });
      return Array.from({ length: 2000 }, (_, i) => faults.decide(`GET /r${i}`));
    };
    const a = run();
    expect(run()).toEqual(a);
    const limited = a.filter((f) => f === 'rate-limit').length / a.length;
    const failed = a.filter((f) => f === 'server-error').length / a.length;
    expect(limited).toBeGreaterThan(0.15);
    expect(limited).toBeLessThan(0.25);
    expect(failed).toBeGreaterThan(0.06);
    expect(failed).toBeLessThan(0.14);
  });

  it('never gives the same request more 503s in a row than the provider retries', () => {
    const faults = new FaultInjector({ serverErrorShare: 0.95, seed: 1 });
    let inARow = 0;
    let longest = 0;
    for (let i = 0; i < 200; i++) {
      if (faults.decide('PATCH /api/v2/users/x') === 'server-error') inARow++;
      else inARow = 0;
      longest = Math.max(longest, inARow);
    }
    expect(longest).toBe(MAX_CONSECUTIVE_SERVER_ERRORS);
  });

  it('fails every request when the share is 1', () => {
    const faults = new FaultInjector({ serverErrorShare: 1 });
    for (let i = 0; i < 10; i++) expect(faults.decide('GET /same')).toBe('server-error');
  });
});

describe('faults on a running tenant', () => {
  const t = useTestTenant({ faults: { rateLimitShare: 1 } });

  afterEach(() => t.tenant.setFaults({}));

  it('starts with the faults given in the options and answers 429 with X-RateLimit-Reset ~1s ahead', async () => {
    // Reset is a whole epoch second: compare it with the whole second before the call was made.
    const before = Math.floor(Date.now() / 1000);
    const reply = await t.client.post('/api/v2/users', {
      connection: 'Username-Password-Authentication',
      email: 'limited@example.com',
      password: 'Sup3r-Secret-Pw',
    });
    expect(reply.status).toBe(429);
    expect(reply.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    const reset = Number(reply.headers['x-ratelimit-reset']);
    expect(reset).toBeGreaterThan(before);
    expect(reset).toBeLessThanOrEqual(Date.now() / 1000 + 2);
    t.tenant.setFaults({});
    expect((await t.client.get('/api/v2/users-by-email?email=limited%40example.com')).body).toEqual([]);
  });

  it('changes nothing when a write is answered 503', async () => {
    const id = await t.client.createUser('steady@example.com', { user_metadata: { use_mfa: false } });
    t.tenant.setFaults({ serverErrorShare: 1 });
    const reply = await t.client.patch(`/api/v2/users/${encodeURIComponent(id)}`, {
      user_metadata: { use_mfa: true },
    });
    expect(reply.status).toBe(503);
    expect(reply.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    t.tenant.setFaults({});
    const after = await t.client.get(`/api/v2/users/${encodeURIComponent(id)}`);
    expect(after.body.user_metadata).toEqual({ use_mfa: false });
  });

  it('never faults /oauth/token or /local/*, and counts the faults it injects', async () => {
    t.tenant.resetStats();
    t.tenant.setFaults({ serverErrorShare: 1 });
    const token = await t.client.raw('POST', '/oauth/token', {
      body: {
        grant_type: 'client_credentials',
        client_id: t.tenant.clientId,
        client_secret: t.tenant.clientSecret,
        audience: `https://${t.tenant.domain}/api/v2/`,
      },
    });
    expect(token.status).toBe(200);
    expect((await t.client.get('/local/stats')).status).toBe(200);
    expect((await t.client.get('/api/v2/guardian/policies')).status).toBe(503);
    expect((await t.client.get('/api/v2/guardian/factors')).status).toBe(503);
    const stats = t.tenant.stats();
    expect(stats.faultsInjected).toBe(2);
    expect(stats.calls).toBe(3);
  });

  it('can be switched at run time through PUT /local/faults', async () => {
    await t.client.put('/local/faults', { rateLimitShare: 1 });
    expect((await t.client.get('/api/v2/guardian/policies')).status).toBe(429);
    await t.client.put('/local/faults', {});
    expect((await t.client.get('/api/v2/guardian/policies')).status).toBe(200);
  });
});
