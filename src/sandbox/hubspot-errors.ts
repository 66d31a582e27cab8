/**
 * HubSpot's error bodies. Every refusal the sandbox answers is one of these shapes, so client code
 * that reads `category`, `policyName` or `status` behaves exactly as it would against HubSpot.
 */
import { randomUUID } from 'node:crypto';

/** The JSON body of a HubSpot API error. */
export interface HubSpotErrorBody {
  status: string;
  message: string;
  correlationId: string;
  category?: string;
  [key: string]: unknown;
}

/** Thrown inside route handlers; the dispatcher turns it into the HTTP answer. */
export class HubSpotHttpError extends Error {
  readonly status: number;
  readonly body: HubSpotErrorBody;
  readonly headers: Record<string, string>;

  constructor(status: number, body: HubSpotErrorBody, headers: Record<string, string> = {}) {
    super(body.message);
    this.name = 'HubSpotHttpError';
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** `{status:'error', message, correlationId, category, ...extra}`, HubSpot's standard error body. */
export function errorBody(
  category: string,
  message: string,
  extra: Record<string, unknown> = {},
): HubSpotErrorBody {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

/** A 400 VALIDATION_ERROR, the answer to any request HubSpot refuses to run. */
export function validationError(message: string, extra: Record<string, unknown> = {}): HubSpotHttpError {
  return new HubSpotHttpError(400, errorBody('VALIDATION_ERROR', message, extra));
}

/** A 404 OBJECT_NOT_FOUND. */
export function notFound(message: string, extra: Record<string, unknown> = {}): HubSpotHttpError {
  return new HubSpotHttpError(404, errorBody('OBJECT_NOT_FOUND', message, extra));
}

/** 401 for a missing or unknown token (HubSpot's wording). */
export function invalidAuthentication(): HubSpotHttpError {
  return new HubSpotHttpError(
    401,
    errorBody(
      'INVALID_AUTHENTICATION',
      'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at the developer documentation.',
    ),
  );
}

/** 401 for an OAuth access token past its lifetime. */
export function expiredAuthentication(expiredMs: number): HubSpotHttpError {
  const minutes = Math.max(0, Math.floor(expiredMs / 60_000));
  return new HubSpotHttpError(
    401,
    errorBody(
      'EXPIRED_AUTHENTICATION',
      `The OAuth token used to make this call expired ${minutes} minute(s) ago.`,
    ),
  );
}

/** The message HubSpot (and the api-client's retry decorator) uses for the search limit. */
export const SEARCH_LIMIT_MESSAGE = 'You have reached your secondly limit.';

/** HubSpot's 429 body for the general (TEN_SECONDLY_ROLLING) or search (SECONDLY) limit. */
export function rateLimitBody(kind: 'general' | 'search', max: number, windowMs: number): HubSpotErrorBody {
  const message =
    kind === 'search'
      ? SEARCH_LIMIT_MESSAGE
      : `You have reached your ten_secondly_rolling limit. (${max} requests per ${windowMs} ms)`;
  return {
    status: 'error',
    message,
    errorType: 'RATE_LIMIT',
    correlationId: randomUUID(),
    policyName: kind === 'search' ? 'SECONDLY' : 'TEN_SECONDLY_ROLLING',
    requestId: randomUUID(),
  };
}

/** A plausible HubSpot body for an injected status (used when a fault rule gives none). */
export function defaultBodyForStatus(status: number, kind: 'general' | 'search'): HubSpotErrorBody {
  switch (status) {
    case 429:
      return rateLimitBody(kind, kind === 'search' ? 5 : 110, kind === 'search' ? 1_000 : 10_000);
    case 423:
      return errorBody('LOCKED', 'The resource is locked; try again in a few seconds.');
    case 477:
      return errorBody('MIGRATION_IN_PROGRESS', 'This portal is being migrated; try again later.');
    case 400:
      return errorBody('VALIDATION_ERROR', 'There was a problem with the request.');
    case 401:
      return invalidAuthentication().body;
    case 403:
      return errorBody(
        'MISSING_SCOPES',
        'This app has not been granted all required scopes to make this call.',
      );
    case 404:
      return errorBody('OBJECT_NOT_FOUND', 'Resource not found.');
    case 502:
    case 503:
    case 504:
      return errorBody('SERVICE_UNAVAILABLE', 'The service is temporarily unavailable. Try again later.');
    default:
      return errorBody(
        status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST',
        `Request failed with status ${status}.`,
      );
  }
}
