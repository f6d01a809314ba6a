// Turns an Action's TypeScript source into the CommonJS text that `auth0_action.code` holds.
// The output must be deterministic (same input, same text: no plan diff when nothing changed) and
// readable in a plan, so it is the source with its types stripped by esbuild, not a bundle.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PROJECT_ROOT } from '../paths';

export class ActionBuildError extends Error {}

// esbuild's ESM output gathers every export into one trailing `export { a, b as c };` clause.
const EXPORT_CLAUSE = /^export \{([^}]*)\};?\s*$/m;

const DEFAULT_CACHE_DIR = join(PROJECT_ROOT, 'dist', 'action-cache');

/**
 * esbuild's type stripping, cached on disk by content: starting esbuild costs more than the rest of
 * a synth, and the output for a given input never changes.
 */
function stripTypes(sourceFile: string, source: string, cacheDir: string): string {
  const key = createHash('sha256').update(source).digest('hex');
  const cached = join(cacheDir, `${key}.js`);
  if (existsSync(cached)) return readFileSync(cached, 'utf8');
  let js: string;
  try {
    // Loaded here, not at the top: a cache hit must not pay for starting esbuild.
    const { transformSync } = require('esbuild') as typeof import('esbuild');
    js = transformSync(source, {
      loader: 'ts',
      format: 'esm',
      target: 'node18',
      sourcefile: sourceFile,
    }).code;
  } catch (error) {
    throw new ActionBuildError(`${sourceFile}: does not compile: ${(error as Error).message}`);
  }
  mkdirSync(cacheDir, { recursive: true });
  const temporary = `${cached}.${process.pid}.tmp`;
  writeFileSync(temporary, js);
  renameSync(temporary, cached);
  return js;
}

export interface ActionBuildInput {
  sourceFile: string;
  /** JavaScript appended after the exports; binds the per-environment settings. */
  epilogue?: string;
  /** Where type-stripped sources are kept by content hash (tests give an empty one for a cold build). */
  cacheDir?: string;
}

export function buildActionCode({
  sourceFile,
  epilogue,
  cacheDir = DEFAULT_CACHE_DIR,
}: ActionBuildInput): string {
  const js = stripTypes(sourceFile, readFileSync(sourceFile, 'utf8'), cacheDir);

  const clause = js.match(EXPORT_CLAUSE);
  const body = js.replace(EXPORT_CLAUSE, '').trimEnd();
  const leftover = body.match(/^(import|export)\b.*$/m);
  if (leftover) {
    // A value import would need a bundler; Actions get their npm packages from Auth0, through require().
    throw new ActionBuildError(
      `${sourceFile}: "${leftover[0].trim()}" is not supported in an Action: only type imports and exported declarations`,
    );
  }
  const exportsLines = (clause?.[1] ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [local, exported = local] = entry.split(/\s+as\s+/);
      return `exports.${exported} = ${local};`;
    });
  if (!exportsLines.some((line) => line.startsWith('exports.onExecutePostLogin ='))) {
    throw new ActionBuildError(`${sourceFile}: must export onExecutePostLogin`);
  }

  const lines = [
    `// Built from actions/${basename(sourceFile)} by this project's action build; edit the source, not this.`,
    '"use strict";',
    body,
    ...exportsLines,
  ];
  if (epilogue) lines.push(epilogue);
  return `${lines.join('\n')}\n`;
}
