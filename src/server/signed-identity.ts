/**
 * The signed identity of a card request: HubSpot appends `portalId`, `userId` (and `userEmail`,
 * `appId`) to the URL it signs. Read only after the signature verified; each must appear at most
 * once, so a duplicated parameter is a 400 before any lookup.
 */
import type { RequestHandler } from 'express';
import { badParam, singleValuedParams } from './query-params.js';
import type { SignedIdentity } from './request-context.js';

/** Query parameters HubSpot adds to signed requests; route inputs never see them. */
export const IDENTITY_PARAMS: ReadonlySet<string> = new Set(['portalId', 'userId', 'userEmail', 'appId']);

const ID_PATTERN = /^[1-9]\d{0,15}$/;

function numericId(params: Map<string, string>, name: string): number | null {
  const value = params.get(name);
  if (value === undefined) return null;
  if (!ID_PATTERN.test(value) || !Number.isSafeInteger(Number(value))) {
    throw badParam(name, 'must be a positive whole number.', 'not_numeric');
  }
  return Number(value);
}

/** The identity in a signed request target; throws AppError INVALID_INPUT naming the bad parameter. */
export function parseSignedIdentity(requestTarget: string): SignedIdentity {
  const params = singleValuedParams(requestTarget);
  const portalId = numericId(params, 'portalId');
  if (portalId === null) throw badParam('portalId', 'is required.', 'missing');
  const userId = numericId(params, 'userId');
  numericId(params, 'appId'); // validated for shape; not part of the identity
  const email = params.get('userEmail');
  if (email !== undefined && (email.length === 0 || email.length > 254 || !email.includes('@'))) {
    throw badParam('userEmail', 'must be an email address.', 'not_email');
  }
  return { portalId, userId, userEmail: email ?? null };
}

/** Set `res.locals.identity` from the signed query. */
export function readSignedIdentity(): RequestHandler {
  return (req, res, next) => {
    res.locals.identity = parseSignedIdentity(req.originalUrl);
    next();
  };
}
