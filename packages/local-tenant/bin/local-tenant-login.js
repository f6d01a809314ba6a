#!/usr/bin/env node
// The package ships its TypeScript sources: tsx's require hook runs them without a build step.
require('tsx/cjs');
require('../src/login-cli.ts');
