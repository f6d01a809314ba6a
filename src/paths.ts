// The project's root, found from this file whether it runs from source (tsx, jest) or from the
// bundle in dist/ that the synth launcher builds.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'cdktf.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no cdktf.json above ${start}: run from the project`);
  }
}

export const PROJECT_ROOT = findRoot(__dirname);
