// A module.register resolve hook for Action workers: code inside the version's installed dependencies
// cannot `import()` a file outside them. Node's ESM resolution walks up the folders (the tenant's,
// the repository's node_modules) and would find packages the Action never listed; Auth0's build has
// only what was installed. Built-ins (node: URLs) and files inside the install resolve as usual.
import { realpathSync } from 'node:fs';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';

let root = '';

export function initialize(data) {
  root = realpathSync(data.root);
}

const inside = (url) => {
  if (!url?.startsWith('file:')) return false;
  const path = fileURLToPath(url);
  return path === root || path.startsWith(root + sep);
};

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (inside(context.parentURL) && resolved.url.startsWith('file:') && !inside(resolved.url)) {
    // Node's own wording and code for a package it cannot find.
    const error = new Error(
      `Cannot find package '${specifier}' imported from ${fileURLToPath(context.parentURL)}`,
    );
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return resolved;
}
