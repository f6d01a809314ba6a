// The one error type of the tenant's HTTP layer. Management API errors answer Auth0's
// `{statusCode, error, message, errorCode?}`; the Authentication API (/oauth) answers OAuth 2's
// `{error, error_description}`. Domain code (src/tenant) never throws it: it reports, the API decides.
import { STATUS_CODES } from 'node:http';

/** Body of every Management API error. */
export interface Auth0ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  errorCode?: string;
  /** What Auth0's 401s repeat of the message (`{error: message}`). */
  attributes?: { error: string };
}

export interface OAuthErrorBody {
  error: string;
  error_description: string;
  /** What some errors carry besides (mfa_required: the mfa_token). */
  [extra: string]: unknown;
}

export class ApiError extends Error {
  private constructor(
    readonly statusCode: number,
    message: string,
    /** Management API: Auth0's `errorCode`; OAuth: the `error` code. */
    readonly errorCode: string | undefined,
    readonly shape: 'management' | 'oauth',
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static management(statusCode: number, message: string, errorCode?: string): ApiError {
    return new ApiError(statusCode, message, errorCode, 'management');
  }

  /** Auth0's 401 for a token it refuses: no errorCode, the message repeated in `attributes.error`. */
  static unauthorized(message: string): ApiError {
    return new ApiError(401, message, undefined, 'management', { attributes: { error: message } });
  }

  static oauth(
    statusCode: number,
    error: string,
    description: string,
    extra?: Record<string, unknown>,
  ): ApiError {
    return new ApiError(statusCode, description, error, 'oauth', extra);
  }

  toBody(): Auth0ErrorBody | OAuthErrorBody {
    if (this.shape === 'oauth') {
      return { error: this.errorCode ?? 'server_error', error_description: this.message, ...this.extra };
    }
    const body: Auth0ErrorBody = {
      statusCode: this.statusCode,
      error: STATUS_CODES[this.statusCode] ?? 'Error',
      message: this.message,
    };
    if (this.errorCode) body.errorCode = this.errorCode;
    return { ...body, ...this.extra };
  }
}

export function badRequest(message: string, errorCode?: string): ApiError {
  return ApiError.management(400, message, errorCode);
}

export function notFound(message: string, errorCode?: string): ApiError {
  return ApiError.management(404, message, errorCode);
}

export function conflict(message: string, errorCode?: string): ApiError {
  return ApiError.management(409, message, errorCode);
}
