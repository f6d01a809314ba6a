// The command line without a tenant: what must fail before any call is made.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FetchLike } from '../../../ops/management/client';
import { runCli } from '../../../ops/mfa/cli';
import { captureIo, configDir, tempDir } from './helpers';

const dir = configDir({ dev: { domain: 'dev.example.com' } });

/** A fetch that records and refuses: these tests must never reach the network. */
function forbiddenFetch() {
  const calls: string[] = [];
  const fetch: FetchLike = async (url) => {
    calls.push(String(url));
    throw new Error('no call expected');
  };
  return { fetch, calls };
}

describe('mfa command line', () => {
  it('fails on missing credentials, naming the variables, before any call', async () => {
    const { fetch, calls } = forbiddenFetch();
    const io = captureIo({ AUTH0_DOMAIN: 'dev.example.com' }, { fetch });
    expect(await runCli(['on', 'a@example.com', '--config-dir', dir], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(
      /^error: Missing Auth0 credentials: set AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET .* or AUTH0_API_TOKEN\.$/,
    );
    expect(calls).toEqual([]);
  });

  it('refuses a CSV with bad rows before credentials or tenant are touched', async () => {
    const file = join(tempDir('mfa-cli-'), 'bad.csv');
    writeFileSync(file, 'user,use_mfa\na@example.com,on\nb@example.com,maybe\n');
    const { fetch, calls } = forbiddenFetch();
    const io = captureIo({}, { fetch });
    expect(await runCli(['import', file], io)).toBe(1);
    expect(io.stderr).toEqual([
      `${file}: line 3, column use_mfa: "maybe" is not one of on, off, true, false`,
      `error: ${file}: 1 bad row, nothing changed`,
    ]);
    expect(calls).toEqual([]);
  });

  it('lists the environments when AUTH0_DOMAIN matches none', async () => {
    const io = captureIo({ AUTH0_DOMAIN: 'other.example.com', AUTH0_API_TOKEN: 'tok' });
    expect(await runCli(['--config-dir', dir, 'status', 'auth0|1'], io)).toBe(1);
    expect(io.stderr).toEqual([
      `error: no environment in ${dir} has the domain AUTH0_DOMAIN=other.example.com; ` +
        'environments: dev (dev.example.com). Choose one with --env NAME',
    ]);
  });

  it('reports an unreadable CSV file as such', async () => {
    const io = captureIo({});
    expect(await runCli(['import', '/nonexistent/users.csv'], io)).toBe(1);
    expect(io.stderr).toEqual(['error: cannot read /nonexistent/users.csv: ENOENT']);
  });

  it('shows help with exit 0 and usage errors with exit 1', async () => {
    const help = captureIo({});
    expect(await runCli(['--help'], help)).toBe(0);
    expect(help.stdout.join('\n')).toMatch(/on \[options\] \[users\.\.\.\][\s\S]*import \[options\] <file>/);
    const bad = captureIo({});
    expect(await runCli(['on'], bad)).toBe(1);
    expect(bad.stderr.join('\n')).toContain('on: give user ids or emails, or --query');
  });
});
