// Runs one Action's code the way the Auth0 runtime loads it: as a CommonJS module in its own V8
// context (node:vm), with `module`, `exports`, a `require` limited to node built-ins, a console that
// is captured, timers that are cleared when the Action ends, and a time limit.
// node:vm is isolation for honest code, not a security boundary: only run Actions you trust.

import { webcrypto } from 'node:crypto';
import { createRequire } from 'node:module';
import { format } from 'node:util';
import vm from 'node:vm';

/** Node built-ins an Action may require (with or without the `node:` prefix). */
export const ALLOWED_MODULES = new Set([
  'assert',
  'buffer',
  'crypto',
  'dns',
  'events',
  'http',
  'https',
  'net',
  'os',
  'path',
  'punycode',
  'querystring',
  'stream',
  'string_decoder',
  'timers',
  'tls',
  'url',
  'util',
  'zlib',
]);

export const DEFAULT_ACTION_TIMEOUT_MS = 5000;

const hostRequire = createRequire(__filename);

export class ActionTimeoutError extends Error {}

export interface SandboxOptions {
  /** Shown in stack traces and logs. */
  name: string;
  timeoutMs?: number;
  log?: (line: string) => void;
}

export class ActionSandbox {
  private readonly context: vm.Context;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly immediates = new Set<NodeJS.Immediate>();
  private readonly timeoutMs: number;
  private module: { exports: Record<string, unknown> } | undefined;

  constructor(
    private readonly code: string,
    private readonly options: SandboxOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS;
    const log =
      (level: string) =>
      (...args: unknown[]) =>
        options.log?.(`${level === 'log' ? '' : `${level}: `}${format(...args)}`);
    const console = {
      log: log('log'),
      info: log('log'),
      debug: log('log'),
      warn: log('warn'),
      error: log('error'),
    };
    this.context = vm.createContext(
      {
        console,
        setTimeout: (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            fn(...args);
          }, ms);
          this.timers.add(timer);
          return timer;
        },
        clearTimeout: (timer: NodeJS.Timeout) => {
          this.timers.delete(timer);
          clearTimeout(timer);
        },
        setInterval: (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
          const timer = setInterval(fn, ms, ...args);
          this.timers.add(timer);
          return timer;
        },
        clearInterval: (timer: NodeJS.Timeout) => {
          this.timers.delete(timer);
          clearInterval(timer);
        },
        setImmediate: (fn: (...a: unknown[]) => void, ...args: unknown[]) => {
          const immediate = setImmediate(() => {
            this.immediates.delete(immediate);
            fn(...args);
          });
          this.immediates.add(immediate);
          return immediate;
        },
        clearImmediate: (immediate: NodeJS.Immediate) => {
          this.immediates.delete(immediate);
          clearImmediate(immediate);
        },
        queueMicrotask,
        Buffer,
        URL,
        URLSearchParams,
        TextEncoder,
        TextDecoder,
        AbortController,
        AbortSignal,
        atob,
        btoa,
        structuredClone,
        fetch,
        Headers,
        Request,
        Response,
        crypto: webcrypto,
        process: {
          env: {},
          version: 'v22.0.0',
          versions: { node: '22.0.0' },
          platform: 'linux',
          nextTick: (fn: (...a: unknown[]) => void, ...args: unknown[]) => queueMicrotask(() => fn(...args)),
        },
      },
      { name: `action:${options.name}`, codeGeneration: { strings: true, wasm: false } },
    );
  }

  private run<T>(source: string, globals: Record<string, unknown> = {}): T {
    const names = Object.keys(globals);
    for (const name of names) this.context[name] = globals[name];
    try {
      return vm.runInContext(source, this.context, {
        timeout: this.timeoutMs,
        filename: `action:${this.options.name}`,
      });
    } finally {
      for (const name of names) delete this.context[name];
    }
  }

  private require(id: string): unknown {
    const name = id.startsWith('node:') ? id.slice(5) : id;
    if (!ALLOWED_MODULES.has(name)) {
      const error = new Error(`Cannot find module '${id}'`) as NodeJS.ErrnoException;
      error.code = 'MODULE_NOT_FOUND';
      throw error;
    }
    return hostRequire(`node:${name}`);
  }

  /** Evaluates the module's top-level code once and returns its exports. */
  load(): Record<string, unknown> {
    if (this.module) return this.module.exports;
    const wrapper = vm.runInContext(
      `(function (exports, require, module, __filename, __dirname) {${this.code}\n})`,
      this.context,
      { filename: `action:${this.options.name}`, timeout: this.timeoutMs },
    );
    const mod = this.run<{ exports: Record<string, unknown> }>('({ exports: {} })');
    this.run(
      '__wrapper.call(__module.exports, __module.exports, __require, __module, "/action/index.js", "/action")',
      {
        __wrapper: wrapper,
        __module: mod,
        __require: (id: string) => this.require(id),
      },
    );
    this.module = mod;
    return mod.exports;
  }

  /** Copies plain JSON data into the sandbox's realm (its objects pass `instanceof Object` there). */
  adopt<T>(value: T): T {
    return this.run<T>('JSON.parse(__json)', { __json: JSON.stringify(value) });
  }

  /** Calls an exported handler and waits for it, within the time limit. Returns false when not exported. */
  async call(exportName: string, args: unknown[]): Promise<boolean> {
    const exported = this.load();
    if (typeof exported[exportName] !== 'function') return false;
    const pending = this.run<unknown>(`__module.exports[__name].apply(__module.exports, __args)`, {
      __module: this.module,
      __name: exportName,
      __args: args,
    });
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ActionTimeoutError(`Script execution time exceeded (${this.timeoutMs} ms)`)),
        this.timeoutMs,
      );
    });
    try {
      await Promise.race([Promise.resolve(pending), limit]);
    } finally {
      clearTimeout(timer);
    }
    return true;
  }

  /** Stops whatever the Action left scheduled. */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    for (const immediate of this.immediates) clearImmediate(immediate);
    this.timers.clear();
    this.immediates.clear();
  }
}

/** A readable message for anything an Action throws, from whichever realm. */
export function describeError(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) {
    const name =
      'name' in error && typeof error.name === 'string' && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${name}${String((error as { message: unknown }).message)}`;
  }
  return String(error);
}
