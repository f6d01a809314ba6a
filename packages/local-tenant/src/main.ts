// `npm run local-tenant [-- --dir DIR] [--port N] [--quiet]`: serves the local Auth0 tenant in the
// foreground until SIGINT/SIGTERM. Env: LOCAL_TENANT_PORT (default 8443), LOCAL_TENANT_DIR,
// LOCAL_TENANT_FAULTS (e.g. "429=0.2,5xx=0.1,seed=7").

import { DEFAULT_TENANT_DIR, startLocalTenant } from './index';
import { parseFaultSpec } from './server/faults';

interface Args {
  dir?: string;
  port?: number;
  quiet: boolean;
}

function usage(): string {
  return 'usage: npm run local-tenant -- [--dir DIR] [--port PORT] [--quiet]';
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value\n${usage()}`);
      return v;
    };
    if (arg === '--dir') args.dir = value();
    else if (arg === '--port') {
      const port = Number(value());
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`--port must be a port number\n${usage()}`);
      args.port = port;
    } else if (arg === '--quiet') args.quiet = true;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${usage()}\n`);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}\n${usage()}`);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const faults = parseFaultSpec(process.env.LOCAL_TENANT_FAULTS);
  const tenant = await startLocalTenant({
    dir: args.dir ?? process.env.LOCAL_TENANT_DIR ?? DEFAULT_TENANT_DIR,
    port: args.port,
    faults,
    quiet: true,
  });
  const out = process.stdout;
  out.write(`Local Auth0 tenant running at ${tenant.baseUrl}\n`);
  out.write(`  AUTH0_DOMAIN=${tenant.domain}\n`);
  out.write(`  connection settings: ${tenant.connectionEnvFile}\n`);
  out.write(`  use them with: set -a; source ${tenant.connectionEnvFile}; set +a\n`);
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
