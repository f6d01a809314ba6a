import { ActionSandbox } from '../../src/login/sandbox';

async function run(code: string, args: unknown[] = [], timeoutMs = 500) {
  const logs: string[] = [];
  const sandbox = new ActionSandbox(code, { name: 'test', timeoutMs, log: (l) => logs.push(l) });
  try {
    const ran = await sandbox.call('onExecutePostLogin', args);
    return { ran, logs };
  } finally {
    sandbox.dispose();
  }
}

describe('ActionSandbox', () => {
  it('loads CommonJS: exports.x and module.exports', async () => {
    expect((await run("exports.onExecutePostLogin = async () => { console.log('a'); };")).logs).toEqual([
      'a',
    ]);
    expect(
      (await run("module.exports = { onExecutePostLogin: async () => { console.log('b'); } };")).logs,
    ).toEqual(['b']);
  });

  it('reports a module without the handler', async () => {
    expect((await run('exports.onContinuePostLogin = async () => {};')).ran).toBe(false);
  });

  it('lets actions require node built-ins the Auth0 runtime has, with or without node:', async () => {
    const { logs } = await run(`
      const crypto = require('crypto');
      const { URL } = require('node:url');
      exports.onExecutePostLogin = async () => {
        console.log(crypto.createHash('sha256').update('x').digest('hex').length, new URL('https://a.b/c').host);
      };`);
    expect(logs).toEqual(['64 a.b']);
  });

  it('refuses fs, child_process and npm packages', async () => {
    await expect(run("require('fs'); exports.onExecutePostLogin = async () => {};")).rejects.toThrow(
      "Cannot find module 'fs'",
    );
    await expect(run("require('node:child_process');")).rejects.toThrow(/Cannot find module/);
    await expect(run("require('lodash');")).rejects.toThrow(/Cannot find module 'lodash'/);
  });

  it('does not expose the host process', async () => {
    const { logs } = await run(
      'exports.onExecutePostLogin = async () => { console.log(typeof globalThis.require, Object.keys(process.env).length, typeof globalThis.global); };',
    );
    expect(logs).toEqual(['undefined 0 undefined']);
  });

  it('stops a synchronous endless loop and an action that never settles', async () => {
    await expect(run('exports.onExecutePostLogin = () => { for (;;) {} };', [], 100)).rejects.toThrow(
      /timed out/,
    );
    await expect(run('exports.onExecutePostLogin = () => new Promise(() => {});', [], 100)).rejects.toThrow(
      /execution time exceeded/,
    );
  });

  it('clears timers the action left behind', async () => {
    const logs: string[] = [];
    const sandbox = new ActionSandbox(
      "exports.onExecutePostLogin = async () => { setTimeout(() => console.log('late'), 50); };",
      { name: 't', log: (l) => logs.push(l) },
    );
    await sandbox.call('onExecutePostLogin', []);
    sandbox.dispose();
    await new Promise((r) => setTimeout(r, 100));
    expect(logs).toEqual([]);
  });

  it('copies plain data into the sandbox realm', async () => {
    const logs: string[] = [];
    const sandbox = new ActionSandbox(
      'exports.onExecutePostLogin = async (event) => { console.log(event.user instanceof Object, Array.isArray(event.list)); };',
      { name: 't', log: (l) => logs.push(l) },
    );
    await sandbox.call('onExecutePostLogin', [sandbox.adopt({ user: { a: 1 }, list: [1] })]);
    sandbox.dispose();
    expect(logs).toEqual(['true true']);
  });
});
