// Builds a tenant stack from a configuration object, the way main.ts does from a file.
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

export function synthEnvironment(
  config: unknown,
  name = 'test',
  options: TenantStackOptions = {},
): { json: string; stack: SynthesizedStack } {
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
  return { json, stack: JSON.parse(json) };
}

/** The single resource of a type, failing clearly when there are none or several. */
export function only(stack: SynthesizedStack, type: string): Record<string, unknown> {
  const resources = Object.values(stack.resource[type] ?? {});
  if (resources.length !== 1) throw new Error(`expected one ${type}, found ${resources.length}`);
  return resources[0];
}
