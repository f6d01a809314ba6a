// The three kinds of failure the tool tells apart, because each ends a run differently: UsageError
// (../management/errors), RowError, and whatever the SDK throws.
import { CONNECTION_FAILED } from '../management/client';
import { networkCause, UsageError } from '../management/errors';

/** One user (one argument, one CSV row) cannot be handled; the others still can. */
export class RowError extends Error {
  override name = 'RowError';
}

/**
 * Whether an error from the SDK ends the whole run (the tenant is unreachable, keeps failing after the
 * retries, or refuses our credentials: every next row would fail the same way) or only the row at hand.
 */
export function isFatal(error: unknown): boolean {
  if (error instanceof RowError) return false;
  const status = statusOf(error);
  if (status === undefined) return true;
  return status === 401 || status === 403 || status === 429 || status >= 500;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

const STATUS_HINTS: Record<number, string> = {
  401: ' (check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, or AUTH0_API_TOKEN)',
  403: ' (the application needs the read:users and update:users scopes)',
};

/**
 * The API's own words: the SDK's message spans lines (status, then the whole body as JSON), so the body's
 * `message` (Management API) or `error_description` (token endpoint) is taken when there is one.
 */
function apiMessage(error: unknown): string {
  const body = (error as { body?: unknown } | null)?.body;
  if (body && typeof body === 'object') {
    const { message, error_description, error: code } = body as Record<string, unknown>;
    for (const text of [message, error_description, code]) if (typeof text === 'string' && text) return text;
  }
  const message = (error as Error | null)?.message || String(error);
  return message.split('\n')[0];
}

/** One line for the operator. SDK errors carry the API's message; nothing here holds a token or secret. */
export function describeError(error: unknown): string {
  if (error instanceof UsageError || error instanceof RowError) return error.message;
  const status = statusOf(error);
  const message = apiMessage(error);
  // The client's stand-in for a connection that failed after every retry.
  if (status === CONNECTION_FAILED) return message;
  if (status !== undefined) return `Auth0 answered ${status}: ${message}${STATUS_HINTS[status] ?? ''}`;
  const detail = networkCause(error);
  return detail && detail !== message ? `${message} (${detail})` : message;
}
