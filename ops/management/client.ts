// The one Management API client of every command (mfa, adopt, recovery): built from the same environment
// variables as the Terraform provider, its HTTP calls wrapped so that Auth0's rate limits and passing server
// errors are waited out, not reported.
import { ManagementClient } from 'auth0';
import type { Auth } from './credentials';
import { networkCause } from './errors';

export type FetchLike = (url: Parameters<typeof fetch>[0], init?: RequestInit) => Promise<Response>;

export interface RetryPolicy {
  /** Retries after a 5xx answer or a failed connection; PATCHing a flag to a value is safe to repeat. */
  serverErrorRetries: number;
  /** Consecutive 429 answers waited out before giving up: a tenant that never recovers must not hang us. */
  rateLimitRetries: number;
  /** First backoff after a server error (doubled each time) and the wait for a 429 without a reset time. */
  baseDelayMs: number;
  /** Cap on one wait, so a clock far off the tenant's (or a bogus X-RateLimit-Reset) cannot hang the tool. */
  maxWaitMs: number;
  /** Per attempt, so one stuck connection costs an attempt and not the whole run. */
  attemptTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  serverErrorRetries: 3,
  rateLimitRetries: 20,
  baseDelayMs: 500,
  maxWaitMs: 60_000,
  attemptTimeoutMs: 30_000,
};

export interface RetryHooks {
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Told before each wait, e.g. to say on stderr why the run paused. */
  onRetry?: (event: { reason: string; waitMs: number }) => void;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * How long a 429 asks us to wait: Auth0 sends X-RateLimit-Reset as the epoch second when the bucket
 * refills. Without the header (a proxy, an older API) fall back to the backoff.
 */
export function rateLimitWaitMs(headers: Headers, nowMs: number, policy: RetryPolicy): number {
  const reset = Number(headers.get('x-ratelimit-reset'));
  const wait = Number.isFinite(reset) && reset > 0 ? reset * 1000 - nowMs : policy.baseDelayMs;
  return Math.min(Math.max(wait, 0), policy.maxWaitMs);
}

function backoffMs(failures: number, policy: RetryPolicy): number {
  const exponential = policy.baseDelayMs * 2 ** (failures - 1);
  // Jitter, so that several operators' tools do not retry in lockstep.
  return Math.min(exponential + Math.random() * (policy.baseDelayMs / 2), policy.maxWaitMs);
}

function attemptSignal(init: RequestInit | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
}

/**
 * Spaces out the calls of one client by the tenant's rate-limit headers (the mfa tool's Pacer, in
 * ../mfa/rate-limit.ts): each call waits for `acquire`, then hands its answer to `settle`.
 */
export interface Pacing {
  acquire(): Promise<void>;
  settle(headers: Headers | undefined, status?: number): void;
  /** A 429 asked to wait `resetWaitMs`: hold every call of the client; returns the wait it chose. */
  holdAfterRefusal(resetWaitMs: number): number;
}

/** Only the Management API is paced: the token endpoint has limits of its own. */
const isManagementApi = (url: Parameters<typeof fetch>[0]) =>
  new URL(url instanceof Request ? url.url : String(url)).pathname.startsWith('/api/v2/');

/**
 * Wraps fetch: with a pacer, each Management API call waits for it; a 429 (without a pacer, or another
 * client spent the bucket) waits for X-RateLimit-Reset and tries again; a 5xx or a failed
 * connection is retried a few times with exponential backoff. Anything else, and the last failure, goes
 * back to the SDK, which turns it into its usual error.
 */
export function withRetries(
  fetchImpl: FetchLike,
  policy: RetryPolicy,
  hooks: RetryHooks = {},
  pacer?: Pacing,
): FetchLike {
  const sleep = hooks.sleep ?? pause;
  const now = hooks.now ?? Date.now;
  return async (url, init) => {
    const paced = pacer !== undefined && isManagementApi(url);
    let rateLimited = 0;
    let failures = 0;
    for (;;) {
      let response: Response;
      if (paced) await pacer.acquire();
      try {
        response = await fetchImpl(url, { ...init, signal: attemptSignal(init, policy.attemptTimeoutMs) });
      } catch (error) {
        if (paced) pacer.settle(undefined);
        if (init?.signal?.aborted || failures >= policy.serverErrorRetries) throw error;
        failures += 1;
        const waitMs = backoffMs(failures, policy);
        hooks.onRetry?.({
          reason: `connection failed (${networkCause(error) ?? (error as Error).message})`,
          waitMs,
        });
        await sleep(waitMs);
        continue;
      }
      if (paced) pacer.settle(response.headers, response.status);
      let waitMs: number;
      let reason: string;
      if (response.status === 429 && rateLimited < policy.rateLimitRetries) {
        rateLimited += 1;
        waitMs = rateLimitWaitMs(response.headers, now(), policy);
        reason = 'rate limited (429)';
      } else if (response.status >= 500 && failures < policy.serverErrorRetries) {
        failures += 1;
        waitMs = backoffMs(failures, policy);
        reason = `server error (${response.status})`;
      } else {
        return response;
      }
      // Read the unused body so the connection goes back to the pool.
      await response.arrayBuffer().catch(() => undefined);
      // A paced 429 holds every request of the pacer, not only this one.
      if (paced && response.status === 429) waitMs = pacer.holdAfterRefusal(waitMs);
      hooks.onRetry?.({ reason, waitMs });
      if (!(paced && response.status === 429)) await sleep(waitMs);
    }
  };
}

export interface ClientOptions {
  domain: string;
  auth: Auth;
  audience?: string;
  /** The HTTP layer; tests pass one that trusts the local tenant's CA. */
  fetch?: FetchLike;
  retry?: RetryPolicy;
  hooks?: RetryHooks;
  /** Shared by every request of this client (the mfa tool's, to keep many calls in flight under the limit). */
  pacer?: Pacing;
}

/** Not HTTP: the status our adapter answers when the connection itself failed after every retry. */
export const CONNECTION_FAILED = 599;

/**
 * auth0 7 clears its timeout timer only when fetch resolves: a fetch that throws leaves a timer of the whole
 * timeout behind, and the process waits for it before it exits. So a failed connection comes back as an
 * answer (CONNECTION_FAILED, the error and its cause as its message, the cause alone as `cause`), which
 * the SDK turns into its usual error.
 */
function answerConnectionFailures(fetchImpl: FetchLike): FetchLike {
  return async (url, init) => {
    try {
      return await fetchImpl(url, init);
    } catch (error) {
      const cause = networkCause(error);
      const message = (error as Error).message || String(error);
      return Response.json(
        { message: cause && cause !== message ? `${message} (${cause})` : message, cause: cause ?? message },
        { status: CONNECTION_FAILED },
      );
    }
  };
}

/** What failed below a CONNECTION_FAILED answer (ECONNREFUSED, a certificate error), from the SDK's error. */
export function connectionCause(error: unknown): string | undefined {
  const body = (error as { body?: { cause?: unknown } } | null)?.body;
  return typeof body?.cause === 'string' ? body.cause : undefined;
}

/** The SDK's own timeout spans our whole retry loop, waits for X-RateLimit-Reset included. */
function sdkTimeoutSeconds(policy: RetryPolicy): number {
  const waits = policy.rateLimitRetries * policy.maxWaitMs + policy.serverErrorRetries * policy.maxWaitMs;
  const attempts = (policy.rateLimitRetries + policy.serverErrorRetries + 1) * policy.attemptTimeoutMs;
  return Math.ceil((waits + attempts) / 1000);
}

export function createManagementClient(options: ClientOptions): ManagementClient {
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  const fetchImpl = answerConnectionFailures(
    withRetries(options.fetch ?? globalThis.fetch.bind(globalThis), policy, options.hooks, options.pacer),
  );
  const common = {
    domain: options.domain,
    ...(options.audience ? { audience: options.audience } : {}),
    fetch: fetchImpl as typeof fetch,
    // The SDK would retry 429s with its own backoff (twice, ignoring X-RateLimit-Reset) under our loop.
    maxRetries: 0,
    // Its default (60 s) is shorter than one wait for a reset; each attempt has its own timeout instead.
    timeoutInSeconds: sdkTimeoutSeconds(policy),
  };
  return 'token' in options.auth
    ? new ManagementClient({ ...common, token: options.auth.token })
    : new ManagementClient({ ...common, ...options.auth });
}

export type ActionBinding = Awaited<
  ReturnType<ManagementClient['actions']['triggers']['bindings']['list']>
>['data'][number];

/** Every binding of a trigger, in order, read page by page until a short page. */
export async function listBindings(
  client: ManagementClient,
  trigger: Parameters<ManagementClient['actions']['triggers']['bindings']['list']>[0],
  perPage: number,
): Promise<ActionBinding[]> {
  const bindings: ActionBinding[] = [];
  for (let page = 0; ; page++) {
    const { data } = await client.actions.triggers.bindings.list(trigger, { page, per_page: perPage });
    bindings.push(...data);
    if (data.length < perPage) return bindings;
  }
}
