/**
 * Query parameters read from the request target as received (the bytes HubSpot signed), with
 * duplicates refused: `portalId=1&portalId=2` must never be read as either value.
 */
import { AppError } from '../core/errors.js';

/** The query string of a request target (`/p?a=1` → `a=1`), '' when there is none. */
export function rawQueryOf(requestTarget: string): string {
  const at = requestTarget.indexOf('?');
  return at === -1 ? '' : requestTarget.slice(at + 1);
}

/** A 400 naming the parameter (never its value, which may be personal data). */
export function badParam(field: string, message: string, reason: string): AppError {
  const publicMessage = `${field} ${message}`;
  return new AppError('INVALID_INPUT', publicMessage, { publicMessage, details: { field, reason } });
}

/** Every parameter of the query, each exactly once; a repeated name → 400 naming it. */
export function singleValuedParams(requestTarget: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(rawQueryOf(requestTarget))) {
    if (params.has(name)) throw badParam(name, 'appears more than once.', 'duplicate_param');
    params.set(name, value);
  }
  return params;
}
