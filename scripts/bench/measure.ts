// Small timing helpers for the benchmark: wall-clock of whole commands, medians over rounds.
import { performance } from 'node:perf_hooks';
import { type RunOptions, run } from '../../ops/stack-command/terraform';

export async function timeCommand(
  command: string,
  args: string[],
  options: RunOptions = {},
): Promise<number> {
  const start = performance.now();
  const result = await run(command, args, options);
  const seconds = (performance.now() - start) / 1000;
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (exit ${result.code}):\n${result.stderr}${result.stdout}`,
    );
  }
  return seconds;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export const fmt = (seconds: number) => `${seconds.toFixed(2)} s`;
