// `npm run validate`: synthesizes every environment and has the real provider's schema check each
// stack with `terraform validate` (init from the offline mirror; no credentials, no tenant).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrerequisiteError, stackDir, synth, terraformOk } from '../stack-command/terraform';

async function main(): Promise<void> {
  const outdir = mkdtempSync(join(tmpdir(), 'validate-'));
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
    rmSync(outdir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(error instanceof PrerequisiteError ? `validate: ${error.message}` : error.message);
  process.exit(1);
});
