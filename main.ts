// Reads the environments' configuration and creates one tenant stack per environment.
import { App } from 'cdktf';
import { ConfigError, loadEnvironments } from './src/config/load';
import { TenantStack } from './src/stack/tenant-stack';

const configDir = process.env.CONFIG_DIR ?? `${__dirname}/config`;
const only = process.env.ENVIRONMENTS?.split(',').filter(Boolean);

try {
  const app = new App();
  for (const environment of loadEnvironments(configDir, only)) new TenantStack(app, environment);
  app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
