// Everything a command needs, built once from the options and the process environment.
import type { Environment } from '../../src/config/load';
import { configFolder } from '../../src/paths';
import { createManagementClient, type FetchLike, type RetryPolicy } from '../management/client';
import { connectionFromEnv } from '../management/credentials';
import { sdkDirectory } from './directory';
import { selectTarget } from './environment';
import { Pacer } from './rate-limit';
import type { FlagSource, UserDirectory } from './users';

/** The process around the tool; tests pass their own to run commands in-process. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  /** The HTTP layer and retry timing: only tests change them (a CA-trusting fetch, simulated time). */
  fetch?: FetchLike;
  retry?: RetryPolicy;
  /** Every wait of the retries and the pacer, and the clock they read: simulated time in tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface GlobalOptions {
  env?: string;
  configDir?: string;
  /** Our own ceiling in requests per second, below the tenant's limit. */
  maxRate?: number;
}

export interface Session {
  io: Io;
  environment: Environment;
  source: FlagSource;
  directory: UserDirectory;
  /** Requests, 429s and the tenant's announced limit, for the summary and the bench. */
  pacer: Pacer;
}

export function openSession(options: GlobalOptions, io: Io): Session {
  // Credentials first: without them nothing is read or called, whatever else is wrong.
  const connection = connectionFromEnv(io.env);
  const { environment, domain } = selectTarget(
    configFolder(options.configDir, io.env),
    options.env,
    io.env.AUTH0_DOMAIN,
  );
  const pacer = new Pacer({ maxRate: options.maxRate, sleep: io.sleep, now: io.now });
  const client = createManagementClient({
    ...connection,
    pacer,
    domain,
    fetch: io.fetch,
    retry: io.retry,
    hooks: {
      sleep: io.sleep,
      now: io.now,
      onRetry: ({ reason, waitMs }) => io.err(`${reason}: waiting ${(waitMs / 1000).toFixed(1)} s`),
    },
  });
  const source = environment.config.action.flagSource;
  // On stderr, so that stdout stays the command's answer alone (e.g. `list | cut -f1`).
  io.err(`environment ${environment.name} (${domain}), flag source ${source}`);
  return { io, environment, source, directory: sdkDirectory(client), pacer };
}
