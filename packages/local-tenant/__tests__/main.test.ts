import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readConnectionEnv } from '../src';
import { TenantClient } from '../src/client';
import { PACKAGE_ROOT, tempDir } from './support/tenant';

jest.setTimeout(30_000);

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startMain(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, ['bin/local-tenant.js', ...args], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitFor(check: () => boolean, what: string, running: Running): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stderr: ${running.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('npm run local-tenant (main.ts)', () => {
  it('serves in the foreground, prints the domain and connection.env but not the secret, stops on SIGTERM', async () => {
    const dir = tempDir();
    const running = startMain(['--dir', dir, '--port', '0', '--rate-limit', '20:30'], {
      LOCAL_TENANT_FAULTS: '429=0.2,5xx=0.1',
    });
    try {
      await waitFor(() => running.stdout().includes('Press Ctrl+C'), 'the start banner', running);
      const env = readConnectionEnv(join(dir, 'connection.env'));
      expect(running.stdout()).toContain(`AUTH0_DOMAIN=${env.AUTH0_DOMAIN}`);
      expect(running.stdout()).toContain(join(dir, 'connection.env'));
      expect(running.stdout() + running.stderr()).not.toContain(env.AUTH0_CLIENT_SECRET);

      const port = Number(env.AUTH0_DOMAIN.split(':')[1]);
      const client = new TenantClient({
        port,
        domain: env.AUTH0_DOMAIN,
        clientId: env.AUTH0_CLIENT_ID,
        clientSecret: env.AUTH0_CLIENT_SECRET,
        caFile: env.NODE_EXTRA_CA_CERTS,
      });
      expect((await client.get('/local/faults')).body).toEqual({
        rateLimitShare: 0.2,
        serverErrorShare: 0.1,
      });
      expect((await client.get('/local/rate-limit')).body).toEqual({ perSecond: 20, burst: 30 });

      running.child.kill('SIGTERM');
      expect(await running.exited).toBe(0);
      expect(existsSync(join(dir, 'tenant.lock'))).toBe(false);
    } finally {
      running.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [['--rate-limit', 'fast'], /--rate-limit.*expected PER_SECOND or PER_SECOND:BURST/],
    [['--port', 'eighty'], /--port.*must be a port number/],
    [['--colour'], /unknown option '--colour'/],
  ])('exits non-zero naming the flag for %j', async (args, message) => {
    const dir = tempDir();
    try {
      const running = startMain(['--dir', dir, ...args]);
      expect(await running.exited).not.toBe(0);
      expect(running.stderr()).toMatch(message);
      expect(running.stderr()).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits non-zero with a message for bad fault settings', async () => {
    const dir = tempDir();
    try {
      const running = startMain(['--dir', dir, '--port', '0'], { LOCAL_TENANT_FAULTS: '429=2' });
      expect(await running.exited).toBe(1);
      expect(running.stderr()).toMatch(/rateLimitShare must be a number from 0 to 1/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
