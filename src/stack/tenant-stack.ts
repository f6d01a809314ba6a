// One environment = one stack: the whole conditional-MFA recipe for one Auth0 tenant.
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { ConditionalMfaSettings } from '../../actions/conditional-mfa';
import type { Environment } from '../config/load';
import type { EnvironmentConfig } from '../config/schema';
import { ConditionalMfaAction } from './conditional-mfa-action';
import { LoginFlowBinding } from './login-flow-binding';
import { MfaPolicy } from './mfa-policy';
import { configureBackend, configureProvider } from './provider';
import { SeedUsers } from './seed-users';

export interface TenantStackOptions {
  /** Another Action source than actions/conditional-mfa.ts (tests use it to change the code). */
  actionSourceFile?: string;
}

/** What the Action needs to know of an environment's configuration. */
export function actionSettings({ action, mfa }: EnvironmentConfig): ConditionalMfaSettings {
  const { only, except } = mfa.applications ?? {};
  return {
    flagSource: action.flagSource,
    provider: mfa.provider,
    allowRememberBrowser: mfa.allowRememberBrowser,
    challenge: mfa.challenge,
    applications: only
      ? { scope: 'only', clientIds: only }
      : except
        ? { scope: 'except', clientIds: except }
        : { scope: 'all' },
  };
}

export class TenantStack extends TerraformStack {
  constructor(scope: Construct, { stackName, config }: Environment, options: TenantStackOptions = {}) {
    super(scope, stackName);
    configureProvider(this, config.domain);
    configureBackend(this, stackName, config.backend);

    new MfaPolicy(this, 'mfa-policy', { mfa: config.mfa, adopt: config.adopt });

    const { action } = new ConditionalMfaAction(this, 'conditional-mfa', {
      name: config.action.name,
      runtime: config.action.runtime,
      settings: actionSettings(config),
      sourceFile: options.actionSourceFile,
      importId: config.adopt ? config.action.id : undefined,
    });
    new LoginFlowBinding(this, 'login-flow', {
      action,
      displayName: config.action.name,
      binding: config.binding,
      adopt: config.adopt,
    });
    if (config.users.length > 0) {
      new SeedUsers(this, 'seed-users', { users: config.users, flagSource: config.action.flagSource });
    }
  }
}
