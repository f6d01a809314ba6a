// Reads the environments' configuration and creates one tenant stack per environment (src/app.ts).
import { isUserInputError, synthesize } from './src/app';
import { parseEnvironmentList } from './src/config/load';
import { configFolder } from './src/paths';

try {
  synthesize({ configDir: configFolder(), environments: parseEnvironmentList(process.env.ENVIRONMENTS) });
} catch (error) {
  // What a user wrote (a configuration file, the Action's source) is reported as such, without a stack trace.
  if (!isUserInputError(error)) throw error;
  console.error(error.message);
  process.exit(1);
}
