/**
 * Raw body capture for signed routes: the exact bytes, size-limited, before anything parses them.
 * The HMAC covers the bytes as sent; a body re-serialised from parsed JSON would not verify.
 */
import express from 'express';
import type { RequestHandler } from 'express';
import { MAX_BODY_BYTES_CEILING } from './config.js';

/** Read the whole body (any content type) into `res.locals.rawBody`; over `limitBytes` → 413. */
export function captureRawBody(limitBytes: number): RequestHandler[] {
  if (!Number.isInteger(limitBytes) || limitBytes < 0 || limitBytes > MAX_BODY_BYTES_CEILING) {
    throw new RangeError(`body limit ${limitBytes} is outside 0..${MAX_BODY_BYTES_CEILING} bytes`);
  }
  return [
    // inflate: false — a compressed body would be verified after decompression, and its limit would
    // apply to the inflated size; HubSpot does not compress requests, so refuse them (415).
    express.raw({ type: () => true, limit: limitBytes, inflate: false }),
    (req, res, next) => {
      const body: unknown = req.body;
      res.locals.rawBody = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
      // Nothing downstream may read an unverified body; the JSON step sets req.body after the check.
      req.body = undefined;
      next();
    },
  ];
}
