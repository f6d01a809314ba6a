// Turns an Action's TypeScript source into the CommonJS text that `auth0_action.code` holds.
// The output must be deterministic (same input, same text: no plan diff when nothing changed) and
// readable in a plan, so it is the source with its types stripped by esbuild, not a bundle.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { transformSync } from 'esbuild';

export class ActionBuildError extends Error {}

// esbuild's ESM output gathers every export into one trailing `export { a, b as c };` clause.
const EXPORT_CLAUSE = /^export \{([^}]*)\};?\s*$/m;

export interface ActionBuildInput {
  sourceFile: string;
  /** JavaScript appended after the exports; binds the per-environment settings. */
  epilogue?: string;
}

export function buildActionCode({ sourceFile, epilogue }: ActionBuildInput): string {
  const source = readFileSync(sourceFile, 'utf8');
  let js: string;
  try {
    js = transformSync(source, {
      loader: 'ts',
      format: 'esm',
      target: 'node18',
      sourcefile: sourceFile,
    }).code;
  } catch (error) {
    throw new ActionBuildError(`${sourceFile}: does not compile: ${(error as Error).message}`);
  }

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
