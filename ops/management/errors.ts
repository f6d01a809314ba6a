// The failures every command on the Management API tells apart from the API's own answers.

/** The command cannot start: bad arguments, missing credentials, no matching environment. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * What went wrong below fetch's "fetch failed": the SDK wraps fetch's error, which wraps the socket's
 * (ECONNREFUSED, ENOTFOUND, a certificate error), so the chain of causes is followed to the first code.
 */
export function networkCause(error: unknown): string | undefined {
  let current = (error as { cause?: unknown } | null)?.cause;
  let fallback: string | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    if (typeof message === 'string') fallback ??= message;
    current = cause;
  }
  return fallback;
}
