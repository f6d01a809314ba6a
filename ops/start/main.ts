// `npm start`: the main job on the embedded default. Starts the local Auth0 tenant, deploys the
// `local` environment to it with `cdktf deploy` through the real provider, then simulates a login
// for every seed user and prints whether MFA was required.
import { join } from 'node:path';
import { simulateLogin, startLocalTenant } from '@auth0-mfa/local-tenant';
import { loadEnvironments } from '../../src/config/load';
import { PROJECT_ROOT } from '../../src/paths';
import { run, toolEnv } from '../stack-command/terraform';
import { applySummary, formatTable } from './report';
import { localSeedPassword } from './seed-password';

const ENVIRONMENT = 'local';
const TENANT_DIR = join(PROJECT_ROOT, '.local-tenant');

function step(message: string): void {
  console.log(`\n==> ${message}`);
}

async function main(): Promise<void> {
  const [environment] = loadEnvironments(join(PROJECT_ROOT, 'config'), [ENVIRONMENT]);
  const port = Number(environment.config.domain.split(':')[1] ?? 443);

  step('provider mirror and Terraform/OpenTofu (built once, then reused)');
  const install = await run('bash', [join(PROJECT_ROOT, 'scripts', 'provider', 'install.sh')], {
    echo: true,
  });
  if (install.code !== 0) throw new Error('provider install failed (see above)');
  const tools = toolEnv();

  step(`local Auth0 tenant on https://${environment.config.domain}`);
  const seedUserPassword = localSeedPassword(TENANT_DIR);
  const tenant = await startLocalTenant({ dir: TENANT_DIR, port, quiet: true, seedUserPassword }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        throw new Error(
          `port ${port} is in use: stop whatever listens there (is \`npm run local-tenant\` running?), or change the port in config/local.json`,
        );
      }
      throw error;
    },
  );
  try {
    step(`cdktf deploy ${environment.stackName}`);
    const deploy = await run(
      join(PROJECT_ROOT, 'node_modules', '.bin', 'cdktf'),
      ['deploy', environment.stackName, '--auto-approve', '--skip-provider-lock', '--no-color'],
      {
        env: {
          ...tools,
          ...tenant.env,
          CI: '1',
          DISABLE_VERSION_CHECK: '1',
          TF_VAR_seed_user_password: seedUserPassword,
        },
      },
    );
    if (deploy.code !== 0) {
      throw new Error(
        `cdktf deploy failed (exit ${deploy.code}):\n${deploy.stderr}${deploy.stdout}`.slice(-6000),
      );
    }
    const summary = applySummary(deploy.stdout + deploy.stderr);
    console.log(summary.line);

    step('login simulation for every seed user');
    const rows = [['user', 'use_mfa', 'MFA required']];
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
    console.log(`\n${summary.changed ? 'Deployed.' : 'Nothing changed.'} Tenant data: ${TENANT_DIR}`);
    console.log(
      `Try a login: \`npm run local-tenant\`, then open ${tenant.baseUrl}/login-app/start as ${environment.config.users.map((u) => u.email).join(' or ')}` +
        ' (password: TF_VAR_seed_user_password in .local-tenant/connection.env), or `npm run login -- EMAIL`.',
    );
  } finally {
    await tenant.stop();
  }
}

main().catch((error: Error) => {
  console.error(`\nnpm start: ${error.message}`);
  process.exit(1);
});
