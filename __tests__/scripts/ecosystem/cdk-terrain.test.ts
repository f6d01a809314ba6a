// How the CDK Terrain check compares its synth with cdktf's: every file byte for byte, except that cdk.tf.json is
// compared as JSON without the library's version stamp. Each difference it must catch is named.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { differences } from '../../../scripts/ecosystem/cdk-terrain';
import { tempDir } from '../../support/temp-dirs';

const stack = (version: string, outputs: string, user = 'alice@example.com') =>
  `{\n  "//": {\n    "metadata": {\n      "version": "${version}"\n    },\n    "outputs": ${outputs}\n  },\n  "resource": {"auth0_user": {"u": {"email": "${user}"}}}\n}`;

function stackFolder(files: Record<string, string>): string {
  const dir = tempDir('stack-');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

const CDKTF = {
  'cdk.tf.json': stack('0.21.0', '{\n    }'),
  'assets/code/conditional-mfa.js': 'exports.onExecutePostLogin = 1;\n',
  '.terraform.lock.hcl': 'written by terraform init',
};

describe('differences between the cdktf and the cdktn synth', () => {
  it('finds none when only the version stamp and the layout of an empty object differ', () => {
    // Only the cdktf side was initialized: what `terraform init` writes is not compared.
    const { '.terraform.lock.hcl': _lock, ...synthesized } = CDKTF;
    const cdktn = stackFolder({ ...synthesized, 'cdk.tf.json': stack('0.24.0', '{}') });
    expect(differences(stackFolder(CDKTF), cdktn)).toEqual([]);
  });

  it('names a resource that differs, an asset with other bytes, and a file on one side only', () => {
    const cdktn = stackFolder({
      'cdk.tf.json': stack('0.24.0', '{}', 'bob@example.com'),
      'assets/code/conditional-mfa.js': 'exports.onExecutePostLogin = 2;\n',
      'assets/extra.js': '',
    });
    expect(differences(stackFolder(CDKTF), cdktn)).toEqual([
      'assets/code/conditional-mfa.js',
      'assets/extra.js',
      'cdk.tf.json',
    ]);
  });
});
