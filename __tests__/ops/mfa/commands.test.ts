import { listFlagged, setFlags, showStatus } from '../../../ops/mfa/commands';
import type { Auth0User } from '../../../ops/mfa/users';
import { FakeDirectory, fakeSession } from './helpers';

const alice: Auth0User = {
  user_id: 'auth0|alice',
  email: 'alice@example.com',
  user_metadata: { use_mfa: true, theme: 'dark' },
  app_metadata: { use_mfa: 'true' },
};
const bob: Auth0User = { user_id: 'auth0|bob', email: 'bob@example.com', app_metadata: { use_mfa: true } };
const carol: Auth0User = { user_id: 'auth0|carol', email: 'carol@example.com' };
const everyone = () => [structuredClone(alice), structuredClone(bob), structuredClone(carol)];

/** `on` for real (no dry run, seed users not forced), `concurrency` writes at a time. */
const turnOn = (session: Parameters<typeof setFlags>[0], identifiers: string[], concurrency: number) =>
  setFlags(session, identifiers, true, { dryRun: false, force: false, concurrency });

describe('on / off', () => {
  it('prints each change with the stored value before it, and exits 0', async () => {
    const session = fakeSession(new FakeDirectory(everyone()), { flagSource: 'app_metadata' });
    const code = await turnOn(session, ['alice@example.com', 'auth0|bob'], 1);
    expect(code).toBe(0);
    expect(session.io.stdout).toEqual([
      'changed auth0|alice <alice@example.com>: app_metadata.use_mfa "true" (not a boolean: the Action ignores it) -> true',
      'unchanged auth0|bob <bob@example.com>: MFA already on',
    ]);
  });

  it('goes on after a bad identifier and exits 1', async () => {
    const directory = new FakeDirectory(everyone());
    const session = fakeSession(directory);
    const code = await turnOn(session, ['nobody', 'auth0|carol'], 4);
    expect(code).toBe(1);
    expect(session.io.stderr).toEqual([
      'error: nobody: "nobody" is neither a user id (provider|id, e.g. auth0|abc123) nor an email address',
    ]);
    expect(directory.users[2].user_metadata).toEqual({ use_mfa: true });
  });

  it('stops at an error that every next call would meet too', async () => {
    const directory = new FakeDirectory(everyone());
    directory.failUpdate = () => Object.assign(new Error('Forbidden'), { statusCode: 403 });
    const session = fakeSession(directory, { flagSource: 'app_metadata' });
    const code = await turnOn(session, ['auth0|alice', 'auth0|carol', 'auth0|bob'], 1);
    expect(code).toBe(1);
    expect(session.io.stderr).toEqual([
      'error: auth0|alice: Auth0 answered 403: Forbidden (the application needs the read:users and update:users scopes)',
      'stopped: 2 more not attempted',
    ]);
    // All three found in one search; only the first PATCH was tried.
    expect(directory.lookups).toEqual(['search:user_id:("auth0|alice" OR "auth0|carol" OR "auth0|bob")']);
  });

  it('says "would change" in a dry run and notes forced seed users', async () => {
    const session = fakeSession(new FakeDirectory(everyone()), {
      users: [{ email: 'carol@example.com', useMfa: true }],
    });
    await setFlags(session, ['carol@example.com'], false, { dryRun: true, force: true, concurrency: 4 });
    expect(session.io.stdout).toEqual([
      'would change auth0|carol <carol@example.com>: user_metadata.use_mfa unset -> false ' +
        '(seed user, forced: the next deploy sets it back to true)',
    ]);
  });
});

describe('status', () => {
  it('shows both metadata fields and what the Action decides for the flag source', async () => {
    const session = fakeSession(new FakeDirectory(everyone()), {
      flagSource: 'app_metadata',
      users: [{ email: 'bob@example.com', useMfa: true }],
    });
    expect(await showStatus(session, ['alice@example.com', 'auth0|bob', 'auth0|carol'])).toBe(0);
    expect(session.io.stdout).toEqual([
      'auth0|alice <alice@example.com>: MFA off (user_metadata.use_mfa=true, ' +
        'app_metadata.use_mfa="true" (not a boolean: the Action ignores it))',
      'auth0|bob <bob@example.com>: MFA on (user_metadata.use_mfa=unset, app_metadata.use_mfa=true; ' +
        'seed user, configuration says on)',
      'auth0|carol <carol@example.com>: MFA off (user_metadata.use_mfa=unset, app_metadata.use_mfa=unset)',
    ]);
  });
});

describe('list', () => {
  it('lists users whose flag is the boolean true in the flag source', async () => {
    const session = fakeSession(new FakeDirectory(everyone()), { flagSource: 'app_metadata' });
    expect(await listFlagged(session)).toBe(0);
    expect(session.io.stdout).toEqual(['auth0|bob\tbob@example.com']);
    expect(session.io.stderr).toEqual(['1 user with use_mfa on']);
  });

  it('merges both fields for "either", each user once', async () => {
    const directory = new FakeDirectory([
      ...everyone(),
      { user_id: 'auth0|dan', user_metadata: { use_mfa: true }, app_metadata: { use_mfa: true } },
    ]);
    const session = fakeSession(directory, { flagSource: 'either' });
    await listFlagged(session);
    expect(session.io.stdout).toEqual([
      'auth0|alice\talice@example.com',
      'auth0|dan\t',
      'auth0|bob\tbob@example.com',
    ]);
  });

  it('pages through more users than one page holds', async () => {
    const many = Array.from({ length: 250 }, (_, i) => ({
      user_id: `auth0|${i}`,
      user_metadata: { use_mfa: true },
    }));
    const session = fakeSession(new FakeDirectory(many));
    await listFlagged(session);
    expect(session.io.stdout).toHaveLength(250);
    expect(new Set(session.io.stdout).size).toBe(250);
  });
});
