// Runs work items with a bounded number in flight; the pacer, not this pool, keeps us under the rate limit.

export interface PoolOptions {
  concurrency: number;
  /** Checked before each item starts: true stops handing out items (the ones in flight finish). */
  stopped?: () => boolean;
}

/** Runs `work` for each item; returns how many items were never started because the pool stopped. */
export async function runPool<T>(
  items: readonly T[],
  work: (item: T, index: number) => Promise<void>,
  options: PoolOptions,
): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !options.stopped?.()) {
      const index = next++;
      await work(items[index], index);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return items.length - next;
}
