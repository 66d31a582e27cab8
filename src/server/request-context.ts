/**
 * Per-request state kept in `res.locals`, typed by declaration merging: the correlation id, the
 * request's logger, and (on signed routes only) the raw body and the signed identity.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { AppError } from '../core/errors.js';
import type { Logger } from './logger.js';
import { redactUrl } from './log-redaction.js';

/** Who is calling, as HubSpot signed it: the only identity the backend trusts. */
export interface SignedIdentity {
  portalId: number;
  userId: number | null;
  userEmail: string | null;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's documented extension point
  namespace Express {
    interface Locals {
      /** Correlation id: echoed as `x-request-id` and in every error body. */
      requestId: string;
      /** The request's logger (bound to requestId). */
      log: Logger;
      /** Body bytes as received, on signed routes. */
      rawBody?: Buffer;
      /** Signed identity, set after the signature verified. */
      identity?: SignedIdentity;
    }
  }
}

// Accept an inbound id only if it is short and plain, so it cannot inject into logs or headers.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Assign the correlation id and request logger, and write one access-log line per response. */
export function requestContext(logger: Logger, now: () => number): RequestHandler {
  return (req, res, next) => {
    const inbound = req.get('x-request-id');
    const requestId = inbound !== undefined && SANE_REQUEST_ID.test(inbound) ? inbound : randomUUID();
    res.locals.requestId = requestId;
    res.locals.log = logger.child({ requestId });
    res.setHeader('x-request-id', requestId);
    const started = now();
    res.on('finish', () => {
      res.locals.log.info(
        { method: req.method, url: redactUrl(req.originalUrl), status: res.statusCode, ms: now() - started },
        'request',
      );
    });
    next();
  };
}

/** The signed identity of this request; throws if the route was not behind the signature check. */
export function identityOf(res: Response): SignedIdentity {
  const identity = res.locals.identity;
  if (identity === undefined) {
    // A route declared hubspotSignature always has one; reaching this is a wiring bug.
    throw new AppError('INTERNAL', 'identity missing: route is not behind the signature check');
  }
  return identity;
}
