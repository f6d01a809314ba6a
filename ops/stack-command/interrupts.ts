// What happens when a run is interrupted (Ctrl+C, `kill`, a cancelled CI job). Children run in
// process groups of their own (see run() in ./terraform), so the terminal's SIGINT reaches this
// process only; the first SIGINT or SIGTERM is passed on to each running child exactly once, as
// SIGINT: Terraform answers it by finishing the calls in flight and saving its state. After that no
// new child starts. Private folders (plan files hold seed passwords) are removed on every way out
// this process can see: normal return, error, signal, process.exit.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
type Interrupt = (typeof SIGNALS)[number];
const EXIT_CODE: Record<Interrupt, number> = { SIGINT: 130, SIGTERM: 143 };

// What an interrupt has to deal with; the handlers are installed exactly while either is non-empty, so that
// a process with nothing running keeps Node's own answer to a signal (exit at once).
const children = new Set<ChildProcess>();
const folders = new Set<string>();
let handlersInstalled = false;
let interruptedBy: Interrupt | undefined;

export class InterruptedError extends Error {
  constructor(readonly signal: Interrupt) {
    super(`interrupted by ${signal}: stopped before starting anything new`);
    this.name = 'InterruptedError';
  }
}

function removeFolders(): void {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  folders.clear();
  updateHandlers();
}

function onSignal(signal: Interrupt): void {
  if (interruptedBy) {
    process.stderr.write(`\n${signal} again: still waiting for Terraform to save its state and stop\n`);
    return;
  }
  interruptedBy = signal;
  if (children.size === 0) {
    // Nothing is being applied: leave at once, without the plan files.
    process.stderr.write(`\ninterrupted by ${signal}; nothing was running\n`);
    removeFolders();
    process.exit(EXIT_CODE[signal]);
  }
  for (const child of children) {
    process.stderr.write(
      `\n${signal}: asking ${child.spawnfile} (pid ${child.pid}) to stop gracefully (it saves its state first)\n`,
    );
    child.kill('SIGINT');
  }
}

/** Installs or removes the signal handlers after `children` or `folders` changed, as the rule above says. */
function updateHandlers(): void {
  const wanted = children.size > 0 || folders.size > 0;
  if (wanted === handlersInstalled) return;
  handlersInstalled = wanted;
  for (const signal of SIGNALS) {
    if (wanted) process.on(signal, onSignal);
    else process.off(signal, onSignal);
  }
}

process.on('exit', removeFolders);

/** Registers a running child to be passed interrupts; returns its removal, called once it ended. */
export function track(child: ChildProcess): () => void {
  children.add(child);
  updateHandlers();
  return () => {
    children.delete(child);
    updateHandlers();
  };
}

/** Throws once an interrupt was received: no plan or apply starts after a Ctrl+C. */
export function refuseIfInterrupted(command: string): void {
  if (interruptedBy) {
    const error = new InterruptedError(interruptedBy);
    error.message = `interrupted by ${interruptedBy}: not starting ${command}`;
    throw error;
  }
}

/** The line added to an interrupted child's output, or undefined when there was no interrupt. */
export function interruptedNote(): string | undefined {
  if (!interruptedBy) return undefined;
  return `Interrupted by ${interruptedBy}: Terraform was asked to stop gracefully and saved its state. Run the same command again to finish; resources created but not yet recorded are imported first.`;
}

/** A folder only this user can read (0700), removed by the returned function and on every exit. */
export function privateFolder(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  folders.add(path);
  updateHandlers();
  return {
    path,
    remove() {
      rmSync(path, { recursive: true, force: true });
      folders.delete(path);
      updateHandlers();
    },
  };
}
