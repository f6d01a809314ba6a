// OAuth-shaped errors of the Authentication API: `{error, error_description}` (plus, for mfa_required,
// the `mfa_token` Auth0 adds), as the server's one error type.
import { ApiError } from '../server/errors';

export const authError = (
  status: number,
  error: string,
  description: string,
  extra?: Record<string, unknown>,
) => ApiError.oauth(status, error, description, extra);

/** Auth0's answer to unknown credentials (no such user, or the wrong password: the same words for both). */
export const WRONG_CREDENTIALS = 'Wrong email or password.';

export const invalidRequest = (description: string) => authError(400, 'invalid_request', description);

/** An Authentication API error (not a Management API one or a defect). */
export function isAuthError(error: unknown): error is ApiError {
  return error instanceof ApiError && error.shape === 'oauth';
}
