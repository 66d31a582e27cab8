/**
 * The one place errors become HTTP responses. AppError codes map to statuses through HTTP_STATUS;
 * the body is `{ error: { code, message, requestId, details? } }` with the user-safe message only.
 * Anything that is not an AppError is a 500 INTERNAL whose cause goes to the log, never the body.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, toAppError } from '../core/errors.js';
import { methodNotAllowed, ProtocolError, unsupportedMediaType } from './http-errors.js';
import type { Logger } from './logger.js';
import type { RouteEntry } from './route-table.js';
import { allowedMethods } from './route-table.js';

/** The error body every failing response carries. */
export interface ErrorBody {
  error: { code: string; message: string; requestId: string; details?: Record<string, unknown> };
}

/** What body-parser (behind express.raw) throws: an http-errors object with a `type`. */
interface BodyReadError {
  type: string;
  status: number;
}

function isBodyReadError(error: unknown): error is BodyReadError {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as Partial<BodyReadError>;
  return typeof candidate.type === 'string' && typeof candidate.status === 'number';
}

/** Any thrown value as an AppError, translating body-reading failures to their statuses. */
export function asHttpError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isBodyReadError(error)) {
    if (error.type === 'entity.too.large') {
      return new AppError('PAYLOAD_TOO_LARGE', 'request body over the route limit', { cause: error });
    }
    if (error.status === 415) return unsupportedMediaType('sent without Content-Encoding');
    if (error.status >= 400 && error.status < 500) {
      return new AppError('INVALID_INPUT', `request body unreadable: ${error.type}`, {
        publicMessage: 'The request body could not be read.',
        cause: error,
      });
    }
  }
  return toAppError(error);
}

/** Unknown path → 404; known path, other method → 405 with Allow; OPTIONS → 204 with Allow. */
export function routeFallback(table: readonly RouteEntry[]): RequestHandler {
  return (req, res, next) => {
    const allowed = allowedMethods(table, req.path);
    if (allowed.length === 0) {
      next(
        new AppError('NOT_FOUND', `no route for ${req.method} ${req.path}`, {
          publicMessage: 'No such endpoint.',
        }),
      );
      return;
    }
    if (req.method === 'OPTIONS') {
      res
        .set('Allow', [...allowed, 'OPTIONS'].join(', '))
        .status(204)
        .end();
      return;
    }
    next(methodNotAllowed(allowed));
  };
}

/** Final error handler: status from the code, safe body, Retry-After when known, full cause logged. */
export function errorMiddleware(fallbackLogger: Logger): ErrorRequestHandler {
  return (thrown: unknown, _req, res, next) => {
    const log: Logger = res.locals.log ?? fallbackLogger;
    const error = asHttpError(thrown);
    const status = error.status;
    if (res.headersSent) {
      // Too late for a JSON error: let Express close the connection.
      log.error({ err: thrown, code: error.code }, 'error after response started');
      next(thrown);
      return;
    }
    if (status >= 500) log.error({ err: thrown, code: error.code, status }, 'request failed');
    else log.info({ code: error.code, status, reason: error.message }, 'request refused');

    const body: ErrorBody = {
      error: { code: error.code, message: error.publicMessage, requestId: res.locals.requestId ?? 'unknown' },
    };
    // AppError details are user-safe by contract; a server-side failure shows none anyway.
    if (error.details !== undefined && status < 500) body.error.details = error.details;
    if (error instanceof ProtocolError) res.set(error.headers);
    if (error.retryable && error.retryAfterSeconds !== undefined) {
      res.set('Retry-After', String(Math.max(0, Math.ceil(error.retryAfterSeconds))));
    }
    res.status(status).set('cache-control', 'no-store').json(body);
  };
}
