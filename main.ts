// Reads the environments' configuration and creates one tenant stack per environment.
import { join } from 'node:path';
import { App } from 'cdktf';
import { ConfigError, type Environment, loadEnvironments, parseEnvironmentList } from './src/config/load';
import { PROJECT_ROOT } from './src/paths';
import { TenantStack } from './src/stack/tenant-stack';

const configDir = process.env.CONFIG_DIR ?? join(PROJECT_ROOT, 'config');
let environments: Environment[];
try {
  // Before the App exists: a bad file must leave no partial output behind.
  environments = loadEnvironments(configDir, parseEnvironmentList(process.env.ENVIRONMENTS));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const app = new App();
for (const environment of environments) new TenantStack(app, environment);
app.synth();
