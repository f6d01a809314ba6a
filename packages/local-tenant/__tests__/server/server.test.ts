import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { decodeJwt, importPKCS8, SignJWT } from 'jose';
import { DEFAULT_RATE_LIMIT } from '../../src';
import { expectAuth0Error } from '../support/replies';
import { useTestTenant } from '../support/tenant';

const t = useTestTenant();

describe('bearer authentication', () => {
  it('refuses /api/v2 calls without a token with an Auth0-shaped 401', async () => {
    const reply = await t.client.get('/api/v2/guardian/factors', { token: null });
    expectAuth0Error(reply, 401, 'Missing authentication');
  });

  // Auth0's bodies as its users quote them: GET /api/v2/users with a refused token (auth0-drupal #130, the
  // Auth0 Community "Management API return 401"), an expired one (an ErrorApiException quoted in a blog
  // post), an opaque token (auth0-android-sample #70, proofsh/mfm-http #10, 2025).
  const refused = (message: string) => ({
    statusCode: 401,
    error: 'Unauthorized',
    message,
    attributes: { error: message },
  });

  it("refuses a token that was not issued by this tenant with Auth0's 401 body", async () => {
    const forged = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ aud: `https://${t.tenant.domain}/api/v2/`, exp: Date.now() / 1000 + 60 }),
    ).toString('base64url')}.${createHmac('sha256', 'not-the-key').update('x').digest('base64url')}`;
    const reply = await t.client.get('/api/v2/users', { token: forged });
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual(refused('Invalid token'));
  });

  /** A token of this tenant's key: the claims of a real one, with `changes`. */
  async function resigned(changes: Record<string, unknown>): Promise<string> {
    const claims = decodeJwt(await t.client.token());
    const key = await importPKCS8(readFileSync(join(t.dir, 'signing-key.pem'), 'utf8'), 'RS256');
    return new SignJWT({ ...claims, ...changes }).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(key);
  }

  it("refuses an expired token of this tenant with Auth0's expiry wording", async () => {
    const expired = await resigned({ exp: Math.floor(Date.now() / 1000) - 60 });
    const reply = await t.client.get('/api/v2/users', { token: expired });
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual(refused('Expired token received for JSON Web Token validation'));
  });

  it("refuses a token for another audience as an invalid token, not in jose's words", async () => {
    const other = await resigned({ aud: 'https://example.com/api/' });
    const reply = await t.client.get('/api/v2/users', { token: other });
    expect(reply.body).toEqual(refused('Invalid token'));
  });

  it("answers a token that is not a JWT with Auth0's 400 and errorCode Bearer", async () => {
    for (const authorization of ['Bearer an-opaque-token', 'Bearer a b']) {
      const reply = await t.client.get('/api/v2/users', { token: null, headers: { authorization } });
      expectAuth0Error(reply, 400, 'Bad HTTP authentication header format', 'Bearer');
    }
  });

  it('answers another scheme as missing authentication', async () => {
    const reply = await t.client.get('/api/v2/users', {
      token: null,
      headers: { authorization: 'Basic abc' },
    });
    expectAuth0Error(reply, 401, 'Missing authentication');
  });

  it('accepts the token from /oauth/token', async () => {
    const reply = await t.client.get('/api/v2/guardian/policies');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual([]);
  });

  it('protects the admin routes with the same token', async () => {
    expect((await t.client.get('/local/stats', { token: null })).status).toBe(401);
    expect((await t.client.get('/local/stats')).status).toBe(200);
  });
});

describe('errors', () => {
  it('answers 404 with an Auth0 error body for unknown routes', async () => {
    const reply = await t.client.get('/api/v2/no-such-thing');
    expectAuth0Error(reply, 404, 'Not Found');
  });

  it('answers 400 to malformed JSON, with content type application/json', async () => {
    const reply = await t.client.request('PUT', '/api/v2/guardian/policies', { raw: '["never"' });
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expectAuth0Error(reply, 400, 'Invalid request payload JSON format', 'invalid_body');
  });

  it('sends the rate-limit headers Auth0 sends on Management API answers, errors included', async () => {
    const missing = await t.client.get('/api/v2/no-such-thing');
    expect(missing.headers['x-ratelimit-limit']).toBe(String(DEFAULT_RATE_LIMIT.burst));
    const reply = await t.client.get('/api/v2/guardian/factors');
    expect(reply.headers['x-ratelimit-limit']).toBe(String(DEFAULT_RATE_LIMIT.burst));
    expect(Number(reply.headers['x-ratelimit-reset'])).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
  });
});

describe('stats', () => {
  it('counts calls by route, time in handlers, and resets', async () => {
    t.tenant.resetStats();
    await t.client.get('/api/v2/guardian/factors');
    await t.client.get('/api/v2/guardian/factors');
    await t.client.get('/api/v2/users/auth0%7Cnobody');
    const stats = t.tenant.stats();
    expect(stats.byRoute['GET /api/v2/guardian/factors']).toBe(2);
    expect(stats.byRoute['GET /api/v2/users/{id}']).toBe(1);
    expect(stats.calls).toBe(Object.values(stats.byRoute).reduce((a, b) => a + b, 0));
    expect(stats.handlerMs).toBeGreaterThan(0);
    expect(stats.faultsInjected).toBe(0);
    t.tenant.resetStats();
    expect(t.tenant.stats()).toEqual({ calls: 0, byRoute: {}, handlerMs: 0, faultsInjected: 0 });
  });

  it('serves stats at GET /local/stats and resets at POST /local/stats/reset, neither counted', async () => {
    t.tenant.resetStats();
    await t.client.get('/api/v2/tenants/settings');
    const stats = await t.client.get('/local/stats');
    expect(stats.body.byRoute).toEqual({ 'GET /api/v2/tenants/settings': 1 });
    expect(stats.body.calls).toBe(1);
    const reset = await t.client.post('/local/stats/reset');
    expect(reset.status).toBe(204);
    expect(t.tenant.stats().calls).toBe(0);
  });
});

describe('admin fault settings', () => {
  afterEach(() => t.tenant.setFaults({}));

  it('reads and writes fault settings at /local/faults', async () => {
    const put = await t.client.put('/local/faults', { rateLimitShare: 0.25, serverErrorShare: 0.5, seed: 3 });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ rateLimitShare: 0.25, serverErrorShare: 0.5, seed: 3 });
    expect((await t.client.get('/local/faults')).body).toEqual({
      rateLimitShare: 0.25,
      serverErrorShare: 0.5,
      seed: 3,
    });
  });

  it('refuses shares outside 0..1', async () => {
    const reply = await t.client.put('/local/faults', { rateLimitShare: 2 });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/rateLimitShare/);
    expect((await t.client.get('/local/faults')).body).toEqual({ rateLimitShare: 0, serverErrorShare: 0 });
  });
});

describe('network', () => {
  it('listens on 127.0.0.1 and not on ::1', async () => {
    const reply = await t.client.get('/api/v2/guardian/policies', { host: '127.0.0.1' });
    expect(reply.status).toBe(200);
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      const socket = connect({ host: '::1', port: t.tenant.port });
      socket.on('connect', () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.on('error', (e) => resolve(e));
    });
    expect(error).toBeDefined();
  });
});
