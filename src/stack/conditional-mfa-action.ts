// The post-login Action, built from actions/ and deployed (deploy = true: an undeployed Action
// cannot be bound).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssetType, TerraformAsset } from 'cdktf';
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
  /** The id of the tenant's Action of this name, taken over (imported) instead of created. */
  importId?: string;
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

/**
 * The code as a file beside the stack, read by Terraform's file(): never a Terraform string, so nothing in it is
 * evaluated or re-escaped, and `cdktf synth --hcl` cannot change it (it writes multi-line strings as heredocs,
 * which add a trailing newline). Content-addressed, so concurrent synths agree on the file.
 */
function writeCodeFile(code: string): string {
  const dir = join(PROJECT_ROOT, 'dist', 'action-code', createHash('sha256').update(code).digest('hex'));
  const file = join(dir, 'conditional-mfa.js');
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, code);
  renameSync(temporary, file);
  return file;
}

export class ConditionalMfaAction extends Construct {
  readonly action: Action;

  constructor(scope: Construct, id: string, props: ConditionalMfaActionProps) {
    super(scope, id);
    const code = new TerraformAsset(this, 'code', {
      path: writeCodeFile(conditionalMfaCode(props.settings, { sourceFile: props.sourceFile })),
      type: AssetType.FILE,
    });
    this.action = new Action(this, 'action', {
      name: literal(props.name),
      runtime: literal(props.runtime),
      deploy: true,
      // JavaScript is full of `${`: read from a file, a template literal reaches Auth0 as written.
      code: `\${file("\${path.module}/${code.path}")}`,
      supportedTriggers: { id: 'post-login', version: 'v3' },
    });
    if (props.importId) this.action.importFrom(props.importId);
  }
}
