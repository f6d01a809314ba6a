// A project command (`npm run deploy`, `npm start`, ...) as a separate process the test can watch and
// interrupt as a person or a CI runner does: its output, its exit, and the Terraform it runs.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';

export interface CommandProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves once the output matches; fails, with the output, if the command ends first. */
  waitForOutput(pattern: RegExp): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startCommand(args: string[], env: Record<string, string>): CommandProcess {
  const child = spawn('npm', args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
  let output = '';
  const watchers: Array<{ pattern: RegExp; resolve(): void }> = [];
  const onData = (chunk: Buffer) => {
    output += chunk;
    for (const watcher of watchers.filter((w) => w.pattern.test(output))) {
      watchers.splice(watchers.indexOf(watcher), 1);
      watcher.resolve();
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => output,
    exited,
    waitForOutput(pattern) {
      if (pattern.test(output)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        watchers.push({ pattern, resolve });
        exited.then(({ code, signal }) =>
          reject(
            new Error(
              `command ended (${code ?? signal}) before printing ${pattern}:\n${output.slice(-4000)}`,
            ),
          ),
        );
      });
    },
  };
}

function parentOf(pid: number): number | undefined {
  try {
    // The command name is in parentheses and may hold spaces; the parent pid comes two fields after it.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function commandName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** The pids of the running processes below `root` (children, grandchildren, ...). */
export function descendants(root: number): number[] {
  const pids = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
  const below = (pid: number): boolean => {
    for (let p = parentOf(pid); p !== undefined && p > 1; p = parentOf(p)) if (p === root) return true;
    return false;
  };
  return pids.filter(below);
}

/** The pids of the running processes called `name` below `root`. */
export function descendantsNamed(root: number, name: string): number[] {
  return descendants(root).filter((pid) => commandName(pid) === name);
}

export interface FileMode {
  path: string;
  mode: number;
  directory: boolean;
}

/** Every file and folder under `dir`, with its permission bits. */
export function listModes(dir: string): FileMode[] {
  const out: FileMode[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch {
      continue; // removed meanwhile
    }
    out.push({ path, mode: stat.mode & 0o777, directory: stat.isDirectory() });
    if (stat.isDirectory()) out.push(...listModes(path));
  }
  return out;
}
