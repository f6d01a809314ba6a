// `npm run login -- EMAIL [--protocol P] [--password PW] [--dir DIR] [--json]`: asks the running
// local tenant (found through DIR/connection.env, default .local-tenant) to simulate a login of EMAIL
// through its post-login Actions, and prints the outcome.
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { CONNECTION_ENV_FILE, DEFAULT_TENANT_DIR, readConnectionEnv } from './directory';
import type { LoginResult } from './login/simulate';

class CliError extends Error {}

interface Args {
  email: string;
  protocol?: string;
  password?: string;
  dir: string;
  json: boolean;
}

const USAGE =
  'usage: npm run login -- EMAIL [--protocol PROTOCOL] [--password PASSWORD] [--dir DIR] [--json]';

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
    if (arg === '--protocol') args.protocol = value();
    else if (arg === '--password') args.password = value();
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
    protocol: args.protocol,
    password: args.password,
    dir: args.dir ?? process.env.LOCAL_TENANT_DIR ?? DEFAULT_TENANT_DIR,
    json: args.json ?? false,
  };
}

interface Reply {
  status: number;
  body: unknown;
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
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
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

function message(body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    return String(b.message ?? b.error_description ?? b.error ?? JSON.stringify(body));
  }
  return String(body);
}

function describe(result: LoginResult): string {
  const lines = [`user:        ${result.user.email ?? '(no email)'} (${result.user.id})`];
  lines.push(`protocol:    ${result.protocol}`);
  lines.push(`actions run: ${result.actionsRun.length ? result.actionsRun.join(', ') : '(none)'}`);
  if (result.mfa.required) {
    const options = result.mfa.options ? ` ${JSON.stringify(result.mfa.options)}` : '';
    lines.push(
      `MFA:         required (provider ${result.mfa.provider}${options}, asked by ${result.mfaRequestedBy})`,
    );
  } else lines.push('MFA:         not required');
  lines.push(
    `factors:     ${result.enabledFactors.length ? result.enabledFactors.join(', ') : '(none enabled)'}`,
  );
  if (result.denied)
    lines.push(
      `denied:      ${result.denied.reason}${result.denied.action ? ` (by ${result.denied.action})` : ''}`,
    );
  if (result.error)
    lines.push(
      `error:       ${result.error.message}${result.error.action ? ` (in ${result.error.action})` : ''}`,
    );
  if (result.redirect) lines.push(`redirect:    ${result.redirect.url} (by ${result.redirect.action})`);
  for (const [name, claims] of [
    ['ID token', result.idTokenClaims],
    ['access token', result.accessTokenClaims],
  ] as const) {
    if (Object.keys(claims).length) lines.push(`${name} claims: ${JSON.stringify(claims)}`);
  }
  for (const line of result.logs) lines.push(`log ${line}`);
  lines.push(
    `outcome:     ${result.ok ? (result.mfa.required ? 'login continues with an MFA challenge' : 'logged in') : 'login failed'}`,
  );
  return lines.join('\n');
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
  if (!env.AUTH0_DOMAIN || !env.AUTH0_CLIENT_ID || !env.AUTH0_CLIENT_SECRET || !env.NODE_EXTRA_CA_CERTS) {
    throw new CliError(`${envFile} is incomplete: restart the tenant with npm run local-tenant`);
  }
  const ca = readFileSync(env.NODE_EXTRA_CA_CERTS);
  let token: Reply;
  try {
    token = await call(
      env,
      ca,
      'POST',
      '/oauth/token',
      { 'content-type': 'application/json' },
      JSON.stringify({
        grant_type: 'client_credentials',
        client_id: env.AUTH0_CLIENT_ID,
        client_secret: env.AUTH0_CLIENT_SECRET,
        audience: `https://${env.AUTH0_DOMAIN}/api/v2/`,
      }),
    );
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
  if (token.status !== 200)
    throw new CliError(`the tenant refused the credentials of ${envFile}: ${message(token.body)}`);
  const accessToken = (token.body as { access_token: string }).access_token;
  const reply = await call(
    env,
    ca,
    'POST',
    '/local/login',
    { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    JSON.stringify({ email: args.email, protocol: args.protocol, password: args.password }),
  );
  if (reply.status === 404)
    throw new CliError(`unknown user: ${args.email} is not a user of the tenant at ${env.AUTH0_DOMAIN}`);
  if (reply.status !== 200)
    throw new CliError(`login simulation failed (${reply.status}): ${message(reply.body)}`);
  const result = reply.body as LoginResult;
  process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : `${describe(result)}\n`);
}

main().catch((error) => {
  process.stderr.write(`login: ${error instanceof CliError ? error.message : (error as Error).stack}\n`);
  process.exit(error instanceof CliError ? 2 : 1);
});
