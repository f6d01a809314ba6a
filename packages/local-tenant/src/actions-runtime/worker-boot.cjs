// Starts an Action worker: the worker's own TypeScript loads through tsx, then tsx is unhooked, so the
// Action's code and its dependencies load with the runtime's plain Node semantics (no TypeScript, no
// rewriting of ES modules: on Node 18, `require` of an ES module fails as it does there). With an
// install folder (argv[2]), `import()` from inside it is confined to it (confine-imports.mjs); worker.ts
// confines `require`.
const { register } = require('tsx/cjs/api');
const { pathToFileURL } = require('node:url');

const modulesRoot = process.argv[2];
if (modulesRoot) {
  require('node:module').register('./confine-imports.mjs', pathToFileURL(__filename), {
    data: { root: modulesRoot },
  });
}
const unregister = register();
require('./worker.ts');
unregister();
