// Command-line wiring: options and sub-commands in, an exit code out. The work is in commands.ts and import.ts.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../../src/config/load';
import { listFlagged, setFlags, showStatus, type WriteOptions } from './commands';
import { parseCsv } from './csv';
import { describeError, UsageError } from './errors';
import { formatSummary, type ImportOptions, importRows, progressPath } from './import';
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

function buildProgram(io: Io, setExitCode: (code: number) => void): Command {
  const program = new Command('mfa')
    .description("Sets the use_mfa flag that the conditional-MFA Action reads, in the stack's flag source")
    .option('--env <name>', 'environment (config/<name>.json); default: the one whose domain is AUTH0_DOMAIN')
    .option('--config-dir <dir>', 'folder of the environment files', 'config')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(text.replace(/\n$/, '')),
    })
    .showHelpAfterError();
  const globals = (command: Command) => command.optsWithGlobals<GlobalOptions>();

  for (const [name, on] of [
    ['on', true],
    ['off', false],
  ] as const) {
    program
      .command(name)
      .description(`turn MFA ${name} for users (user id like auth0|abc, or email)`)
      .argument('<users...>', 'user ids or emails')
      .option('--dry-run', 'show what would change, change nothing', false)
      .option('--force', 'also change seed users of the configuration (the next deploy reverts them)', false)
      .action(async (users: string[], options: WriteOptions, command: Command) => {
        setExitCode(await setFlags(openSession(globals(command), io), users, on, options));
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
    .command('import')
    .description('set the flag for every row of a CSV file with the header user,use_mfa (on/off/true/false)')
    .argument('<file>', 'CSV file')
    .option('--dry-run', 'show what would change, change nothing', false)
    .option('--force', 'also change seed users of the configuration (the next deploy reverts them)', false)
    .option('--restart', `ignore the progress of an earlier run (${progressPath('FILE.csv')})`, false)
    .action(async (file: string, options: ImportOptions, command: Command) => {
      // The whole file is checked before credentials or tenant are touched.
      const { rows, problems } = parseCsv(readCsvFile(file));
      if (problems.length > 0) {
        for (const problem of problems) io.err(`${file}: ${problem}`);
        throw new UsageError(
          `${file}: ${problems.length} bad row${problems.length === 1 ? '' : 's'}, nothing changed`,
        );
      }
      const summary = await importRows(openSession(globals(command), io), file, rows, options);
      for (const line of formatSummary(summary, file, options.dryRun)) io.out(line);
      setExitCode(summary.failed.length > 0 ? 1 : 0);
    });

  return program;
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
