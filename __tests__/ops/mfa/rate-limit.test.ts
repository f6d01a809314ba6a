// The pacer against a simulated Auth0 bucket on a simulated clock: no real time passes.
import { DEFAULT_RETRY_POLICY, type FetchLike, withRetries } from '../../../ops/management/client';
import { runPool } from '../../../ops/management/pool';
import { Pacer, readRateLimitHeaders } from '../../../ops/mfa/rate-limit';

/** Virtual time: a sleep is a timer; once everyone waits, the clock jumps to the earliest timer. */
function virtualClock() {
  let now = 1_700_000_000_000;
  const timers: Array<{ at: number; wake: () => void }> = [];
  let scheduled = false;
  const advance = () => {
    scheduled = false;
    timers.sort((a, b) => a.at - b.at);
    const timer = timers.shift();
    if (!timer) return;
    now = Math.max(now, timer.at);
    timer.wake();
    schedule();
  };
  const schedule = () => {
    if (scheduled || timers.length === 0) return;
    scheduled = true;
    setImmediate(advance);
  };
  const sleep = (ms: number) =>
    new Promise<void>((wake) => {
      timers.push({ at: now + Math.max(ms, 0), wake });
      schedule();
    });
  return { sleep, now: () => now };
}

/** A token bucket like Auth0's, on virtual time. */
function simulatedTenant(options: { size: number; perSecond: number; latencyMs: number }) {
  const clock = virtualClock();
  let tokens = options.size;
  let last = clock.now();
  const log = { accepted: 0, refused: 0 };
  const refill = () => {
    tokens = Math.min(options.size, tokens + ((clock.now() - last) / 1000) * options.perSecond);
    last = clock.now();
  };
  const { sleep } = clock;
  const headers = () => {
    const now = clock.now();
    const fullInMs = ((options.size - tokens) / options.perSecond) * 1000;
    return {
      'x-ratelimit-limit': String(options.size),
      'x-ratelimit-remaining': String(Math.max(0, Math.floor(tokens))),
      'x-ratelimit-reset': String(Math.ceil((now + fullInMs) / 1000)),
    };
  };
  const fetch: FetchLike = async () => {
    await sleep(options.latencyMs);
    refill();
    if (tokens < 1) {
      log.refused += 1;
      return new Response('{}', { status: 429, headers: headers() });
    }
    tokens -= 1;
    log.accepted += 1;
    return new Response('{}', { status: 200, headers: headers() });
  };
  return { fetch, sleep, now: clock.now, log };
}

describe('X-RateLimit headers', () => {
  it('reads limit, remaining and the reset second; refuses partial or bogus values', () => {
    const headers = new Headers({
      'x-ratelimit-limit': '50',
      'x-ratelimit-remaining': '7',
      'x-ratelimit-reset': '1700000001',
    });
    expect(readRateLimitHeaders(headers)).toEqual({ limit: 50, remaining: 7, resetAtMs: 1_700_000_001_000 });
    expect(readRateLimitHeaders(new Headers({ 'x-ratelimit-reset': '1700000001' }))).toBeUndefined();
    expect(
      readRateLimitHeaders(
        new Headers({ 'x-ratelimit-limit': 'x', 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': '1' }),
      ),
    ).toBeUndefined();
  });
});

describe('pacing by the tenant bucket', () => {
  it.each([
    [16, 50, 8],
    [2, 10, 4],
    // Auth0's free and non-production tenants: a bucket of 2, so too few tokens to spare for a reserve.
    [2, 2, 8],
    [16, 16, 8],
    [50, 50, 16],
  ])('keeps %i requests/s (bucket %i, %i in flight) with no 429 storm', async (perSecond, size, concurrency) => {
    const tenant = simulatedTenant({ size, perSecond, latencyMs: 40 });
    const pacer = new Pacer({ sleep: tenant.sleep, now: tenant.now });
    const paced = withRetries(
      tenant.fetch,
      DEFAULT_RETRY_POLICY,
      { sleep: tenant.sleep, now: tenant.now },
      pacer,
    );
    const requests = size + perSecond * 20;
    const started = tenant.now();
    await runPool(
      Array.from({ length: requests }),
      async () => {
        expect((await paced('https://t/api/v2/users/x')).status).toBe(200);
      },
      { concurrency },
    );
    const seconds = (tenant.now() - started) / 1000;
    // The bucket's start plus its refill is the most any client can get: within 10% of that.
    const ideal = (requests - size) / perSecond;
    expect(seconds).toBeGreaterThanOrEqual(ideal * 0.95);
    expect(seconds).toBeLessThanOrEqual(ideal * 1.1 + 1);
    expect(tenant.log.accepted).toBe(requests);
    // A 429 now and then (the pacer probing for the refill rate) costs one call; a storm would cost many.
    expect(tenant.log.refused).toBeLessThanOrEqual(requests * 0.05);
    expect(pacer.stats).toMatchObject({ limit: size, rateLimited: tenant.log.refused });
  });

  it('sends one request first, then as many as the bucket announces', async () => {
    const inFlight: number[] = [];
    let current = 0;
    const fetch: FetchLike = async () => {
      inFlight.push(++current);
      await new Promise((resolve) => setImmediate(resolve));
      current -= 1;
      return new Response('{}', {
        headers: {
          'x-ratelimit-limit': '50',
          'x-ratelimit-remaining': '49',
          'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1),
        },
      });
    };
    const paced = withRetries(fetch, DEFAULT_RETRY_POLICY, {}, new Pacer());
    await runPool(Array.from({ length: 12 }), async () => void (await paced('https://t/api/v2/users')), {
      concurrency: 6,
    });
    expect(inFlight[0]).toBe(1);
    expect(Math.max(...inFlight)).toBe(6);
  });

  it('without headers (a proxy dropped them) runs at the pool size and still waits out 429s', async () => {
    const answers = [429, 200, 200, 200];
    const fetch: FetchLike = async () => new Response('{}', { status: answers.shift() ?? 200 });
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const paced = withRetries(
      fetch,
      { ...DEFAULT_RETRY_POLICY, baseDelayMs: 250 },
      { sleep },
      new Pacer({ sleep }),
    );
    expect((await paced('https://t/api/v2/users')).status).toBe(200);
    expect(waits).toEqual([250]);
  });

  it('--max-rate spaces request starts even when the bucket would allow more', async () => {
    const tenant = simulatedTenant({ size: 1000, perSecond: 1000, latencyMs: 1 });
    const pacer = new Pacer({ maxRate: 5, sleep: tenant.sleep, now: tenant.now });
    const paced = withRetries(
      tenant.fetch,
      DEFAULT_RETRY_POLICY,
      { sleep: tenant.sleep, now: tenant.now },
      pacer,
    );
    const started = tenant.now();
    await runPool(Array.from({ length: 11 }), async () => void (await paced('https://t/api/v2/users')), {
      concurrency: 4,
    });
    expect(tenant.now() - started).toBeGreaterThanOrEqual(2000);
  });
});
