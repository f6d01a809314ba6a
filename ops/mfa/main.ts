// `npm run mfa -- <command>` (see `npm run mfa -- --help`); the commands are wired in cli.ts.
import { processIo, runCli } from './cli';

runCli(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
