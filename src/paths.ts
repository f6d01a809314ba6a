// The project's root, the one place it is worked out (found above this file whether it runs from source,
// tsx or jest, or from a bundle in dist/bundles/ that the launcher scripts/app/run.mjs builds, where
// __dirname is the bundle's folder, not the source's), and its configuration folder.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'cdktf.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no cdktf.json above ${start}: run from the project`);
  }
}

export const PROJECT_ROOT = findRoot(__dirname);

/** The folder of the environment files: the one given, else $CONFIG_DIR (tests, CI), else the project's config/. */
export function configFolder(configDir?: string, env: NodeJS.ProcessEnv = process.env): string {
  return configDir ?? env.CONFIG_DIR ?? join(PROJECT_ROOT, 'config');
}
