// The exit from CDKTF, end to end: deploy the project's `local` stack (JSON synth) to a fresh local tenant,
// export it with CDKTF's own migration path (`cdktf synth --hcl`), and plan that plain HCL with Terraform
// against the same state. Anything but "No changes" fails: the HCL would change the tenant.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { run, stackDir } from '../../ops/stack-command/terraform';
import { PROJECT_ROOT } from '../../src/paths';
import { deployProject, planAgainstState, STACK } from './deployed-project';

/** `cdktf synth --hcl` of the project's app with this config folder; returns the HCL stack folder. */
export async function exportHcl(configDir: string, outdir: string): Promise<string> {
  const cli = join(PROJECT_ROOT, 'node_modules', '.bin', 'cdktf');
  const result = await run(cli, ['synth', '--hcl', '--output', outdir], {
    env: { CONFIG_DIR: configDir, CI: '1', CHECKPOINT_DISABLE: '1', CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1' },
  });
  if (result.code !== 0)
    throw new Error(`cdktf synth --hcl failed (exit ${result.code}):\n${result.stderr}${result.stdout}`);
  const dir = stackDir(outdir, STACK);
  for (const [file, wanted] of [
    ['cdk.tf', true],
    ['cdk.tf.json', false],
  ] as const) {
    if (existsSync(join(dir, file)) !== wanted) {
      throw new Error(`cdktf synth --hcl: ${join(dir, file)} should ${wanted ? '' : 'not '}exist`);
    }
  }
  return dir;
}

export async function checkHclExit(): Promise<{ code: number; output: string; seconds: number }> {
  const start = performance.now();
  const project = await deployProject();
  try {
    const dir = await exportHcl(project.configDir, join(project.work, 'hcl'));
    const plan = await planAgainstState(dir, project.env);
    return { ...plan, seconds: (performance.now() - start) / 1000 };
  } finally {
    await project.stop();
  }
}

if (require.main === module) {
  checkHclExit().then(
    ({ code, output, seconds }) => {
      if (code !== 0) {
        console.error(output);
        console.error(
          'hcl-exit: terraform on the HCL from `cdktf synth --hcl` would change the deployed tenant',
        );
        process.exit(1);
      }
      console.log(
        `hcl-exit: No changes: the exported HCL matches the deployed state (${seconds.toFixed(1)} s)`,
      );
    },
    (error: Error) => {
      console.error(`hcl-exit: ${error.message}`);
      process.exit(1);
    },
  );
}
