// ops/stack-command/interrupts.ts: signal handlers exactly while something needs them, and the first
// interrupt passed on once to each running child.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  interruptedNote,
  privateFolder,
  refuseIfInterrupted,
  track,
} from '../../../ops/stack-command/interrupts';

const listeners = () => ({
  SIGINT: process.listenerCount('SIGINT'),
  SIGTERM: process.listenerCount('SIGTERM'),
});

function fakeChild(): ChildProcess & { kill: jest.Mock } {
  return { spawnfile: 'terraform', pid: 4242, kill: jest.fn(() => true) } as unknown as ChildProcess & {
    kill: jest.Mock;
  };
}

describe('interrupt handling', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => stderr.mockRestore());

  it('listens for SIGINT and SIGTERM once while a private folder exists or a child runs, and not after', () => {
    const before = listeners();
    const first = privateFolder('interrupts-test-');
    const one = { SIGINT: before.SIGINT + 1, SIGTERM: before.SIGTERM + 1 };
    expect(listeners()).toEqual(one);
    const second = privateFolder('interrupts-test-');
    const untrack = track(fakeChild());
    expect(listeners()).toEqual(one);

    first.remove();
    expect(existsSync(first.path)).toBe(false);
    expect(listeners()).toEqual(one);
    untrack();
    expect(listeners()).toEqual(one);
    second.remove();
    second.remove(); // twice is harmless
    expect(listeners()).toEqual(before);

    const untrackAlone = track(fakeChild());
    expect(listeners()).toEqual(one);
    untrackAlone();
    untrackAlone();
    expect(listeners()).toEqual(before);
  });

  it('passes the first interrupt on once to each running child, and refuses to start anything after it', () => {
    const children = [fakeChild(), fakeChild()];
    const untrack = children.map((child) => track(child));
    expect(interruptedNote()).toBeUndefined();
    expect(() => refuseIfInterrupted('apply')).not.toThrow();

    process.emit('SIGTERM', 'SIGTERM'); // as Node calls a signal's listeners
    process.emit('SIGINT', 'SIGINT');
    for (const child of children) expect(child.kill.mock.calls).toEqual([['SIGINT']]);
    expect(stderr.mock.calls.join('')).toMatch(/SIGINT again: still waiting/);
    expect(() => refuseIfInterrupted('apply')).toThrow('interrupted by SIGTERM: not starting apply');
    expect(interruptedNote()).toMatch(/^Interrupted by SIGTERM: Terraform was asked to stop gracefully/);

    for (const end of untrack) end();
  });
});
