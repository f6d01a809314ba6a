// Builds a tenant stack from a configuration object, the way main.ts does from a file.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { parseEnvironment } from '../../src/config/load';
import { stackName } from '../../src/config/vocabulary';
import { TenantStack, type TenantStackOptions } from '../../src/stack/tenant-stack';
import { tempDir } from '../support/temp-dirs';

export type SynthesizedStack = {
  terraform: Record<string, unknown>;
  provider: Record<string, unknown>;
  variable?: Record<string, Record<string, unknown>>;
  resource: Record<string, Record<string, Record<string, unknown>>>;
  import?: Array<{ id: string; to: string }>;
};

let outdir: string | undefined;

/** How the stack hands Terraform the Action code: `${file("${path.module}/<asset>")}` (see conditional-mfa-action). */
const CODE_FILE_REFERENCE = /^\$\{file\("\$\{path\.module\}\/(assets\/[A-Za-z0-9_./-]+\.js)"\)\}$/;

/** The asset path, relative to the stack folder, that an auth0_action's `code` reads; fails on any other form. */
export function actionCodeFile(code: unknown): string {
  const match = typeof code === 'string' ? code.match(CODE_FILE_REFERENCE) : null;
  if (!match) throw new Error(`auth0_action.code is not a file() of a stack asset: ${String(code)}`);
  return match[1];
}

export function synthEnvironment(
  config: unknown,
  name = 'test',
  options: TenantStackOptions = {},
): { json: string; stack: SynthesizedStack; actionCode: () => string } {
  const { config: parsed, problems } = parseEnvironment(`config/${name}.json`, JSON.stringify(config));
  if (!parsed) throw new Error(problems.join('\n'));
  // Testing.app() would leave a folder in /tmp per call; the synth writes nothing into this one.
  outdir ??= tempDir('cdktf-test-');
  const app = Testing.app({ outdir });
  const stack = new TenantStack(
    app,
    {
      name,
      stackName: stackName(name),
      file: `config/${name}.json`,
      config: parsed,
    },
    options,
  );
  const json = Testing.synth(stack);
  const synthesized: SynthesizedStack = JSON.parse(json);
  return {
    json,
    stack: synthesized,
    /** The code exactly as Terraform reads it: the asset file of a full synth. */
    actionCode() {
      const full = Testing.fullSynth(stack);
      try {
        const file = actionCodeFile(only(synthesized, 'auth0_action').code);
        return readFileSync(join(full, 'stacks', stackName(name), file), 'utf8');
      } finally {
        rmSync(full, { recursive: true, force: true });
      }
    },
  };
}

/** The single resource of a type, failing clearly when there are none or several. */
export function only(stack: SynthesizedStack, type: string): Record<string, unknown> {
  const resources = Object.values(stack.resource[type] ?? {});
  if (resources.length !== 1) throw new Error(`expected one ${type}, found ${resources.length}`);
  return resources[0];
}
