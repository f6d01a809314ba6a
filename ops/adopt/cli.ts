// `npm run adopt -- <env> --domain <tenant>`: reads a live tenant and writes config/<env>.json that adopts it.
// Every check runs before the file is written; a refusal is one line naming what to fix, and writes nothing.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Command, CommanderError } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { environmentSchema } from '../../src/config/schema';
import { ENVIRONMENT_NAME, ENVIRONMENT_NAME_RULE } from '../../src/config/vocabulary';
import { configFolder } from '../../src/paths';
import { CONNECTION_FAILED, connectionCause, createManagementClient } from '../management/client';
import { connectionFromEnv } from '../management/credentials';
import { networkCause, UsageError } from '../management/errors';
import type { Io } from '../mfa/session';
import { type Adoption, DEFAULT_ACTION_NAME, ExportError, exportTenant } from './export';
import { readTenant } from './tenant';

/** The Management API scopes the reads need. */
export const READ_SCOPES = 'read:mfa_policies read:guardian_factors read:actions read:tenant_settings';

interface AdoptOptions {
  domain: string;
  configDir?: string;
  force?: boolean;
  actionName?: string;
}

function checkDomain(domain: string, env: NodeJS.ProcessEnv): void {
  const result = environmentSchema.shape.domain.safeParse(domain);
  if (!result.success) throw new UsageError(`--domain ${domain}: ${result.error.issues[0].message}`);
  const fromEnv = env.AUTH0_DOMAIN?.trim();
  if (fromEnv && fromEnv.toLowerCase() !== domain.toLowerCase()) {
    throw new UsageError(
      `--domain is ${domain} but AUTH0_DOMAIN is ${fromEnv}: the credentials and the tenant must be the same one`,
    );
  }
}

/** Why a read failed, for the operator: what to set, never a value. */
function tenantError(error: unknown, domain: string): UsageError {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  const message = (error as Error | null)?.message ?? String(error);
  if (status === 401) {
    return new UsageError(
      `${domain} refused the credentials (401): check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, or AUTH0_API_TOKEN`,
    );
  }
  if (status === 403) {
    return new UsageError(
      `${domain} answered 403 (${message}): the application needs the scopes ${READ_SCOPES}`,
    );
  }
  const unreachable = status === CONNECTION_FAILED || typeof status !== 'number';
  if (!unreachable) return new UsageError(`${domain} answered ${status}: ${message}`);
  const cause = status === CONNECTION_FAILED ? connectionCause(error) : networkCause(error);
  return new UsageError(
    `cannot reach ${domain} (${cause ?? message}): check --domain, the network, and for a tenant with its own CA, NODE_EXTRA_CA_CERTS`,
  );
}

function shown(path: string): string {
  const fromCwd = relative(process.cwd(), path);
  return fromCwd.startsWith('..') ? path : fromCwd;
}

function report(adoption: Adoption, file: string, io: Io): void {
  io.out(
    `wrote ${file} (adopt: true: the first plan imports the guardian settings and the post-login bindings)`,
  );
  io.out('The first plan changes only what the recipe requires:');
  for (const line of adoption.required) io.out(`  - ${line}`);
  if (adoption.kept.length > 0) {
    io.out('Kept as the tenant has them:');
    for (const line of adoption.kept) io.out(`  - ${line}`);
  }
  if (adoption.variables.length > 0) {
    io.out(`Before planning, export the tenant's current secrets: ${adoption.variables.join(', ')}`);
  }
}

async function adopt(environment: string, options: AdoptOptions, io: Io): Promise<void> {
  if (!ENVIRONMENT_NAME.test(environment)) {
    throw new UsageError(`environment name "${environment}" ${ENVIRONMENT_NAME_RULE}`);
  }
  const domain = options.domain.trim();
  checkDomain(domain, io.env);
  const configDir = configFolder(options.configDir, io.env);
  if (!existsSync(configDir) || !statSync(configDir).isDirectory()) {
    throw new UsageError(`${shown(configDir)}: configuration folder not found`);
  }
  const path = join(configDir, `${environment}.json`);
  const file = shown(path);
  const previous = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (previous !== undefined && !options.force) {
    throw new UsageError(
      `${file} exists: adopting would overwrite it; pass --force to replace it (a diff is shown)`,
    );
  }
  const connection = connectionFromEnv(io.env, READ_SCOPES);
  const client = createManagementClient({ ...connection, domain, fetch: io.fetch, retry: io.retry });
  const actionName = options.actionName ?? DEFAULT_ACTION_NAME;
  let snapshot: Awaited<ReturnType<typeof readTenant>>;
  try {
    snapshot = await readTenant(client, actionName);
  } catch (error) {
    throw tenantError(error, domain);
  }
  const adoption = exportTenant(snapshot, { domain, file, actionName });
  const text = `${JSON.stringify(adoption.config, null, 2)}\n`;
  if (previous !== undefined) {
    io.out(createTwoFilesPatch(file, file, previous, text, 'current', 'adopted').trimEnd());
  }
  // Written whole or not at all.
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
  report(adoption, file, io);
}

function buildProgram(io: Io): Command {
  return new Command('adopt')
    .description(
      "Reads a live tenant and writes config/<environment>.json that adopts it with no change but the recipe's",
    )
    .argument('<environment>', 'the environment to write (config/<environment>.json)')
    .requiredOption('--domain <tenant>', 'the tenant, e.g. my-tenant.eu.auth0.com')
    .option('--config-dir <dir>', 'configuration folder (default: config/ or $CONFIG_DIR)')
    .option('--force', 'replace an existing file (the diff is shown)')
    .option('--action-name <name>', `the name of the stack's Action (default ${DEFAULT_ACTION_NAME})`)
    .exitOverride()
    .configureOutput({
      writeOut: (out) => io.out(out.replace(/\n$/, '')),
      writeErr: (out) => io.err(out.replace(/\n$/, '')),
    })
    .showHelpAfterError()
    .action((environment: string, options: AdoptOptions) => adopt(environment, options, io));
}

/** Runs the command with `argv` (the arguments after the script name) and returns the exit code. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  try {
    await buildProgram(io).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof UsageError || error instanceof ExportError) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

export function processIo(): Io {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
  };
}
