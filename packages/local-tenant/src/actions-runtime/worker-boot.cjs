// Starts an Action worker: the worker's own TypeScript loads through tsx, then tsx is unhooked, so the
// Action's code and its dependencies load with the runtime's plain Node semantics (no TypeScript, no
// rewriting of ES modules: on Node 18, `require` of an ES module fails as it does there).
const { register } = require('tsx/cjs/api');

const unregister = register();
require('./worker.ts');
unregister();
