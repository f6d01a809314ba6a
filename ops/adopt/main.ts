// `npm run adopt -- <environment> --domain <tenant>` (see `npm run adopt -- --help`); the work is in cli.ts.
import { processIo, runCli } from './cli';

runCli(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
