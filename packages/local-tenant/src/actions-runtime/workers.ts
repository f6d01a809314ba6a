// Warm Action workers: one pool of Node processes per deployed Action version, in the Node major of
// its runtime, each resolving `require` from that version's installed dependencies only. A login sends the event and flow state to a free worker and waits for the changed
// state, within the time left to the flow. A worker that times out is killed (it may be stuck in a
// loop); one that crashes is replaced at the next login.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { installRoot } from '../builds/install-cache';
import { PACKAGE_ROOT } from '../package-root';
import type { JsonMap } from '../tenant/model';
import type { RunReply, RunRequest, WireFlowState, WorkerMessage } from './protocol';
import { defaultRuntimesDir, nodeBinaryFor } from './runtimes';

const WORKER_SCRIPT = join(PACKAGE_ROOT, 'src', 'actions-runtime', 'worker-boot.cjs');
const SPAWN_TIMEOUT_MS = 15_000;

export interface ActionJob {
  /** Which deployed version this is: workers are kept per version. */
  versionId: string;
  runtime: string;
  name: string;
  code: string;
  /** The key of the version's installed dependencies in the dependency cache, when it has any. */
  installedDependencies?: string;
  event: JsonMap;
  state: WireFlowState;
  /** Time this Action may still take (the flow's deadline minus what earlier Actions used). */
  timeoutMs: number;
}

export type ActionOutcome =
  | Omit<Extract<RunReply, { kind: 'done' }>, 'id'>
  | Omit<Extract<RunReply, { kind: 'failed' }>, 'id'>
  | { kind: 'timeout'; logs: string[] };

export interface ActionWorkersOptions {
  runtimesDir?: string;
  /** The tenant's dependency cache (builds/install-cache.ts); needed to run versions with dependencies. */
  dependenciesDir?: string;
  /** Processes per Action version at most (more logins at once wait). Default 2. */
  maxPerVersion?: number;
  /** An idle worker is stopped after this long. Default 10 minutes. */
  idleMs?: number;
}

export interface ActionWorkerStats {
  /** Processes started so far (each one a cold start). */
  started: number;
  /** Processes alive now. */
  alive: number;
}

class Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  busy = false;
  alive = true;
  private nextId = 1;
  private waiting?: { id: number; resolve: (reply: RunReply | undefined) => void };
  private stderr = '';
  private idleTimer?: NodeJS.Timeout;

  constructor(
    binary: string,
    /** The folder whose node_modules the Action's `require` and `import` resolve from, if any. */
    modulesRoot: string | undefined,
    private readonly idleMs: number,
    private readonly onExit: (worker: Worker) => void,
  ) {
    const args = [WORKER_SCRIPT, ...(modulesRoot ? [modulesRoot] : [])];
    this.child = spawn(binary, args, {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
      // Nothing of the tenant's environment: Actions see only their secrets.
      env: { NODE_ENV: 'production', TZ: 'UTC', TMPDIR: process.env.TMPDIR ?? '/tmp' },
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-2000);
    });
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('the Action worker did not start in time')),
        SPAWN_TIMEOUT_MS,
      );
      this.child.on('message', (message: WorkerMessage) => {
        if (message.kind === 'ready') {
          clearTimeout(timer);
          resolve();
        } else if (this.waiting && message.id === this.waiting.id) {
          this.waiting.resolve(message);
        }
      });
      this.child.once('exit', (code, signal) => {
        clearTimeout(timer);
        this.alive = false;
        reject(
          new Error(`the Action worker exited (${signal ?? `code ${code}`}) ${this.stderr.trim()}`.trim()),
        );
        this.waiting?.resolve(undefined);
        this.onExit(this);
      });
    });
    this.ready.catch(() => undefined);
  }

  exitReason(): string {
    return `the Action's worker process exited${this.stderr ? `: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`;
  }

  /** Resolves with the reply, or undefined when the worker died or ran out of time (it is then killed). */
  async run(
    request: Omit<RunRequest, 'id' | 'kind'>,
    timeoutMs: number,
  ): Promise<RunReply | 'timeout' | undefined> {
    clearTimeout(this.idleTimer);
    const id = this.nextId++;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<RunReply | 'timeout' | undefined>((resolve) => {
        this.waiting = { id, resolve };
        timer = setTimeout(() => {
          this.kill();
          resolve('timeout');
        }, timeoutMs);
        this.child.send({ kind: 'run', id, ...request } satisfies RunRequest);
      });
    } finally {
      clearTimeout(timer);
      this.waiting = undefined;
      if (this.alive) {
        this.idleTimer = setTimeout(() => this.kill(), this.idleMs);
        this.idleTimer.unref();
      }
    }
  }

  kill(): void {
    clearTimeout(this.idleTimer);
    if (this.alive) this.child.kill('SIGKILL');
    this.alive = false;
  }
}

export class ActionWorkers {
  private readonly pools = new Map<string, Worker[]>();
  private readonly queues = new Map<string, Array<() => void>>();
  private readonly runtimesDir: string;
  private readonly dependenciesDir?: string;
  private readonly maxPerVersion: number;
  private readonly idleMs: number;
  private started = 0;
  private closed = false;

  constructor(options: ActionWorkersOptions = {}) {
    this.runtimesDir = options.runtimesDir ?? defaultRuntimesDir();
    this.dependenciesDir = options.dependenciesDir;
    this.maxPerVersion = options.maxPerVersion ?? 2;
    this.idleMs = options.idleMs ?? 10 * 60_000;
  }

  stats(): ActionWorkerStats {
    let alive = 0;
    for (const pool of this.pools.values()) alive += pool.filter((w) => w.alive).length;
    return { started: this.started, alive };
  }

  /** Runs one Action for one login. Throws ActionRuntimeError when its runtime is not installed. */
  async run(job: ActionJob): Promise<ActionOutcome> {
    if (this.closed) throw new Error('the Action workers are stopped');
    const modules = this.modulesRoot(job);
    if (typeof modules === 'object') {
      return {
        kind: 'failed',
        error: { name: 'Error', message: modules.missing },
        state: job.state,
        logs: [],
      };
    }
    const worker = await this.acquire(job, modules);
    try {
      try {
        await worker.ready;
      } catch (error) {
        return {
          kind: 'failed',
          error: { name: 'Error', message: (error as Error).message },
          state: job.state,
          logs: [],
        };
      }
      const reply = await worker.run(
        { name: job.name, code: job.code, event: job.event, state: job.state },
        job.timeoutMs,
      );
      if (reply === 'timeout') return { kind: 'timeout', logs: [] };
      if (!reply)
        return {
          kind: 'failed',
          error: { name: 'Error', message: worker.exitReason() },
          state: job.state,
          logs: [],
        };
      const { id: _id, ...outcome } = reply;
      return outcome;
    } finally {
      worker.busy = false;
      this.queues.get(job.versionId)?.shift()?.();
    }
  }

  /** Where the version's dependencies are installed; what is wrong when they cannot be found. */
  private modulesRoot(job: ActionJob): string | undefined | { missing: string } {
    const key = job.installedDependencies;
    if (!key) return undefined;
    if (!this.dependenciesDir) {
      return {
        missing: `the Action's dependencies cannot be loaded: these workers have no dependency cache`,
      };
    }
    const root = installRoot(this.dependenciesDir, key);
    if (!existsSync(join(root, 'node_modules'))) {
      return {
        missing: `the Action's installed dependencies are gone (no ${root}); change and deploy the Action to build it again`,
      };
    }
    return root;
  }

  private async acquire(job: ActionJob, modulesRoot: string | undefined): Promise<Worker> {
    for (;;) {
      const pool = this.pools.get(job.versionId) ?? [];
      this.pools.set(job.versionId, pool);
      const free = pool.find((w) => w.alive && !w.busy);
      if (free) {
        free.busy = true;
        return free;
      }
      if (pool.length < this.maxPerVersion) {
        const binary = nodeBinaryFor(job.runtime, this.runtimesDir);
        const worker = new Worker(binary, modulesRoot, this.idleMs, (gone) => {
          const current = this.pools.get(job.versionId);
          const index = current?.indexOf(gone) ?? -1;
          if (index >= 0) current?.splice(index, 1);
          this.queues.get(job.versionId)?.shift()?.();
        });
        this.started++;
        worker.busy = true;
        pool.push(worker);
        return worker;
      }
      await new Promise<void>((resolve) => {
        const queue = this.queues.get(job.versionId) ?? [];
        queue.push(resolve);
        this.queues.set(job.versionId, queue);
      });
    }
  }

  close(): void {
    this.closed = true;
    for (const pool of this.pools.values()) for (const worker of pool) worker.kill();
    this.pools.clear();
  }
}
