// The post-login Action, built from actions/ and deployed (deploy = true: an undeployed Action
// cannot be bound).
import { join } from 'node:path';
import { Construct } from 'constructs';
import { Action } from '../../.gen/providers/auth0/action';
import type { ConditionalMfaSettings } from '../../actions/conditional-mfa';
import { type ActionBuildInput, buildActionCode } from '../action-build/build';
import { PROJECT_ROOT } from '../paths';
import { literal } from './terraform-literal';

export const ACTION_SOURCE = join(PROJECT_ROOT, 'actions', 'conditional-mfa.ts');

export interface ConditionalMfaActionProps {
  name: string;
  runtime: string;
  settings: ConditionalMfaSettings;
  sourceFile?: string;
}

/** The code text deployed for these settings; also what the tests load and run. */
export function conditionalMfaCode(
  settings: ConditionalMfaSettings,
  { sourceFile = ACTION_SOURCE, cacheDir }: Partial<Omit<ActionBuildInput, 'epilogue'>> = {},
): string {
  // Fixed key order keeps the text, and so the plan, stable.
  const { applications } = settings;
  const bound: ConditionalMfaSettings = {
    flagSource: settings.flagSource,
    provider: settings.provider,
    allowRememberBrowser: settings.allowRememberBrowser,
    challenge: settings.challenge,
    applications:
      applications.scope === 'all'
        ? { scope: 'all' }
        : { scope: applications.scope, clientIds: applications.clientIds },
  };
  return buildActionCode({
    sourceFile,
    cacheDir,
    epilogue: `// This environment's settings:\nexports.onExecutePostLogin = createPostLoginHandler(${JSON.stringify(bound)});`,
  });
}

export class ConditionalMfaAction extends Construct {
  readonly action: Action;

  constructor(scope: Construct, id: string, props: ConditionalMfaActionProps) {
    super(scope, id);
    this.action = new Action(this, 'action', {
      name: literal(props.name),
      runtime: literal(props.runtime),
      deploy: true,
      // JavaScript is full of `${`: a template literal in the Action must reach Auth0 as written.
      code: literal(conditionalMfaCode(props.settings, { sourceFile: props.sourceFile })),
      supportedTriggers: { id: 'post-login', version: 'v3' },
    });
  }
}
