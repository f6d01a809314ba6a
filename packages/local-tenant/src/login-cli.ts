// `npm run login -- EMAIL [--password PW] [--otp CODE] [--connection NAME] [--dir DIR] [--json]`:
// a real login at the running local tenant (found through DIR/connection.env, default .local-tenant)
// with its login application: the password-realm grant, the bound post-login Actions in their
// runtimes, and the MFA they ask for (answered with --otp, a code of the user's authenticator app).
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { CONNECTION_ENV_FILE, DEFAULT_TENANT_DIR, readConnectionEnv } from './directory';

class CliError extends Error {}

const DEFAULT_CONNECTION = 'Username-Password-Authentication';
const PASSWORD_REALM = 'http://auth0.com/oauth/grant-type/password-realm';
const MFA_OTP = 'http://auth0.com/oauth/grant-type/mfa-otp';

interface Args {
  email: string;
  password?: string;
  otp?: string;
  connection: string;
  dir: string;
  json: boolean;
}

const USAGE =
  'usage: npm run login -- EMAIL [--password PASSWORD] [--otp CODE] [--connection NAME] [--dir DIR] [--json]';

function parseArgs(argv: string[]): Args {
  let email: string | undefined;
  const args: Partial<Args> = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new CliError(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    if (arg === '--password') args.password = value();
    else if (arg === '--otp') {
      args.otp = value();
      if (!/^\d{6}$/.test(args.otp))
        throw new CliError(`--otp must be the 6 digits of the authenticator app\n${USAGE}`);
    } else if (arg === '--connection') args.connection = value();
    else if (arg === '--dir') args.dir = value();
    else if (arg === '--json') args.json = true;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (arg.startsWith('-')) throw new CliError(`unknown option ${arg}\n${USAGE}`);
    else if (email === undefined) email = arg;
    else throw new CliError(`unexpected argument ${arg}\n${USAGE}`);
  }
  if (!email) throw new CliError(`which user logs in?\n${USAGE}`);
  return {
    email,
    password: args.password,
    otp: args.otp,
    connection: args.connection ?? DEFAULT_CONNECTION,
    dir: args.dir ?? process.env.LOCAL_TENANT_DIR ?? DEFAULT_TENANT_DIR,
    json: args.json ?? false,
  };
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

function call(
  env: Record<string, string>,
  ca: Buffer,
  method: string,
  path: string,
  headers: Record<string, string>,
  payload?: string,
) {
  const [host, port] = env.AUTH0_DOMAIN.split(':');
  return new Promise<Reply>((resolve, reject) => {
    const req = request(
      {
        host,
        port: Number(port || 443),
        method,
        path,
        ca,
        headers: { ...headers, 'content-length': Buffer.byteLength(payload ?? '') },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: Record<string, unknown> = { text };
          try {
            body = text ? JSON.parse(text) : {};
          } catch {
            // keep the text
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** What a login ended with, as printed (never a token, secret or code). */
interface LoginReport {
  user: string;
  connection: string;
  outcome: 'logged in' | 'mfa required' | 'refused';
  /** amr of the ID token: ['mfa'] after a second factor. */
  amr?: string[];
  claims?: Record<string, unknown>;
  /** The user's authenticators when MFA is required (empty: they will enroll). */
  authenticators?: string[];
  error?: string;
  description?: string;
}

function describe(report: LoginReport): string {
  const lines = [`user:        ${report.user} (${report.connection})`];
  if (report.outcome === 'logged in') {
    lines.push(
      `outcome:     logged in${report.amr?.includes('mfa') ? ' with MFA (amr: mfa)' : ' without MFA'}`,
    );
    lines.push(`ID token:    ${JSON.stringify(report.claims)}`);
  } else if (report.outcome === 'mfa required') {
    const enrolled = report.authenticators?.length
      ? `enrolled: ${report.authenticators.join(', ')}`
      : 'not enrolled yet';
    lines.push(`outcome:     MFA required (${enrolled})`);
    lines.push(
      report.authenticators?.length
        ? 'next:        run again with --otp CODE (the code of the authenticator app)'
        : 'next:        enroll in a browser: open /login-app/start of the tenant and log in',
    );
  } else {
    lines.push(`outcome:     refused: ${report.error}: ${report.description}`);
  }
  return lines.join('\n');
}

async function login(
  env: Record<string, string>,
  ca: Buffer,
  args: Args,
  password: string,
): Promise<LoginReport> {
  const form = (fields: Record<string, string>) =>
    new URLSearchParams({
      client_id: env.LOCAL_TENANT_APP_CLIENT_ID,
      client_secret: env.LOCAL_TENANT_APP_CLIENT_SECRET,
      ...fields,
    }).toString();
  const post = (fields: Record<string, string>) =>
    call(
      env,
      ca,
      'POST',
      '/oauth/token',
      { 'content-type': 'application/x-www-form-urlencoded' },
      form(fields),
    );
  const base: LoginReport = { user: args.email, connection: args.connection, outcome: 'refused' };
  const loggedIn = (body: Record<string, unknown>): LoginReport => {
    const claims = decodeJwt(String(body.id_token));
    return { ...base, outcome: 'logged in', amr: claims.amr as string[] | undefined, claims };
  };
  const refused = (body: Record<string, unknown>): LoginReport => ({
    ...base,
    error: String(body.error ?? 'error'),
    description: String(body.error_description ?? body.message ?? body.text ?? ''),
  });

  const first = await post({
    grant_type: PASSWORD_REALM,
    username: args.email,
    password,
    realm: args.connection,
    scope: 'openid profile email',
  });
  if (first.status === 200) return loggedIn(first.body);
  if (first.body.error !== 'mfa_required') return refused(first.body);
  const mfaToken = String(first.body.mfa_token);
  if (args.otp) {
    const second = await post({ grant_type: MFA_OTP, mfa_token: mfaToken, otp: args.otp });
    return second.status === 200 ? loggedIn(second.body) : refused(second.body);
  }
  const list = await call(env, ca, 'GET', '/mfa/authenticators', { authorization: `Bearer ${mfaToken}` });
  const authenticators = Array.isArray(list.body) ? list.body.map((a) => String(a.authenticator_type)) : [];
  return { ...base, outcome: 'mfa required', authenticators };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const envFile = join(args.dir, CONNECTION_ENV_FILE);
  if (!existsSync(envFile)) {
    throw new CliError(
      `no local tenant in ${args.dir} (${CONNECTION_ENV_FILE} missing): start one with npm run local-tenant`,
    );
  }
  const env = readConnectionEnv(envFile);
  if (
    !env.AUTH0_DOMAIN ||
    !env.LOCAL_TENANT_APP_CLIENT_ID ||
    !env.LOCAL_TENANT_APP_CLIENT_SECRET ||
    !env.NODE_EXTRA_CA_CERTS
  ) {
    throw new CliError(`${envFile} is incomplete: restart the tenant with npm run local-tenant`);
  }
  const password = args.password ?? env.TF_VAR_seed_user_password;
  if (!password) {
    throw new CliError(
      `no password: pass --password, or start the tenant with the seed users' password known (npm start)`,
    );
  }
  const ca = readFileSync(env.NODE_EXTRA_CA_CERTS);
  let report: LoginReport;
  try {
    report = await login(env, ca, args, password);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET') {
      throw new CliError(
        `the local tenant is not running at https://${env.AUTH0_DOMAIN}: start it with npm run local-tenant`,
      );
    }
    throw new CliError(
      `cannot reach the local tenant at https://${env.AUTH0_DOMAIN}: ${(error as Error).message}`,
    );
  }
  process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : `${describe(report)}\n`);
  if (report.outcome === 'refused') process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`login: ${error instanceof CliError ? error.message : (error as Error).stack}\n`);
  process.exit(error instanceof CliError ? 2 : 1);
});
