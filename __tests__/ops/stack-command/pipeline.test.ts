// A deploy applies the saved plan while it is read back: a failure of either must not leave the other running
// (the plan files' folder is removed right after).
import { bothSettled } from '../../../ops/stack-command/pipeline';

const later = <T>(ms: number, value: T, fail = false) =>
  new Promise<T>((resolve, reject) =>
    setTimeout(() => (fail ? reject(new Error(String(value))) : resolve(value)), ms),
  );

describe('bothSettled', () => {
  it('waits for the other before throwing the first failure', async () => {
    let applyDone = false;
    const apply = later(50, 'applied').then((value) => {
      applyDone = true;
      return value;
    });
    await expect(bothSettled(later(1, 'show failed', true), apply)).rejects.toThrow('show failed');
    expect(applyDone).toBe(true);
  });

  it('gives both results in order', async () => {
    await expect(bothSettled(later(20, 'plan'), later(1, 'applied'))).resolves.toEqual(['plan', 'applied']);
  });

  it('throws the first one when both fail', async () => {
    await expect(bothSettled(later(20, 'a', true), later(1, 'b', true))).rejects.toThrow('a');
  });
});
