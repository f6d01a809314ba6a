// The floor for synth time: a cdktf app with one empty stack, run with plain node.
const { App, TerraformStack } = require('cdktf');

const app = new App();
new TerraformStack(app, 'empty');
app.synth();
