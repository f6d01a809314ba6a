// What a tenant directory holds besides the data file and certificates: the client credentials and
// token signing key (credentials.json, generated once), the lock of the running server (tenant.lock),
// and connection.env, the one file a shell, Terraform, curl or the Node SDK needs to reach the tenant.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';

export const CONNECTION_ENV_FILE = 'connection.env';
const CREDENTIALS_FILE = 'credentials.json';
const LOCK_FILE = 'tenant.lock';
/** The seed users' password, kept by whoever set it (npm start); connection.env exports it. */
export const SEED_PASSWORD_FILE = 'seed-user-password';

/**
 * `.local-tenant` in the folder npm was started from (INIT_CWD), else the current one: the tenant
 * belongs to the project that runs it, not to this package.
 */
export const DEFAULT_TENANT_DIR = resolve(process.env.INIT_CWD ?? process.cwd(), '.local-tenant');

export interface Credentials {
  clientId: string;
  clientSecret: string;
}

export class TenantDirectoryError extends Error {}

function writeAtomic(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, file);
}

export function loadOrCreateCredentials(dir: string): Credentials {
  const file = join(dir, CREDENTIALS_FILE);
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Credentials>;
    if (parsed.clientId && parsed.clientSecret) {
      return { clientId: parsed.clientId, clientSecret: parsed.clientSecret };
    }
    throw new TenantDirectoryError(`${file} is incomplete; delete it to generate new credentials`);
  }
  const credentials: Credentials = {
    clientId: randomBytes(16).toString('base64url'),
    clientSecret: randomBytes(48).toString('base64url'),
  };
  writeAtomic(file, `${JSON.stringify(credentials, null, 2)}\n`, 0o600);
  return credentials;
}

/** Whether a process with this id runs (one of another user counts). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface DirectoryLock {
  setPort(port: number): void;
  release(): void;
}

/** One running tenant per directory: a second start fails while the first one's process is alive. */
export function lockDirectory(dir: string): DirectoryLock {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid }));
      closeSync(fd);
      let released = false;
      const onExit = () => {
        if (!released) {
          try {
            unlinkSync(file);
          } catch {
            // already gone
          }
        }
      };
      process.once('exit', onExit);
      return {
        setPort(port: number) {
          writeFileSync(file, JSON.stringify({ pid: process.pid, port }));
        },
        release() {
          if (released) return;
          released = true;
          process.off('exit', onExit);
          try {
            unlinkSync(file);
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: { pid?: number; port?: number } = {};
      try {
        holder = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        // unreadable lock: treat as stale
      }
      if (holder.pid && processAlive(holder.pid)) {
        const where = holder.port ? ` on https://localhost:${holder.port}` : '';
        throw new TenantDirectoryError(
          `a local tenant is already running from ${dir} (pid ${holder.pid}${where}); stop it first or use another dir`,
        );
      }
      unlinkSync(file);
    }
  }
  throw new TenantDirectoryError(`could not lock ${dir}`);
}

const SAFE_VALUE = /^[A-Za-z0-9_./:@%+,=-]*$/;

function shellQuote(value: string): string {
  return SAFE_VALUE.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Writes connection.env (mode 0600): `export NAME=value` lines, readable by `source` and dotenv. */
export function writeConnectionEnv(dir: string, env: Record<string, string>): string {
  const file = join(dir, CONNECTION_ENV_FILE);
  const lines = [
    '# Local Auth0 tenant: `set -a; source connection.env; set +a` (or `source` it: every line is exported).',
    '# Rewritten each time the tenant starts. Keep it private: it holds the client secret.',
    ...Object.entries(env).map(([name, value]) => `export ${name}=${shellQuote(value)}`),
    '',
  ];
  writeAtomic(file, lines.join('\n'), 0o600);
  return file;
}

/** Reads a connection.env back (only the `export NAME=value` / `NAME=value` lines it writes). */
export function readConnectionEnv(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/);
    if (!m) continue;
    let value = m[2].trim();
    if (value.startsWith("'") && value.endsWith("'") && value.length >= 2)
      value = value.slice(1, -1).replace(/'\\''/g, "'");
    else if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    env[m[1]] = value;
  }
  return env;
}
