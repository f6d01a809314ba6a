import { RowError } from '../../../ops/mfa/errors';
import {
  type Auth0User,
  findSeedUser,
  mfaIsOn,
  parseIdentifier,
  planFlagChange,
  resolveUser,
  setUserFlag,
} from '../../../ops/mfa/users';
import type { SeedUser } from '../../../src/config/schema';
import { FakeDirectory } from './helpers';

const db = (id: string, email: string, extra: Partial<Auth0User> = {}): Auth0User => ({
  user_id: id,
  email,
  identities: [{ connection: 'Username-Password-Authentication', provider: 'auth0' }],
  ...extra,
});

const seed = (email: string, useMfa: boolean): SeedUser => ({
  email,
  useMfa,
  connection: 'Username-Password-Authentication',
  passwordVariable: 'seed_user_password',
});

describe('identifiers', () => {
  it('tells user ids (provider|id) from emails and refuses anything else', () => {
    expect(parseIdentifier('auth0|abc')).toEqual({ kind: 'id', userId: 'auth0|abc' });
    expect(parseIdentifier('samlp|corp|jane')).toEqual({ kind: 'id', userId: 'samlp|corp|jane' });
    expect(parseIdentifier(' a@example.com ')).toEqual({ kind: 'email', email: 'a@example.com' });
    expect(() => parseIdentifier('alice')).toThrow(/neither a user id .* nor an email/);
    expect(() => parseIdentifier('|abc')).toThrow(RowError);
  });

  it('resolves an id and an email to the one user', async () => {
    const directory = new FakeDirectory([db('auth0|1', 'a@example.com'), db('auth0|2', 'b@example.com')]);
    expect((await resolveUser(directory, 'auth0|2')).email).toBe('b@example.com');
    expect((await resolveUser(directory, 'a@example.com')).user_id).toBe('auth0|1');
  });

  it('retries an email in lower case, as Auth0 stores database emails', async () => {
    const directory = new FakeDirectory([db('auth0|1', 'a@example.com')]);
    expect((await resolveUser(directory, 'A@Example.com')).user_id).toBe('auth0|1');
    expect(directory.lookups).toEqual(['email:A@Example.com', 'email:a@example.com']);
  });

  it('fails for unknown users', async () => {
    const directory = new FakeDirectory([]);
    await expect(resolveUser(directory, 'auth0|nobody')).rejects.toThrow('no user with id auth0|nobody');
    await expect(resolveUser(directory, 'x@example.com')).rejects.toThrow('no user with email x@example.com');
  });

  it('lists the user ids of an email shared by several connections instead of picking one', async () => {
    const directory = new FakeDirectory([
      db('auth0|1', 'a@example.com'),
      db('google-oauth2|9', 'a@example.com', { identities: [{ connection: 'google-oauth2' }] }),
    ]);
    await expect(resolveUser(directory, 'a@example.com')).rejects.toThrow(
      'a@example.com is ambiguous: 2 users have it (auth0|1 (Username-Password-Authentication), ' +
        'google-oauth2|9 (google-oauth2)); name one by its user id',
    );
  });
});

describe('the PATCH body', () => {
  const user = (user_metadata?: object, app_metadata?: object) =>
    db('auth0|1', 'a@example.com', {
      user_metadata: user_metadata as never,
      app_metadata: app_metadata as never,
    });

  it('sends only use_mfa, in the flag source; "either" writes app_metadata', () => {
    expect(planFlagChange(user({ theme: 'dark' }), 'user_metadata', true)).toEqual({
      user_metadata: { use_mfa: true },
    });
    expect(planFlagChange(user(), 'app_metadata', true)).toEqual({ app_metadata: { use_mfa: true } });
    expect(planFlagChange(user({ use_mfa: true }), 'either', true)).toEqual({
      app_metadata: { use_mfa: true },
    });
  });

  it('writes false for off, and nothing when the stored value is already the wanted boolean', () => {
    expect(planFlagChange(user({ use_mfa: true }), 'user_metadata', false)).toEqual({
      user_metadata: { use_mfa: false },
    });
    expect(planFlagChange(user(), 'user_metadata', false)).toEqual({ user_metadata: { use_mfa: false } });
    expect(planFlagChange(user({ use_mfa: false }), 'user_metadata', false)).toEqual({});
    expect(planFlagChange(user(undefined, { use_mfa: true }), 'app_metadata', true)).toEqual({});
  });

  it('rewrites a stored value the Action ignores, such as the string "true"', () => {
    expect(planFlagChange(user({ use_mfa: 'true' }), 'user_metadata', true)).toEqual({
      user_metadata: { use_mfa: true },
    });
  });

  it('with "either", off also clears a true in user_metadata, which the Action would still honour', () => {
    const flaggedByUser = user({ use_mfa: true }, { use_mfa: false });
    expect(mfaIsOn(flaggedByUser, 'either')).toBe(true);
    expect(planFlagChange(flaggedByUser, 'either', false)).toEqual({ user_metadata: { use_mfa: false } });
    expect(planFlagChange(user({ use_mfa: true }), 'either', false)).toEqual({
      app_metadata: { use_mfa: false },
      user_metadata: { use_mfa: false },
    });
  });
});

describe('seed users', () => {
  const seeds = [seed('Alice@example.com', true)];

  it('match on email (any case) and connection', () => {
    expect(findSeedUser(seeds, db('auth0|1', 'alice@example.com'))).toBe(seeds[0]);
    const social = db('google-oauth2|1', 'alice@example.com', {
      identities: [{ connection: 'google-oauth2' }],
    });
    expect(findSeedUser(seeds, social)).toBeUndefined();
    expect(findSeedUser(seeds, db('auth0|2', 'bob@example.com'))).toBeUndefined();
  });

  it('are refused when the change goes against the configuration, unless forced', async () => {
    const directory = new FakeDirectory([
      db('auth0|1', 'alice@example.com', { user_metadata: { use_mfa: true } }),
    ]);
    const options = {
      source: 'user_metadata' as const,
      environmentName: 'dev',
      seeds,
      dryRun: false,
      force: false,
    };
    await expect(setUserFlag(directory, 'alice@example.com', false, options)).rejects.toThrow(
      /seed user of environment dev .*useMfa: true.*next deploy would set it back.*--force/,
    );
    expect(directory.updates).toEqual([]);
    const forced = await setUserFlag(directory, 'alice@example.com', false, { ...options, force: true });
    expect(forced.seed).toBe(seeds[0]);
    expect(directory.updates).toEqual([{ userId: 'auth0|1', patch: { user_metadata: { use_mfa: false } } }]);
  });

  it('may be set to what the configuration says without --force', async () => {
    const directory = new FakeDirectory([db('auth0|1', 'alice@example.com')]);
    const options = {
      source: 'app_metadata' as const,
      environmentName: 'dev',
      seeds,
      dryRun: false,
      force: false,
    };
    await setUserFlag(directory, 'auth0|1', true, options);
    expect(directory.users[0].app_metadata).toEqual({ use_mfa: true });
  });
});

describe('dry run', () => {
  it('works out the change and sends nothing', async () => {
    const directory = new FakeDirectory([db('auth0|1', 'a@example.com')]);
    const result = await setUserFlag(directory, 'auth0|1', true, {
      source: 'user_metadata',
      environmentName: 'dev',
      seeds: [],
      dryRun: true,
      force: false,
    });
    expect(result.patch).toEqual({ user_metadata: { use_mfa: true } });
    expect(directory.updates).toEqual([]);
  });
});
