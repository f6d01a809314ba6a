// Writes planned flag changes concurrently (the pacer keeps the pace) and reports each as it finishes.
// A row error is reported and the others go on; an error that would fail every next call too (tenant
// unreachable, credentials refused) stops handing out changes, and the rest count as not attempted.

import { runPool } from '../management/pool';
import { describeError, isFatal } from './errors';
import {
  type Auth0User,
  applyUserFlag,
  type SetFlagOptions,
  type SetFlagResult,
  type UserDirectory,
} from './users';

export interface Change {
  user: Auth0User;
  on: boolean;
}

export type Outcome<T extends Change> =
  | { change: T; result: SetFlagResult; changed: boolean }
  | { change: T; error: string };

export interface ApplyOptions extends SetFlagOptions {
  concurrency: number;
}

/** Runs every change; `report` sees each outcome as it happens. Returns how many were never started. */
export async function applyChanges<T extends Change>(
  directory: UserDirectory,
  changes: readonly T[],
  options: ApplyOptions,
  report: (outcome: Outcome<T>) => void,
): Promise<{ notAttempted: number; fatal?: unknown }> {
  let fatal: unknown;
  const notAttempted = await runPool(
    changes,
    async (change) => {
      try {
        const result = await applyUserFlag(directory, change.user, change.on, options);
        report({ change, result, changed: Object.keys(result.patch).length > 0 });
      } catch (error) {
        if (isFatal(error)) fatal ??= error;
        report({ change, error: describeError(error) });
      }
    },
    { concurrency: options.concurrency, stopped: () => fatal !== undefined },
  );
  return { notAttempted, fatal };
}
