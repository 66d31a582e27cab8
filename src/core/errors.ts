/**
 * The one error model of Pillars: a closed set of codes, each with one HTTP status and one
 * user-safe message. The `message` of an AppError is for logs; `publicMessage` is what a user sees.
 */

/** Every failure Pillars can report. Adding a code means adding its status and message below. */
export type ErrorCode =
  | 'INVALID_INPUT' // the caller sent something we refuse (bad dates, unknown ids, bad JSON)
  | 'UNAUTHENTICATED' // missing or bad signature / credentials
  | 'FORBIDDEN' // authenticated, but not allowed
  | 'NOT_FOUND' // the thing does not exist (or the caller may not know it exists)
  | 'PAYLOAD_TOO_LARGE'
  | 'CONFLICT'
  | 'HUBSPOT_TEMPORARY' // HubSpot 5xx / timeout / network, retries exhausted
  | 'HUBSPOT_RATE_LIMITED' // HubSpot 429 past our retries, or a daily limit
  | 'HUBSPOT_AUTH_EXPIRED' // HubSpot 401: token expired or revoked
  | 'HUBSPOT_MISSING_SCOPE' // HubSpot 403: the install lacks a scope
  | 'HUBSPOT_NOT_FOUND' // HubSpot 404
  | 'HUBSPOT_INVALID_RESPONSE' // HubSpot answered with a shape we do not accept
  | 'HUBSPOT_BAD_REQUEST' // HubSpot 400 on a request we built (a bug or an unsupported portal setup)
  | 'CONFIG_INVALID' // the environment is misconfigured
  | 'STORE_UNAVAILABLE' // the database failed
  | 'INTERNAL'; // a bug

export const ERROR_CODES: readonly ErrorCode[] = [
  'INVALID_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'PAYLOAD_TOO_LARGE',
  'CONFLICT',
  'HUBSPOT_TEMPORARY',
  'HUBSPOT_RATE_LIMITED',
  'HUBSPOT_AUTH_EXPIRED',
  'HUBSPOT_MISSING_SCOPE',
  'HUBSPOT_NOT_FOUND',
  'HUBSPOT_INVALID_RESPONSE',
  'HUBSPOT_BAD_REQUEST',
  'CONFIG_INVALID',
  'STORE_UNAVAILABLE',
  'INTERNAL',
];

/** HTTP status per code; exhaustive by construction. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  CONFLICT: 409,
  HUBSPOT_TEMPORARY: 503,
  HUBSPOT_RATE_LIMITED: 503,
  HUBSPOT_AUTH_EXPIRED: 502,
  HUBSPOT_MISSING_SCOPE: 502,
  HUBSPOT_NOT_FOUND: 404,
  HUBSPOT_INVALID_RESPONSE: 502,
  HUBSPOT_BAD_REQUEST: 502,
  CONFIG_INVALID: 500,
  STORE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** What a user may read for each code, when the error carries no safer detail of its own. */
export const PUBLIC_MESSAGE: Record<ErrorCode, string> = {
  INVALID_INPUT: 'The request is not valid.',
  UNAUTHENTICATED: 'The request could not be authenticated.',
  FORBIDDEN: 'You do not have access to this.',
  NOT_FOUND: 'Not found.',
  PAYLOAD_TOO_LARGE: 'The request is too large.',
  CONFLICT: 'The request conflicts with the current state; reload and try again.',
  HUBSPOT_TEMPORARY: 'HubSpot is not answering right now. Try again in a minute.',
  HUBSPOT_RATE_LIMITED: 'HubSpot asked us to slow down. Try again in a minute.',
  HUBSPOT_AUTH_EXPIRED: 'The connection to HubSpot has expired. An admin needs to reconnect Pillars.',
  HUBSPOT_MISSING_SCOPE: 'Pillars is missing a HubSpot permission. An admin needs to reinstall the app.',
  HUBSPOT_NOT_FOUND: 'HubSpot has no such record.',
  HUBSPOT_INVALID_RESPONSE: 'HubSpot answered in a way Pillars does not understand. We have been notified.',
  HUBSPOT_BAD_REQUEST: 'HubSpot refused a request from Pillars. We have been notified.',
  CONFIG_INVALID: 'Pillars is not configured correctly.',
  STORE_UNAVAILABLE: 'Pillars cannot reach its database right now. Try again in a minute.',
  INTERNAL: 'Something went wrong on our side. We have been notified.',
};

/** Codes a caller may retry after a pause. */
export const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'HUBSPOT_TEMPORARY',
  'HUBSPOT_RATE_LIMITED',
  'STORE_UNAVAILABLE',
]);

export interface AppErrorOptions {
  /** A message safe to show a user; defaults to PUBLIC_MESSAGE[code]. Never put secrets here. */
  publicMessage?: string;
  /** Structured, user-safe details (e.g. the field that failed validation). */
  details?: Record<string, unknown>;
  /** Seconds after which a retry makes sense (rate limits). */
  retryAfterSeconds?: number;
  /** The underlying error, kept for logs. */
  cause?: unknown;
}

/** The only error type that crosses module boundaries. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly publicMessage: string;
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.publicMessage = options.publicMessage ?? PUBLIC_MESSAGE[code];
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** Wrap anything thrown into an AppError, keeping AppErrors as they are. */
export function toAppError(e: unknown): AppError {
  if (isAppError(e)) return e;
  return new AppError('INTERNAL', e instanceof Error ? e.message : String(e), { cause: e });
}

/** Shorthand for the most common refusal: the user's input, with a clear message that names the field. */
export function invalidInput(message: string, details?: Record<string, unknown>): AppError {
  return new AppError('INVALID_INPUT', message, { publicMessage: message, ...(details ? { details } : {}) });
}
