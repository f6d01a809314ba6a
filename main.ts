// Reads the environments' configuration and creates one tenant stack per environment.
import { App } from 'cdktf';
import { ActionBuildError } from './src/action-build/build';
import { ConfigError, loadEnvironments, parseEnvironmentList } from './src/config/load';
import { configFolder } from './src/paths';
import { conditionalMfaCode } from './src/stack/conditional-mfa-action';
import { actionSettings, TenantStack } from './src/stack/tenant-stack';

const configDir = configFolder();
let app: App;
try {
  // Every stack is built before anything is written: bad input leaves no partial output behind.
  const environments = loadEnvironments(configDir, parseEnvironmentList(process.env.ENVIRONMENTS));
  // The App writes its folders when created: build each Action first (cached), so a broken source writes none.
  for (const { config } of environments) conditionalMfaCode(actionSettings(config));
  app = new App();
  for (const environment of environments) new TenantStack(app, environment);
} catch (error) {
  // What a user wrote (a configuration file, the Action's source) is reported as such, without a stack trace.
  if (!(error instanceof ConfigError || error instanceof ActionBuildError)) throw error;
  console.error(error.message);
  process.exit(1);
}
app.synth();
