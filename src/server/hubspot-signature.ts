/**
 * The `hubspotSignature` guard: raw body → signature check → JSON body → signed identity, in that
 * order, so nothing reads the body or the identity of a request HubSpot did not sign.
 */
import type { RequestHandler } from 'express';
import { AppError } from '../core/errors.js';
import { captureRawBody } from './raw-body.js';
import { parseJsonBody } from './json-body.js';
import { readSignedIdentity } from './signed-identity.js';
import type { Secret } from './secret.js';
import { verifySignatureV3 } from './signature-verifier.js';

export interface SignatureGuardOptions {
  /** The app client secret (HMAC key). */
  secret: Secret;
  /** Configured public origin: the signed URL is this + the request target, never Host/X-Forwarded-*. */
  publicOrigin: string;
  now: () => number;
  /** Body limit for this route, in bytes. */
  bodyLimit: number;
  /**
   * Where the signed identity is: the query HubSpot appends to card requests (default), or 'none'
   * for webhooks, whose portal ids are in the signed body.
   */
  identity?: 'query' | 'none';
}

/** Verify X-HubSpot-Signature-v3 over the raw body; 401 with a generic body on any failure. */
export function verifyHubSpotSignature(
  options: Pick<SignatureGuardOptions, 'secret' | 'publicOrigin' | 'now' | 'identity'>,
): RequestHandler {
  return (req, res, next) => {
    const result = verifySignatureV3({
      method: req.method,
      url: options.publicOrigin + req.originalUrl,
      rawBody: res.locals.rawBody ?? Buffer.alloc(0),
      signature: req.get('x-hubspot-signature-v3'),
      timestamp: req.get('x-hubspot-request-timestamp'),
      secret: options.secret.reveal(),
      nowMs: options.now(),
    });
    if (!result.ok) {
      // Counted by metric name in the logs (threats A12: webhook_sig_fail).
      const metric = options.identity === 'none' ? 'webhook_sig_fail' : 'signature_fail';
      res.locals.log.warn({ reason: result.reason, metric }, 'signature rejected');
      next(new AppError('UNAUTHENTICATED', `signature rejected: ${result.reason}`));
      return;
    }
    res.locals.log.debug({ urlForm: result.urlForm }, 'signature verified');
    // Signed responses are per portal and user: no shared cache may keep them.
    res.set('cache-control', 'no-store');
    next();
  };
}

/** The whole guard chain for a route declared `auth: 'hubspotSignature'`. */
export function hubspotSignatureGuard(options: SignatureGuardOptions): RequestHandler[] {
  return [
    ...captureRawBody(options.bodyLimit),
    verifyHubSpotSignature(options),
    parseJsonBody(),
    ...(options.identity === 'none' ? [] : [readSignedIdentity()]),
  ];
}
