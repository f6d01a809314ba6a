// The tenant's own admin routes under /local/ (same bearer token as /api/v2, never faulted, not counted
// in stats): request statistics, fault settings, and simulated logins.
import { z } from 'zod';
import { type LoginOptions, runLoginFlow } from '../login/simulate';
import { badRequest } from '../server/errors';
import { type FaultInjector, type FaultSettings, FaultSettingsError } from '../server/faults';
import { checkRateLimit, type RateLimiter, RateLimitSettingsError } from '../server/rate-limit';
import { json, noContent, type Route } from '../server/request';
import { jsonObject, parseBody } from '../server/validation';

export interface TenantStats {
  /** Requests received outside /local/ (token requests and Management API calls, faulted ones included). */
  calls: number;
  /** The same, by `METHOD /pattern` (e.g. `GET /api/v2/users/{id}`). */
  byRoute: Record<string, number>;
  /** Time spent inside handlers, in ms. */
  handlerMs: number;
  /** Requests answered 429 or 503 by fault injection. */
  faultsInjected: number;
}

export interface AdminHooks {
  stats(): TenantStats;
  resetStats(): void;
  faults: FaultInjector;
  rateLimiter: RateLimiter;
}

const loginBody = z
  .strictObject({
    email: z.string(),
    userId: z.string(),
    protocol: z.string(),
    password: z.string(),
    timeoutMs: z.number(),
    persist: z.boolean(),
  })
  .partial() satisfies z.ZodType<LoginOptions>;

export function adminRoutes(hooks: AdminHooks): Route[] {
  return [
    { method: 'GET', pattern: '/local/stats', handler: () => json(200, hooks.stats()) },
    {
      method: 'POST',
      pattern: '/local/stats/reset',
      handler: () => {
        hooks.resetStats();
        return noContent();
      },
    },
    { method: 'GET', pattern: '/local/faults', handler: () => json(200, hooks.faults.get()) },
    {
      method: 'PUT',
      pattern: '/local/faults',
      handler: (ctx) => {
        const settings = parseBody(jsonObject, ctx.body);
        try {
          hooks.faults.set(settings as FaultSettings);
        } catch (error) {
          if (error instanceof FaultSettingsError) throw badRequest(error.message, 'invalid_body');
          throw error;
        }
        return json(200, hooks.faults.get());
      },
    },
    { method: 'GET', pattern: '/local/rate-limit', handler: () => json(200, hooks.rateLimiter.get()) },
    {
      method: 'PUT',
      pattern: '/local/rate-limit',
      handler: (ctx) => {
        try {
          hooks.rateLimiter.set(checkRateLimit(ctx.body));
        } catch (error) {
          if (error instanceof RateLimitSettingsError) throw badRequest(error.message, 'invalid_body');
          throw error;
        }
        return json(200, hooks.rateLimiter.get());
      },
    },
    {
      method: 'POST',
      pattern: '/local/login',
      handler: async (ctx) => {
        const options = parseBody(loginBody, ctx.body);
        const result = await runLoginFlow(ctx.store, options, {
          domain: ctx.runtime.domain,
          clientId: ctx.runtime.clientId,
        });
        return json(200, result);
      },
    },
  ];
}
