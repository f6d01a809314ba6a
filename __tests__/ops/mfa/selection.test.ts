// Flag by query, connection, role or organization; reset; and the SDK directory against Auth0's shapes.
import { createManagementClient, DEFAULT_RETRY_POLICY, type FetchLike } from '../../../ops/management/client';
import { sdkDirectory } from '../../../ops/mfa/directory';
import { batchQueries, MAX_QUERY_CHARS, MAX_TERMS } from '../../../ops/mfa/lookup';
import { resetMfa } from '../../../ops/mfa/reset';
import { selectionQuery, setFlagsBySelection } from '../../../ops/mfa/selection';
import type { Auth0User } from '../../../ops/mfa/users';
import { FakeDirectory, fakeSession } from './helpers';

const user = (name: string, extra: Partial<Auth0User> = {}): Auth0User => ({
  user_id: `auth0|${name}`,
  email: `${name}@example.com`,
  identities: [{ connection: 'Username-Password-Authentication' }],
  ...extra,
});
const options = { dryRun: false, force: false, concurrency: 2, yes: true };

describe('batched lookups', () => {
  it('quotes every value and keeps each query within the term and length limits', () => {
    const emails = Array.from({ length: 120 }, (_, i) => `person.${i}@example.com`);
    const batches = batchQueries('email', emails);
    expect(batches.flatMap((batch) => batch.values)).toEqual(emails);
    for (const batch of batches) {
      expect(batch.values.length).toBeLessThanOrEqual(MAX_TERMS);
      expect(batch.query.length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
    }
    expect(batchQueries('user_id', ['auth0|a"b'], 'x:y')[0].query).toBe('user_id:("auth0|a\\"b") AND (x:y)');
    const long = Array.from({ length: 40 }, (_, i) => `${'x'.repeat(90)}${i}@example.com`);
    expect(batchQueries('email', long).length).toBeGreaterThan(1);
  });
});

describe('flag by selection', () => {
  it('counts and shows the dry run without --yes, and writes nothing', async () => {
    const directory = new FakeDirectory([user('a'), user('b', { user_metadata: { use_mfa: true } })]);
    directory.matchesFilter = (filter, candidate) =>
      filter === 'email.domain:example.com' || new FakeDirectory([]).matchesFilter(filter, candidate);
    const session = fakeSession(directory);
    const code = await setFlagsBySelection(session, { query: 'email.domain:example.com' }, true, {
      ...options,
      yes: false,
    });
    expect(code).toBe(0);
    expect(session.io.stdout).toEqual([
      '--query "email.domain:example.com": 2 users, 1 to turn MFA on',
      'would change auth0|a <a@example.com>: user_metadata.use_mfa unset -> true',
      'dry run: would change 1, refused 0. Nothing changed; add --yes to write',
    ]);
    expect(directory.updates).toEqual([]);
  });

  it('--connection writes with --yes, searching only users not yet set', async () => {
    const partner = (name: string) => user(name, { identities: [{ connection: 'Partners' }] });
    const directory = new FakeDirectory([partner('p1'), partner('p2'), user('other')]);
    const session = fakeSession(directory, { flagSource: 'app_metadata' });
    expect(await setFlagsBySelection(session, { connection: 'Partners' }, true, options)).toBe(0);
    expect(directory.updates.map((update) => update.userId).sort()).toEqual(['auth0|p1', 'auth0|p2']);
    expect(directory.lookups).toContain(
      'search:(identities.connection:"Partners") AND NOT app_metadata.use_mfa:true',
    );
    expect(session.io.stdout.at(-1)).toBe('changed 2, unchanged 0, failed 0');
  });

  it('--role and --organization take their members (both: those in both), seed users refused', async () => {
    const directory = new FakeDirectory([user('r1'), user('r2'), user('o1'), user('seed')]);
    directory.roles = [
      { id: 'rol_1', name: 'admin', members: ['auth0|r1', 'auth0|r2', 'auth0|seed'] },
      { id: 'rol_2', name: 'admin-readonly', members: ['auth0|o1'] },
    ];
    directory.organizations = [{ id: 'org_1', name: 'acme', members: ['auth0|r2', 'auth0|o1'] }];
    const session = fakeSession(directory, { users: [{ email: 'seed@example.com', useMfa: false }] });
    expect(await setFlagsBySelection(session, { role: 'admin' }, true, options)).toBe(1);
    expect(directory.updates.map((update) => update.userId).sort()).toEqual(['auth0|r1', 'auth0|r2']);
    expect(session.io.stderr.join('\n')).toMatch(/auth0\|seed: .*is a seed user/);

    const both = fakeSession(directory);
    expect(await setFlagsBySelection(both, { role: 'admin', organization: 'acme' }, false, options)).toBe(0);
    expect(both.io.stdout[0]).toBe('--role "admin" --organization "acme": 1 user, 1 to turn MFA off');
  });

  it('refuses an unknown role or organization, naming similar roles, before any write', async () => {
    const directory = new FakeDirectory([user('a')]);
    directory.roles = [{ id: 'rol_1', name: 'admins', members: ['auth0|a'] }];
    await expect(
      setFlagsBySelection(fakeSession(directory), { role: 'admin' }, true, options),
    ).rejects.toThrow('no role named "admin" (roles with similar names: admins)');
    await expect(
      setFlagsBySelection(fakeSession(directory), { organization: 'nope' }, true, options),
    ).rejects.toThrow('no organization named "nope"');
    expect(directory.updates).toEqual([]);
  });

  it('combines --query and --connection, and refuses empty ones', () => {
    expect(selectionQuery({ query: 'logins_count:0', connection: 'DB "main"' })).toBe(
      '(logins_count:0) AND identities.connection:"DB \\"main\\""',
    );
    expect(() => selectionQuery({ query: '  ' })).toThrow('--query is empty');
  });
});

describe('reset', () => {
  it('removes the factors and remembered browsers; a dry run only lists them', async () => {
    const directory = new FakeDirectory([user('alice')]);
    directory.methods['auth0|alice'] = [
      { id: 'totp|1', type: 'totp' },
      { id: 'pwd', type: 'password' },
    ];
    const dry = fakeSession(directory);
    expect(await resetMfa(dry, ['alice@example.com'], { dryRun: true })).toBe(0);
    expect(dry.io.stdout).toEqual([
      'would reset auth0|alice <alice@example.com>: 1 enrolled factor(s) (totp)',
    ]);
    expect(directory.resets).toEqual([]);
    const real = fakeSession(directory);
    expect(await resetMfa(real, ['auth0|alice', 'nobody@example.com'], { dryRun: false })).toBe(1);
    expect(directory.resets).toEqual(['methods:auth0|alice', 'browsers:auth0|alice']);
    expect(real.io.stderr).toEqual(['error: nobody@example.com: no user with email nobody@example.com']);
  });
});

describe('the SDK directory speaks Auth0 documented endpoints', () => {
  function fakeApi(routes: Record<string, (url: URL) => unknown>) {
    const calls: string[] = [];
    const fetch: FetchLike = async (input, init) => {
      const url = new URL(String(input));
      const key = `${init?.method ?? 'GET'} ${url.pathname}`;
      calls.push(`${key}${url.search}`);
      if (url.pathname === '/oauth/token') {
        return Response.json({ access_token: 't', token_type: 'Bearer', expires_in: 3600 });
      }
      const route = routes[key];
      if (!route) return Response.json({ statusCode: 404, message: 'Not Found' }, { status: 404 });
      const body = route(url);
      return body === undefined ? new Response(null, { status: 204 }) : Response.json(body);
    };
    const client = createManagementClient({
      domain: 'tenant.example',
      auth: { token: 'tok' },
      fetch,
      retry: DEFAULT_RETRY_POLICY,
    });
    return { directory: sdkDirectory(client), calls };
  }

  it('roles by name_filter, role users and organization members by checkpoint', async () => {
    const { directory, calls } = fakeApi({
      'GET /api/v2/roles': () => ({
        roles: [{ id: 'rol_1', name: 'admin' }],
        start: 0,
        limit: 100,
        total: 1,
      }),
      'GET /api/v2/roles/rol_1/users': (url) =>
        url.searchParams.get('from')
          ? { users: [{ user_id: 'auth0|2' }] }
          : { users: [{ user_id: 'auth0|1' }], next: 'cursor1' },
      'GET /api/v2/organizations/name/acme': () => ({ id: 'org_1', name: 'acme' }),
      'GET /api/v2/organizations/org_1/members': () => ({ members: [{ user_id: 'auth0|3' }] }),
    });
    expect(await directory.findRoles('admin')).toEqual([{ id: 'rol_1', name: 'admin' }]);
    expect(await directory.roleMembers('rol_1')).toEqual(['auth0|1', 'auth0|2']);
    expect(await directory.findOrganization('acme')).toEqual({ id: 'org_1', name: 'acme' });
    expect(await directory.findOrganization('nope')).toBeUndefined();
    expect(await directory.organizationMembers('org_1')).toEqual(['auth0|3']);
    expect(calls.filter((call) => call.startsWith('GET /api/v2/roles/rol_1/users?'))).toEqual([
      expect.not.stringContaining('from='),
      expect.stringContaining('from=cursor1&take=100'),
    ]);
    expect(
      calls.some((call) => call.startsWith('GET /api/v2/roles?') && call.includes('name_filter=admin')),
    ).toBe(true);
  });

  it('reset: DELETE authentication-methods and POST invalidate-remember-browser', async () => {
    const { directory, calls } = fakeApi({
      'GET /api/v2/users/auth0%7C1/authentication-methods': () => ({
        authenticators: [{ id: 'totp|1', type: 'totp', created_at: '2026-01-01T00:00:00.000Z' }],
        start: 0,
        limit: 100,
        total: 1,
      }),
      'DELETE /api/v2/users/auth0%7C1/authentication-methods': () => undefined,
      'POST /api/v2/users/auth0%7C1/multifactor/actions/invalidate-remember-browser': () => undefined,
    });
    expect(await directory.authenticationMethods('auth0|1')).toEqual([{ id: 'totp|1', type: 'totp' }]);
    await directory.deleteAuthenticationMethods('auth0|1');
    await directory.invalidateRememberBrowser('auth0|1');
    expect(calls.slice(-2)).toEqual([
      'DELETE /api/v2/users/auth0%7C1/authentication-methods',
      'POST /api/v2/users/auth0%7C1/multifactor/actions/invalidate-remember-browser',
    ]);
  });
});
