// Test support: a Management API error answer, asserted whole (status and body in one comparison,
// so a failure shows both).
import type { Reply } from '../../src/client';

/** HTTP's reason phrases, which Auth0 puts in `error` (written out here, not taken from the tenant). */
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** Auth0's error body: `{statusCode, error, message}`, plus `errorCode` when there is one. */
export function auth0Error(statusCode: number, message: string, errorCode?: string) {
  const body = { statusCode, error: REASONS[statusCode], message };
  return errorCode === undefined ? body : { ...body, errorCode };
}

/** The reply is exactly this error: its status and Auth0's whole body. */
export function expectAuth0Error(
  reply: Reply,
  statusCode: number,
  message: string,
  errorCode?: string,
): void {
  expect({ status: reply.status, body: reply.body }).toEqual({
    status: statusCode,
    body: auth0Error(statusCode, message, errorCode),
  });
}
