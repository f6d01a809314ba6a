import {
  checkRateLimit,
  parseRateLimitSpec,
  RateLimiter,
  RateLimitSettingsError,
} from '../../src/server/rate-limit';
import { expectAuth0Error } from '../support/replies';
import { useTestTenant } from '../support/tenant';

/** A clock the test moves by hand: no real waiting. */
function fakeClock(start = 1_700_000_000_000) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('RateLimiter', () => {
  it('lets a burst through, then refuses, with Auth0 header values', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 }, clock.now);
    const remaining = [1, 2, 3].map(() => limiter.take());
    expect(remaining.map((d) => d.allowed)).toEqual([true, true, true]);
    expect(remaining.map((d) => d.headers['x-ratelimit-remaining'])).toEqual(['2', '1', '0']);
    expect(remaining[0].headers['x-ratelimit-limit']).toBe('3');
    const refused = limiter.take();
    expect(refused.allowed).toBe(false);
    // One token comes back after 0.5 s at 2/s: the reset is the next whole second after that.
    expect(Number(refused.headers['x-ratelimit-reset'])).toBe(Math.ceil((clock.now() + 500) / 1000));
  });

  it('refills at perSecond, never above the burst', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ perSecond: 10, burst: 5 }, clock.now);
    for (let i = 0; i < 5; i++) limiter.take();
    expect(limiter.take().allowed).toBe(false);
    clock.advance(100);
    expect(limiter.take().allowed).toBe(true);
    expect(limiter.take().allowed).toBe(false);
    clock.advance(60_000);
    expect(limiter.take().headers['x-ratelimit-remaining']).toBe('4');
  });

  it('reports when the bucket is full again on an allowed request', () => {
    const clock = fakeClock(1_000_000);
    const limiter = new RateLimiter({ perSecond: 1, burst: 10 }, clock.now);
    const decision = limiter.take();
    expect(decision.headers['x-ratelimit-reset']).toBe(String((1_000_000 + 1000) / 1000));
  });
});

describe('rate limit settings', () => {
  it('reads PER_SECOND[:BURST]', () => {
    expect(parseRateLimitSpec('50:50')).toEqual({ perSecond: 50, burst: 50 });
    expect(parseRateLimitSpec('16')).toEqual({ perSecond: 16, burst: 16 });
    expect(parseRateLimitSpec('0.5')).toEqual({ perSecond: 0.5, burst: 1 });
  });

  it('refuses what is no rate limit, naming the field', () => {
    expect(() => parseRateLimitSpec('fast')).toThrow(/expected PER_SECOND or PER_SECOND:BURST/);
    expect(() => parseRateLimitSpec('0')).toThrow(/rateLimit\.perSecond/);
    expect(() => checkRateLimit({ perSecond: 5, burst: 0 })).toThrow(/rateLimit\.burst/);
    expect(() => checkRateLimit({ perSecond: 5 })).toThrow(RateLimitSettingsError);
    expect(() => checkRateLimit({ perSecond: 5, burst: 5, per_second: 3 })).toThrow(RateLimitSettingsError);
  });
});

describe('a tenant with a small bucket', () => {
  const t = useTestTenant({ rateLimit: { perSecond: 0.01, burst: 2 } });

  it('answers 429 with Auth0 body and headers when empty, changing nothing', async () => {
    await t.client.token();
    const first = await t.client.get('/api/v2/guardian/policies');
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-limit']).toBe('2');
    expect(first.headers['x-ratelimit-remaining']).toBe('1');
    const missing = await t.client.get('/api/v2/users/auth0%7Cnobody');
    expect(missing.status).toBe(404);
    expect(missing.headers['x-ratelimit-remaining']).toBe('0');
    const refused = await t.client.put('/api/v2/guardian/policies', ['all-applications']);
    expectAuth0Error(refused, 429, 'Global limit has been reached', 'too_many_requests');
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(refused.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    // The admin routes are not limited, and show that the refused PUT changed nothing.
    t.tenant.setRateLimit({ perSecond: 100, burst: 100 });
    expect((await t.client.get('/api/v2/guardian/policies')).body).toEqual([]);
  });
});

describe('a tenant with the default bucket', () => {
  const t = useTestTenant();

  it('reads and writes the bucket at /local/rate-limit, refusing bad settings', async () => {
    expect((await t.client.get('/local/rate-limit')).body).toEqual({ perSecond: 1000, burst: 1000 });
    const put = await t.client.put('/local/rate-limit', { perSecond: 50, burst: 50 });
    expect(put.body).toEqual({ perSecond: 50, burst: 50 });
    expect((await t.client.get('/api/v2/guardian/factors')).headers['x-ratelimit-limit']).toBe('50');
    const bad = await t.client.put('/local/rate-limit', { perSecond: -1, burst: 50 });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/rateLimit\.perSecond/);
  });
});
