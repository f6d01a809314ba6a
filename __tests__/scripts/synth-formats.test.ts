// `cdktf synth --hcl` then a JSON synth (and back) into the same cdktf.out: each stack folder holds one
// format only, or Terraform reads both and every plan fails with "Duplicate provider configuration".
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';
import { tempDir } from '../support/temp-dirs';

function synth(outdir: string, hcl: boolean): string[] {
  const result = spawnSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'app', 'run.mjs')], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDKTF_OUTDIR: outdir,
      CONFIG_DIR: join(PROJECT_ROOT, '__tests__', 'fixtures', 'config'),
      ENVIRONMENTS: 'local',
      SYNTH_HCL_OUTPUT: hcl ? 'true' : 'false',
    },
  });
  if (result.status !== 0) throw new Error(`synth failed (exit ${result.status}):\n${result.stderr}`);
  return readdirSync(join(outdir, 'stacks', 'auth0-local'))
    .filter((f) => f.startsWith('cdk.tf'))
    .sort();
}

describe('the synth launcher', () => {
  it('leaves one format per stack when HCL and JSON synths alternate', () => {
    const outdir = tempDir('synth-formats-');
    expect(synth(outdir, true)).toEqual(['cdk.tf']);
    expect(synth(outdir, false)).toEqual(['cdk.tf.json']);
    expect(synth(outdir, true)).toEqual(['cdk.tf']);
    expect(existsSync(join(outdir, 'manifest.json'))).toBe(true);
  });
});
