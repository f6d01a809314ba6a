// Paces Management API calls by the tenant's own X-RateLimit-* headers, shared by every concurrent request.
// Auth0's limit is a token bucket: Limit is its size, Remaining what is left, Reset the second it is full
// again (a fixed window per second reads the same). The pacer spends what Remaining allows, then sends at
// the bucket's refill rate: first estimated from the headers ((Limit - Remaining) until Reset), then raised
// while answers show tokens left over and lowered on a 429. Waiting for the full Reset instead would idle:
// Reset is rounded up to a whole second, which at 50 requests/s halves the rate.

export interface RateLimitHeaders {
  limit: number;
  remaining: number;
  /** Epoch milliseconds. */
  resetAtMs: number;
}

/** The three headers, or undefined when a proxy or an older API drops any of them. */
export function readRateLimitHeaders(headers: Headers): RateLimitHeaders | undefined {
  const limit = Number(headers.get('x-ratelimit-limit'));
  const remaining = Number(headers.get('x-ratelimit-remaining'));
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (![limit, remaining, reset].every((value) => Number.isFinite(value) && value >= 0)) return undefined;
  if (headers.get('x-ratelimit-limit') === null || headers.get('x-ratelimit-reset') === null)
    return undefined;
  return { limit, remaining, resetAtMs: reset * 1000 };
}

export interface PacerOptions {
  /** A ceiling of our own (requests per second), to leave room for other clients of the same tenant. */
  maxRate?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface PacerStats {
  requests: number;
  rateLimited: number;
  /** The limit the tenant announced last, if it did. */
  limit?: number;
}

const PACING_RESERVE = 2;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One per client: every request asks `acquire` before it starts and hands its answer to `settle`. */
export class Pacer {
  /** The tenant's bucket as last announced, minus what we spent since. */
  private bucket?: { limit: number; budget: number; resetAtMs: number; missing: number };
  /** The bucket's refill in requests per second, once the budget ran out. */
  private refillPerSecond?: number;
  /** Answers that spent a token (every one but a 429). */
  private admitted = 0;
  /** An answer while pacing, to count the tokens refilled since: see `measureRefill`. */
  private anchor?: { atMs: number; remaining: number; admitted: number; inFlight: number };
  /** No headers seen on an answer: nothing to pace by, only 429s slow us down. */
  private unannounced = false;
  private inFlight = 0;
  private lastStartMs = Number.NEGATIVE_INFINITY;
  private settled: Array<() => void> = [];
  /** Until when a 429 without full headers holds every request. */
  private heldUntilMs = 0;
  /** A sleep that returned counts as time passed, even if the clock says less (a coarse or fake clock). */
  private clockFloorMs = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  readonly stats: PacerStats = { requests: 0, rateLimited: 0 };

  constructor(private readonly options: PacerOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? pause;
  }

  /** How long the next request must wait: 0 to go now, Infinity to wait for an answer in flight. */
  private effectiveNow(): number {
    return Math.max(this.now(), this.clockFloorMs);
  }

  private waitMs(): number {
    const now = this.effectiveNow();
    if (this.heldUntilMs > now) return this.heldUntilMs - now;
    if (this.options.maxRate) {
      const gap = this.lastStartMs + 1000 / this.options.maxRate - now;
      if (gap > 0) return gap;
    }
    if (!this.bucket) return this.unannounced || this.inFlight === 0 ? 0 : Number.POSITIVE_INFINITY;
    if (this.bucket.budget > 0) return 0;
    if (now >= this.bucket.resetAtMs) {
      // Full again by the tenant's clock; the answers to requests in flight will correct the estimate.
      this.bucket.budget = this.bucket.limit - this.inFlight;
      this.bucket.resetAtMs = now + 1000;
      if (this.bucket.budget > 0) return 0;
    }
    // Spent: send at the refill rate, one request per refilled token. Not known yet: the next answer
    // tells it; with none coming, the bucket refills what it missed by Reset (rounded up: this errs low).
    this.refillPerSecond ??=
      Math.max(this.bucket.missing, 1) / Math.max((this.bucket.resetAtMs - now) / 1000, 0.05);
    return Math.max(this.lastStartMs + 1000 / this.refillPerSecond - now, 0);
  }

  async acquire(): Promise<void> {
    for (;;) {
      const wait = this.waitMs();
      if (wait <= 0) break;
      if (wait === Number.POSITIVE_INFINITY) await new Promise<void>((resolve) => this.settled.push(resolve));
      else {
        const until = this.effectiveNow() + wait;
        await this.sleep(wait);
        this.clockFloorMs = Math.max(this.clockFloorMs, until);
      }
    }
    this.inFlight += 1;
    this.lastStartMs = this.effectiveNow();
    this.stats.requests += 1;
    if (this.bucket && this.bucket.budget > 0) this.bucket.budget -= 1;
  }

  /**
   * A 429 said to wait `resetWaitMs` (until X-RateLimit-Reset, or a backoff): every request waits with it.
   * Once the refill rate is known, a token comes back long before the bucket is full: wait for two.
   */
  holdAfterRefusal(resetWaitMs: number): number {
    const waitMs = this.refillPerSecond ? Math.min(resetWaitMs, 2000 / this.refillPerSecond) : resetWaitMs;
    this.heldUntilMs = Math.max(this.heldUntilMs, this.effectiveNow() + waitMs);
    return waitMs;
  }

  /** The answer's headers (undefined when the request failed without one). */
  settle(headers: Headers | undefined, status?: number): void {
    this.inFlight -= 1;
    if (status === 429) this.stats.rateLimited += 1;
    const announced = headers ? readRateLimitHeaders(headers) : undefined;
    if (announced) this.learn(announced, status === 429);
    else if (headers && status !== 429) this.unannounced = true;
    for (const wake of this.settled.splice(0)) wake();
  }

  private learn(announced: RateLimitHeaders, refused: boolean): void {
    this.unannounced = false;
    this.stats.limit = announced.limit;
    if (!refused) this.admitted += 1;
    // Requests still in flight may not be counted in this answer yet: count them as spent. Once pacing, a
    // reserve of tokens absorbs jitter, so that a token or two left over does not start a burst.
    // The reserve is at most a tenth of the bucket: a bucket of 2 (Auth0's free tenants) has no 2 to spare.
    const reserve = this.refillPerSecond === undefined ? 0 : Math.min(PACING_RESERVE, announced.limit / 10);
    const budget = refused ? 0 : announced.remaining - this.inFlight - reserve;
    const current = this.bucket;
    // Answers arrive out of order: an older reset time is a stale view of the bucket.
    if (current && announced.resetAtMs < current.resetAtMs && !refused) return;
    const missing = announced.limit - announced.remaining;
    if (current && announced.resetAtMs === current.resetAtMs) {
      current.budget = Math.min(current.budget, budget);
      current.missing = missing;
    } else this.bucket = { limit: announced.limit, budget, resetAtMs: announced.resetAtMs, missing };
    if (this.refillPerSecond === undefined && budget <= 0 && !refused) {
      // First time spent: the bucket fills its missing tokens by Reset (rounded up, so this errs low).
      const seconds = Math.max((announced.resetAtMs - this.effectiveNow()) / 1000, 0.05);
      this.refillPerSecond = Math.max((announced.limit - announced.remaining) / seconds, 0.1);
    } else if (this.refillPerSecond !== undefined) {
      // Tokens left over while we paced: the bucket refills faster than we send. A 429: slower.
      if (refused) this.refillPerSecond *= 0.8;
      else if (budget >= Math.min(1, reserve)) this.refillPerSecond *= 1.05;
      if (!refused) this.measureRefill(announced);
    }
    if (refused && this.bucket) {
      this.bucket.budget = 0;
      // A 429 whose reset is already past (a clock behind the tenant's): give the bucket a moment.
      this.bucket.resetAtMs = Math.max(
        announced.resetAtMs,
        this.effectiveNow() + 1000 / Math.max(announced.limit, 1),
      );
    }
  }
  /**
   * The refill counted from the headers: between two answers the bucket gained what it shows more plus
   * what we spent, less one for Remaining's rounding down and the answers that may have passed each
   * other. That lower bound tightens as the window grows, so the pace reaches the tenant's rate within
   * seconds instead of creeping up to it. A bucket seen full (Remaining = Limit - 1 after our token) may
   * have overflowed, which hides refill: count again from there.
   */
  private measureRefill(announced: RateLimitHeaders): void {
    const now = this.effectiveNow();
    const anchor = this.anchor;
    if (announced.remaining >= announced.limit - 1 || !anchor) {
      this.anchor = {
        atMs: now,
        remaining: announced.remaining,
        admitted: this.admitted,
        inFlight: this.inFlight,
      };
      if (announced.remaining >= announced.limit - 1) this.anchor = undefined;
      return;
    }
    const seconds = (now - anchor.atMs) / 1000;
    if (seconds < 1 || this.refillPerSecond === undefined) return;
    const gained =
      announced.remaining - anchor.remaining + (this.admitted - anchor.admitted) - 1 - anchor.inFlight;
    this.refillPerSecond = Math.max(this.refillPerSecond, gained / seconds);
  }
}
