// `npm run local-tenant [-- --dir DIR] [--port N] [--rate-limit PER_SECOND[:BURST]] [--quiet]`: serves
// the local Auth0 tenant in the foreground until SIGINT/SIGTERM. Env: LOCAL_TENANT_PORT (default 8443),
// LOCAL_TENANT_DIR, LOCAL_TENANT_FAULTS (e.g. "429=0.2,5xx=0.1,seed=7"), LOCAL_TENANT_OFFLINE (1: never ask
// the npm registry about Action dependencies), npm_config_registry.
import { Command, InvalidArgumentError } from 'commander';
import {
  DEFAULT_RATE_LIMIT,
  DEFAULT_TENANT_DIR,
  offlineFromEnv,
  parseFaultSpec,
  parseRateLimitSpec,
  registryUrl,
  startLocalTenant,
} from './index';

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

function rateLimit(value: string) {
  try {
    return parseRateLimitSpec(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function milliseconds(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number of milliseconds');
  return Number(value);
}

const program = new Command('local-tenant')
  .description('Serves a local stand-in for an Auth0 tenant (Management API over HTTPS, own CA)')
  .option('--dir <dir>', 'tenant directory (data, certificates, connection.env)')
  .option('--port <port>', 'port on 127.0.0.1; 0 = any free port (default: LOCAL_TENANT_PORT or 8443)', port)
  .option(
    '--rate-limit <perSecond[:burst]>',
    `Management API token bucket, e.g. 50:50 (default ${DEFAULT_RATE_LIMIT.perSecond}:${DEFAULT_RATE_LIMIT.burst})`,
    rateLimit,
  )
  .option('--build-delay <ms>', 'how long an Action build stays pending', milliseconds)
  .option(
    '--offline',
    'never ask the npm registry: Action builds with dependencies fail, saying so (env LOCAL_TENANT_OFFLINE=1)',
  )
  .option(
    '--registry <url>',
    'npm registry Action dependencies are checked against and installed from (default: npm_config_registry or npmjs.org)',
  )
  .option('--quiet', 'no log lines on stderr')
  .showHelpAfterError();

async function main(): Promise<void> {
  const args = program.parse().opts<{
    dir?: string;
    port?: number;
    rateLimit?: ReturnType<typeof parseRateLimitSpec>;
    buildDelay?: number;
    offline?: boolean;
    registry?: string;
    quiet?: boolean;
  }>();
  const faults = parseFaultSpec(process.env.LOCAL_TENANT_FAULTS);
  // Worked out once: the tenant builds with them and the banner says them.
  const offline = args.offline || offlineFromEnv();
  const registry = registryUrl(args.registry);
  const tenant = await startLocalTenant({
    dir: args.dir ?? process.env.LOCAL_TENANT_DIR ?? DEFAULT_TENANT_DIR,
    port: args.port,
    faults,
    rateLimit: args.rateLimit,
    buildDelayMs: args.buildDelay,
    offline,
    registry,
    quiet: true,
    log: args.quiet ? () => undefined : (line) => process.stdout.write(`${line}\n`),
  });
  const out = process.stdout;
  out.write(`Local Auth0 tenant running at ${tenant.baseUrl}\n`);
  out.write(`  AUTH0_DOMAIN=${tenant.domain}\n`);
  out.write(`  connection settings: ${tenant.connectionEnvFile}\n`);
  out.write(`  use them with: set -a; source ${tenant.connectionEnvFile}; set +a\n`);
  out.write(`  try a login in a browser: ${tenant.baseUrl}/login-app/start (or npm run login -- EMAIL)\n`);
  const limit = args.rateLimit ?? DEFAULT_RATE_LIMIT;
  out.write(`  rate limit: ${limit.perSecond} requests/s, burst ${limit.burst}\n`);
  out.write(
    offline
      ? '  Action dependencies: offline, builds with dependencies fail\n'
      : `  Action dependencies installed from ${registry}\n`,
  );
  if (faults.rateLimitShare || faults.serverErrorShare) {
    out.write(`  faults: 429 x ${faults.rateLimitShare ?? 0}, 503 x ${faults.serverErrorShare ?? 0}\n`);
  }
  out.write('Press Ctrl+C to stop.\n');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    out.write(`\n${signal}: stopping the local tenant\n`);
    tenant.stop().then(
      () => process.exit(0),
      (error) => {
        process.stderr.write(`error while stopping: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error) => {
  process.stderr.write(`local-tenant: ${(error as Error).message}\n`);
  process.exit(1);
});
