// Auth0's Management API rate limit as a token bucket: `burst` requests at once, refilled at `perSecond`.
// Every /api/v2 answer carries X-RateLimit-Limit (the bucket size), X-RateLimit-Remaining (tokens left)
// and X-RateLimit-Reset (epoch seconds: when the bucket is full again, or, on a 429, when the next
// request can pass), the three headers Auth0 documents.
import { z } from 'zod';

export interface RateLimitSettings {
  /** Requests per second the bucket refills with. */
  perSecond: number;
  /** Size of the bucket: requests that may come at once. */
  burst: number;
}

/**
 * Generous enough that tests and deploys never meet it; set Auth0's numbers (e.g. 16/s with a 50 burst
 * on an Enterprise production tenant, 2/s on a free one) to rehearse against them.
 */
export const DEFAULT_RATE_LIMIT: RateLimitSettings = { perSecond: 1000, burst: 1000 };

const settingsSchema = z.strictObject({
  perSecond: z.number().positive().finite(),
  burst: z.number().int().min(1),
});

export class RateLimitSettingsError extends Error {}

export function checkRateLimit(settings: unknown): RateLimitSettings {
  const parsed = settingsSchema.safeParse(settings);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? `rateLimit.${issue.path.join('.')}` : 'rateLimit';
    throw new RateLimitSettingsError(
      `${where}: ${issue.message} (expected { perSecond: number > 0, burst: integer >= 1 })`,
    );
  }
  return parsed.data;
}

/** Reads the CLI's `PER_SECOND[:BURST]` (burst defaults to PER_SECOND rounded up). */
export function parseRateLimitSpec(spec: string): RateLimitSettings {
  const match = spec.trim().match(/^(\d+(?:\.\d+)?)(?::(\d+))?$/);
  if (!match) {
    throw new RateLimitSettingsError(
      `bad rate limit "${spec}" (expected PER_SECOND or PER_SECOND:BURST, e.g. 50:50)`,
    );
  }
  const perSecond = Number(match[1]);
  return checkRateLimit({
    perSecond,
    burst: match[2] === undefined ? Math.max(1, Math.ceil(perSecond)) : Number(match[2]),
  });
}

export interface RateLimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export class RateLimiter {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private settings: RateLimitSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = settings.burst;
    this.updatedAt = now();
  }

  get(): RateLimitSettings {
    return { ...this.settings };
  }

  set(settings: RateLimitSettings): void {
    this.settings = checkRateLimit(settings);
    this.tokens = this.settings.burst;
    this.updatedAt = this.now();
  }

  /** Takes one token if there is one; the headers describe the bucket after the decision. */
  take(): RateLimitDecision {
    const now = this.now();
    const { perSecond, burst } = this.settings;
    this.tokens = Math.min(burst, this.tokens + ((now - this.updatedAt) / 1000) * perSecond);
    this.updatedAt = now;
    const allowed = this.tokens >= 1;
    if (allowed) this.tokens -= 1;
    const missing = allowed ? burst - this.tokens : 1 - this.tokens;
    const resetMs = now + (missing / perSecond) * 1000;
    return {
      allowed,
      headers: {
        'x-ratelimit-limit': String(burst),
        'x-ratelimit-remaining': String(Math.floor(this.tokens)),
        'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
      },
    };
  }
}
