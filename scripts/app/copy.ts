// A copy of the app (what a synth reads) in another folder, for checks that must change a file of it (a broken
// Action, imports swapped to CDK Terrain) without ever touching the project's own sources.
import { cpSync, readdirSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';

/** What the app is made of: the launcher, the stack's sources and the provider schema its bindings come from. */
const APP_FILES = ['main.ts', 'cdktf.json', 'tsconfig.json', 'src', 'actions', 'scripts/app', 'providers'];

/** Copies the app into `into`, and links there each folder of `links` (its name there -> what it links to). */
export function copyApp(into: string, links: Record<string, string>): void {
  for (const path of APP_FILES) cpSync(join(PROJECT_ROOT, path), join(into, path), { recursive: true });
  for (const [name, target] of Object.entries(links)) symlinkSync(target, join(into, name));
}

/** Every file below `dir` (links not followed), relative to it, sorted. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}
