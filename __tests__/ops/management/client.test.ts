import {
  createManagementClient,
  DEFAULT_RETRY_POLICY,
  type FetchLike,
  rateLimitWaitMs,
  withRetries,
} from '../../../ops/management/client';

const NOW = 1_700_000_000_000;
const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100 };

/** A fetch that answers from a script and records each call. */
function scripted(answers: Array<(() => Response) | Error>) {
  const calls: string[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push(`${init?.method ?? 'GET'} ${String(url)}`);
    const next = answers.shift();
    if (!next) throw new Error('no more scripted answers');
    if (next instanceof Error) throw next;
    return next();
  };
  return { fetch, calls };
}

const status =
  (code: number, headers: Record<string, string> = {}, body: unknown = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status: code,
      headers: { 'content-type': 'application/json', ...headers },
    });

function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('rate limits and server errors', () => {
  it('waits until X-RateLimit-Reset after a 429, then retries', async () => {
    const { fetch, calls } = scripted([
      status(429, { 'x-ratelimit-reset': String(NOW / 1000 + 3) }),
      status(200),
    ]);
    const { waits, sleep } = recordingSleep();
    const response = await withRetries(fetch, policy, { sleep, now: () => NOW })('https://t/api/v2/users/x');
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(2);
    expect(waits).toEqual([3000]);
  });

  it('falls back to the backoff without a reset header and never waits a negative or huge time', () => {
    expect(rateLimitWaitMs(new Headers(), NOW, policy)).toBe(100);
    expect(rateLimitWaitMs(new Headers({ 'x-ratelimit-reset': String(NOW / 1000 - 5) }), NOW, policy)).toBe(
      0,
    );
    expect(
      rateLimitWaitMs(new Headers({ 'x-ratelimit-reset': String(NOW / 1000 + 3600) }), NOW, policy),
    ).toBe(policy.maxWaitMs);
  });

  it('retries 5xx and failed connections a few times with growing waits, then gives up', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const { fetch, calls } = scripted([status(503), refused, status(502), status(500)]);
    const { waits, sleep } = recordingSleep();
    const reasons: string[] = [];
    const response = await withRetries(fetch, policy, {
      sleep,
      onRetry: (event) => reasons.push(event.reason),
    })('https://t/x');
    expect(response.status).toBe(500);
    expect(calls).toHaveLength(1 + policy.serverErrorRetries);
    expect(reasons).toEqual(['server error (503)', 'connection failed (ECONNREFUSED)', 'server error (502)']);
    expect(waits[0]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeGreaterThanOrEqual(200);
    expect(waits[2]).toBeGreaterThanOrEqual(400);
  });

  it('throws the connection error once the retries are spent', async () => {
    const refused = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const { fetch, calls } = scripted([refused(), refused(), refused(), refused()]);
    const { sleep } = recordingSleep();
    await expect(withRetries(fetch, policy, { sleep })('https://t/x')).rejects.toThrow('fetch failed');
    expect(calls).toHaveLength(4);
  });

  it('does not retry other client errors', async () => {
    const { fetch, calls } = scripted([status(404), status(200)]);
    const response = await withRetries(fetch, policy, recordingSleep())('https://t/x');
    expect(response.status).toBe(404);
    expect(calls).toHaveLength(1);
  });

  it('stops waiting out 429s after the configured number in a row', async () => {
    const { fetch, calls } = scripted([status(429), status(429), status(429)]);
    const response = await withRetries(
      fetch,
      { ...policy, rateLimitRetries: 2 },
      recordingSleep(),
    )('https://t/x');
    expect(response.status).toBe(429);
    expect(calls).toHaveLength(3);
  });

  it('is what the SDK calls through: token and API calls, SDK retries off', async () => {
    const { fetch, calls } = scripted([
      status(200, {}, { access_token: 'tok', token_type: 'Bearer', expires_in: 86400 }),
      status(429, { 'x-ratelimit-reset': String(NOW / 1000 + 2) }),
      status(503),
      status(200, {}, { user_id: 'auth0|1', email: 'a@example.com' }),
    ]);
    const { waits, sleep } = recordingSleep();
    const client = createManagementClient({
      domain: 'tenant.example',
      auth: { clientId: 'id', clientSecret: 'secret' },
      fetch,
      retry: policy,
      hooks: { sleep, now: () => NOW },
    });
    const user = await client.users.get('auth0|1');
    expect(user.email).toBe('a@example.com');
    expect(calls).toEqual([
      'POST https://tenant.example/oauth/token',
      'GET https://tenant.example/api/v2/users/auth0%7C1',
      'GET https://tenant.example/api/v2/users/auth0%7C1',
      'GET https://tenant.example/api/v2/users/auth0%7C1',
    ]);
    expect(waits[0]).toBe(2000);
  });

  it('hands the last failure to the SDK, which reports the status', async () => {
    const { fetch } = scripted([status(503), status(503), status(503), status(503, {}, { message: 'down' })]);
    const client = createManagementClient({
      domain: 'tenant.example',
      auth: { token: 'tok' },
      fetch,
      retry: policy,
      hooks: recordingSleep(),
    });
    await expect(client.users.get('auth0|1')).rejects.toMatchObject({ statusCode: 503 });
  });
});
