// `npm start`: the main job on the embedded default. Starts the local Auth0 tenant, deploys the
// `local` environment to it through the same stack-command layer as `npm run deploy` (plan, then
// apply exactly that plan, with the real provider), then simulates a login for every seed user and
// prints whether MFA was required.
import { join } from 'node:path';
import { simulateLogin, startLocalTenant } from '@auth0-mfa/local-tenant';
import { Command } from 'commander';
import { FLAG } from '../../src/config/vocabulary';
import { PROJECT_ROOT } from '../../src/paths';
import { summarizePlan } from '../plan/summary';
import { loadEnvironment } from '../stack-command/environment';
import {
  LOCAL_ENVIRONMENT,
  LOCAL_TENANT_DIR,
  localSeedPassword,
  localTenantPort,
} from '../stack-command/local-environment';
import { say } from '../stack-command/output';
import { deployStack, errorText, withStack } from '../stack-command/pipeline';
import { run } from '../stack-command/terraform';
import { deploySummary, formatTable } from './report';

function step(message: string): void {
  console.log(`\n==> ${message}`);
}

async function main(): Promise<void> {
  const environment = loadEnvironment(LOCAL_ENVIRONMENT);
  const port = localTenantPort(environment);

  step('provider mirror and Terraform/OpenTofu (built once, then reused)');
  const install = await run('bash', [join(PROJECT_ROOT, 'scripts', 'provider', 'install.sh')], {
    echo: true,
  });
  if (install.code !== 0) throw new Error('provider install failed (see above)');

  step(`local Auth0 tenant on https://${environment.config.domain}`);
  const seedUserPassword = localSeedPassword();
  const tenant = await startLocalTenant({ dir: LOCAL_TENANT_DIR, port, quiet: true, seedUserPassword }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        throw new Error(
          `port ${port} is in use: stop whatever listens there (is \`npm run local-tenant\` running?), or change the port in ${environment.file}`,
        );
      }
      throw error;
    },
  );
  try {
    // The provider reads the tenant's address, credentials and CA from the environment, as it would a real tenant's.
    Object.assign(process.env, tenant.env);
    step(`plan and apply ${environment.stackName}`);
    const { plan, applied } = await withStack({ environment: LOCAL_ENVIRONMENT }, (stack) =>
      deployStack(stack),
    );
    const summary = deploySummary(summarizePlan(plan.json).counts, applied);
    console.log(summary.line);

    step('login simulation for every seed user');
    const rows = [['user', FLAG, 'MFA required']];
    for (const user of environment.config.users) {
      const login = await simulateLogin(tenant, { email: user.email });
      const mfa = login.denied
        ? `denied: ${login.denied.reason}`
        : login.mfa.required
          ? `yes (${login.mfa.provider})`
          : 'no';
      rows.push([user.email, String(user.useMfa), mfa]);
    }
    console.log(formatTable(rows));
    console.log(`\n${summary.changed ? 'Deployed.' : 'Nothing changed.'} Tenant data: ${LOCAL_TENANT_DIR}`);
    console.log(
      `Try a login: \`npm run local-tenant\`, then open ${tenant.baseUrl}/login-app/start as ${environment.config.users.map((u) => u.email).join(' or ')}` +
        ' (password: TF_VAR_seed_user_password in .local-tenant/connection.env), or `npm run login -- EMAIL`.',
    );
  } finally {
    await tenant.stop();
  }
}

// No options: anything given is refused before a tenant starts or a deploy begins (a `--help` used
// to run the whole deploy).
new Command('npm start')
  .description(
    'Start the local Auth0 tenant, deploy config/local.json to it (plan, then apply that plan), and show who gets MFA.',
  )
  .exitOverride((error) => process.exit(error.code === 'commander.helpDisplayed' ? 0 : 2))
  .action(() =>
    main().catch((error: unknown) => {
      say(`\nnpm start: ${errorText(error)}`);
      process.exit(1);
    }),
  )
  .parse();
