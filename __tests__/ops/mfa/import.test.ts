import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../../ops/mfa/csv';
import { formatSummary, importRows, progressPath } from '../../../ops/mfa/import';
import type { Auth0User } from '../../../ops/mfa/users';
import { FakeDirectory, fakeSession, tempDir } from './helpers';

const users = (count: number): Auth0User[] =>
  Array.from({ length: count }, (_, i) => ({ user_id: `auth0|u${i}`, email: `u${i}@example.com` }));

function csvFile(lines: string[]): string {
  const file = join(tempDir('mfa-import-'), 'users.csv');
  writeFileSync(file, ['user,use_mfa', ...lines].join('\n'));
  return file;
}

const rowsOf = (file: string) => parseCsv(readFileSync(file, 'utf8')).rows;
// One request at a time: the order of the lines and the row that meets a failure are then fixed.
const options = { dryRun: false, force: false, restart: false, concurrency: 1 };
const connectionLost = () =>
  Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });

describe('bulk import', () => {
  it('sets every row, counts changed and unchanged, and removes the progress file when all succeeded', async () => {
    const directory = new FakeDirectory(users(3));
    directory.users[2].user_metadata = { use_mfa: true, theme: 'dark' };
    const session = fakeSession(directory);
    const file = csvFile(['u0@example.com,on', 'auth0|u1,off', 'u2@example.com,true']);
    const summary = await importRows(session, file, rowsOf(file), options);
    expect(summary).toEqual({ changed: 2, unchanged: 1, skipped: 0, failed: [], notAttempted: 0 });
    expect(directory.users.map((user) => user.user_metadata)).toEqual([
      { use_mfa: true },
      { use_mfa: false },
      { use_mfa: true, theme: 'dark' },
    ]);
    expect(existsSync(progressPath(file))).toBe(false);
    expect(session.io.stderr[0]).toMatch(/^\[1\/3\] line 2: changed auth0\|u0 <u0@example.com>/);
  });

  it('reports failed rows with reasons and goes on with the others', async () => {
    const directory = new FakeDirectory(users(2));
    const file = csvFile(['nobody@example.com,on', 'u1@example.com,on']);
    const summary = await importRows(fakeSession(directory), file, rowsOf(file), options);
    expect(summary.failed).toEqual([
      { line: 2, user: 'nobody@example.com', reason: 'no user with email nobody@example.com' },
    ]);
    expect(summary.changed).toBe(1);
    expect(formatSummary(summary, file, false)).toEqual([
      'changed 1, unchanged 0, failed 1',
      '  line 2 nobody@example.com: no user with email nobody@example.com',
      `progress is kept in ${progressPath(file)}: run the same import again to do only the rows not yet done`,
    ]);
  });

  it('stops when the tenant is unreachable and resumes without redoing finished rows', async () => {
    const directory = new FakeDirectory(users(5));
    const file = csvFile(users(5).map((user) => `${user.email},on`));
    directory.failUpdate = (userId) => (userId === 'auth0|u2' ? connectionLost() : undefined);
    const first = await importRows(fakeSession(directory), file, rowsOf(file), options);
    expect(first).toMatchObject({ changed: 2, notAttempted: 2 });
    expect(first.failed).toEqual([
      { line: 4, user: 'u2@example.com', reason: 'fetch failed (ECONNREFUSED)' },
    ]);
    expect(existsSync(progressPath(file))).toBe(true);

    directory.failUpdate = undefined;
    const lookupsBefore = directory.lookups.length;
    const second = await importRows(fakeSession(directory), file, rowsOf(file), options);
    expect(second).toEqual({ changed: 3, unchanged: 0, skipped: 2, failed: [], notAttempted: 0 });
    expect(directory.updates.map((update) => update.userId)).toEqual([
      'auth0|u0',
      'auth0|u1',
      'auth0|u2',
      'auth0|u3',
      'auth0|u4',
    ]);
    // The finished rows were not even looked up again; the others in one search.
    expect(directory.lookups.slice(lookupsBefore)).toEqual([
      'search:email:("u2@example.com" OR "u3@example.com" OR "u4@example.com")',
    ]);
  });

  it('does a row again when its line was edited since the failed run', async () => {
    const directory = new FakeDirectory(users(3));
    const file = csvFile(['u0@example.com,on', 'u1@example.com,on', 'u2@example.com,on']);
    directory.failUpdate = (userId) => (userId === 'auth0|u2' ? connectionLost() : undefined);
    await importRows(fakeSession(directory), file, rowsOf(file), options);
    writeFileSync(
      file,
      ['user,use_mfa', 'u0@example.com,off', 'u1@example.com,on', 'u2@example.com,on'].join('\n'),
    );
    directory.failUpdate = undefined;
    const summary = await importRows(fakeSession(directory), file, rowsOf(file), options);
    expect(summary).toMatchObject({ changed: 2, skipped: 1 });
    expect(directory.users[0].user_metadata).toEqual({ use_mfa: false });
  });

  it('--restart ignores the progress of the earlier run', async () => {
    const directory = new FakeDirectory(users(2));
    const file = csvFile(['u0@example.com,on', 'u1@example.com,on']);
    directory.failUpdate = (userId) => (userId === 'auth0|u1' ? connectionLost() : undefined);
    await importRows(fakeSession(directory), file, rowsOf(file), options);
    directory.failUpdate = undefined;
    const summary = await importRows(fakeSession(directory), file, rowsOf(file), {
      ...options,
      restart: true,
    });
    expect(summary).toEqual({ changed: 1, unchanged: 1, skipped: 0, failed: [], notAttempted: 0 });
  });

  it('a dry run neither changes users nor writes progress', async () => {
    const directory = new FakeDirectory(users(2));
    const file = csvFile(['u0@example.com,on', 'u1@example.com,off']);
    const summary = await importRows(fakeSession(directory), file, rowsOf(file), {
      ...options,
      dryRun: true,
    });
    expect(summary).toMatchObject({ changed: 2, failed: [] });
    expect(directory.updates).toEqual([]);
    expect(existsSync(progressPath(file))).toBe(false);
    expect(formatSummary(summary, file, true)[0]).toBe('dry run: would change 2, unchanged 0, failed 0');
  });

  it('ignores a half-written last line of the progress file', async () => {
    const directory = new FakeDirectory(users(2));
    const file = csvFile(['u0@example.com,on', 'u1@example.com,on']);
    directory.failUpdate = (userId) => (userId === 'auth0|u1' ? connectionLost() : undefined);
    await importRows(fakeSession(directory), file, rowsOf(file), options);
    writeFileSync(progressPath(file), `${readFileSync(progressPath(file), 'utf8')}{"key":"3:`);
    directory.failUpdate = undefined;
    const summary = await importRows(fakeSession(directory), file, rowsOf(file), options);
    expect(summary).toMatchObject({ changed: 1, skipped: 1, failed: [] });
  });
});
