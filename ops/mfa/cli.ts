// Command-line wiring: options and sub-commands in, an exit code out. The work is in commands.ts and import.ts.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ConfigError } from '../../src/config/load';
import { UsageError } from '../management/errors';
import { DEFAULT_CONCURRENCY, listFlagged, setFlags, showStatus } from './commands';
import { parseCsv } from './csv';
import { describeError } from './errors';
import {
  DuplicateUsersError,
  formatSummary,
  type ImportOptions,
  type ImportSummary,
  importRows,
  progressPath,
} from './import';
import { resetMfa } from './reset';
import {
  hasSelection,
  type Selection,
  type SelectOptions,
  selectionQuery,
  setFlagsBySelection,
} from './selection';
import { type GlobalOptions, type Io, openSession } from './session';

function readCsvFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** A commander parser for a whole number in [min, max]: bad input is refused by name, never NaN. */
export function wholeNumber(option: string, min: number, max: number) {
  return (value: string): number => {
    const number = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!(number >= min && number <= max)) {
      throw new InvalidArgumentError(
        `${option} must be a whole number from ${min} to ${max}, got "${value}"`,
      );
    }
    return number;
  };
}

const writeOptions = (command: Command) =>
  command
    .option('--dry-run', 'show what would change, change nothing', false)
    .option('--force', 'also change seed users of the configuration (the next deploy reverts them)', false);

function buildProgram(io: Io, setExitCode: (code: number) => void): Command {
  const program = new Command('mfa')
    .description("Sets the use_mfa flag that the conditional-MFA Action reads, in the stack's flag source")
    .option('--env <name>', 'environment (config/<name>.json); default: the one whose domain is AUTH0_DOMAIN')
    .option('--config-dir <dir>', 'folder of the environment files (default: config/ or $CONFIG_DIR)')
    .option(
      '--concurrency <n>',
      "requests in flight at once (the pace itself follows the tenant's X-RateLimit headers)",
      wholeNumber('--concurrency', 1, 64),
      DEFAULT_CONCURRENCY,
    )
    .option(
      '--max-rate <n>',
      'at most this many requests per second, to leave room for other clients of the tenant',
      wholeNumber('--max-rate', 1, 1000),
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(text.replace(/\n$/, '')),
    })
    .showHelpAfterError();
  const globals = (command: Command) => command.optsWithGlobals<GlobalOptions & { concurrency: number }>();

  for (const [name, on] of [
    ['on', true],
    ['off', false],
  ] as const) {
    writeOptions(
      program
        .command(name)
        .description(
          `turn MFA ${name} for users (user id like auth0|abc, or email), or for every user a selection names`,
        )
        .argument('[users...]', 'user ids or emails')
        .option('--query <lucene>', 'users matching an Auth0 user search query (Lucene, search_engine v3)')
        .option('--connection <name>', 'users of this connection')
        .option('--role <name>', 'users with this role')
        .option('--organization <name>', 'members of this organization')
        .option(
          '--yes',
          'with a selection: write after the count (without it, only count and dry run)',
          false,
        ),
    ).action(async (users: string[], options: SelectOptions & Selection, command: Command) => {
      const { query, connection, role, organization } = options;
      const selection: Selection = { query, connection, role, organization };
      const settings = { ...options, concurrency: globals(command).concurrency };
      if (hasSelection(selection)) {
        if (users.length > 0)
          throw new UsageError(
            'give users or a selection (--query, --connection, --role, --organization), not both',
          );
        selectionQuery(selection);
        setExitCode(await setFlagsBySelection(openSession(globals(command), io), selection, on, settings));
        return;
      }
      if (users.length === 0) {
        throw new UsageError(
          `${name}: give user ids or emails, or --query, --connection, --role or --organization`,
        );
      }
      setExitCode(await setFlags(openSession(globals(command), io), users, on, settings));
    });
  }

  program
    .command('status')
    .description("show users' flags, where they are stored and whether the Action challenges them")
    .argument('<users...>', 'user ids or emails')
    .action(async (users: string[], _options: unknown, command: Command) => {
      setExitCode(await showStatus(openSession(globals(command), io), users));
    });

  program
    .command('list')
    .description('list every user whose flag is on (user id, email; tab-separated)')
    .action(async (_options: unknown, command: Command) => {
      setExitCode(await listFlagged(openSession(globals(command), io)));
    });

  program
    .command('reset')
    .description(
      "remove users' enrolled MFA factors and remembered browsers: their next challenge enrolls again",
    )
    .argument('<users...>', 'user ids or emails')
    .option('--dry-run', 'show the factors that would be removed, change nothing', false)
    .action(async (users: string[], options: { dryRun: boolean }, command: Command) => {
      setExitCode(await resetMfa(openSession(globals(command), io), users, options));
    });

  writeOptions(
    program
      .command('import')
      .description(
        'set the flag for every row of a CSV file with the header user,use_mfa (on/off/true/false)',
      )
      .argument('<file>', 'CSV file'),
  )
    .option('--restart', `ignore the progress of an earlier run (${progressPath('FILE.csv')})`, false)
    .action(async (file: string, options: ImportOptions, command: Command) => {
      // The whole file is checked before credentials or tenant are touched.
      const { rows, problems } = parseCsv(readCsvFile(file));
      if (problems.length > 0) refuseFile(file, problems, 'bad row');
      const session = openSession(globals(command), io);
      const settings = { ...options, concurrency: globals(command).concurrency };
      let summary: ImportSummary;
      try {
        summary = await importRows(session, file, rows, settings);
      } catch (error) {
        if (error instanceof DuplicateUsersError)
          refuseFile(file, error.problems, 'user named twice', 'users named twice');
        throw error;
      }
      for (const line of formatSummary(summary, file, options.dryRun)) io.out(line);
      setExitCode(summary.failed.length > 0 || summary.notAttempted > 0 ? 1 : 0);
    });

  return program;

  function refuseFile(file: string, problems: string[], one: string, many = `${one}s`): never {
    for (const problem of problems) io.err(`${file}: ${problem}`);
    throw new UsageError(
      `${file}: ${problems.length} ${problems.length === 1 ? one : many}, nothing changed`,
    );
  }
}

/** Runs the tool with `argv` (the arguments after the script name) and returns the exit code. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    // Anything else from the SDK (token refused, tenant unreachable) is still one readable line.
    io.err(`error: ${describeError(error)}`);
    return 1;
  }
}

export function processIo(): Io {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
  };
}
