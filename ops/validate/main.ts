// `npm run validate`: synthesizes every environment and has the real provider's schema check each
// stack with `terraform validate` (init from the offline mirror; no credentials, no tenant).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { privateFolder } from '../stack-command/interrupts';
import { PrerequisiteError, stackDir, synth, terraformOk } from '../stack-command/terraform';

async function main(): Promise<void> {
  // Removed on every way out, an interrupt included.
  const { path: outdir, remove } = privateFolder('validate-');
  try {
    await synth({ outdir });
    const stacks = readdirSync(join(outdir, 'stacks')).sort();
    for (const stack of stacks) {
      const dir = stackDir(outdir, stack);
      // -backend=false: validating must not need the state backend's credentials.
      await terraformOk(dir, ['init', '-backend=false', '-input=false', '-no-color']);
      const { stdout } = await terraformOk(dir, ['validate', '-json', '-no-color']);
      const result = JSON.parse(stdout) as { valid: boolean; warning_count: number };
      console.log(`${stack}: valid (${result.warning_count} warnings)`);
    }
    console.log(`validate: ${stacks.length} stacks valid against the real auth0 provider`);
  } finally {
    remove();
  }
}

main().catch((error: Error) => {
  console.error(error instanceof PrerequisiteError ? `validate: ${error.message}` : error.message);
  process.exit(1);
});
