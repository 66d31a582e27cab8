/**
 * A signed route's own query parameters: read from the request target as received (each at most
 * once), HubSpot's identity parameters left out, validated with the route's zod schema (a 400 naming
 * the field otherwise). Object.fromEntries defines own properties, so a `__proto__` parameter is just
 * an unknown key that a strict schema refuses.
 */
import type { ZodType } from 'zod';
import { singleValuedParams } from './query-params.js';
import { IDENTITY_PARAMS } from './signed-identity.js';
import { invalidInputFromZod } from './zod-errors.js';

/** The route's parameters (identity parameters left out); a repeated name → 400. */
export function routeParams(requestTarget: string): Record<string, string> {
  const entries: Array<[string, string]> = [];
  for (const [name, value] of singleValuedParams(requestTarget)) {
    if (!IDENTITY_PARAMS.has(name)) entries.push([name, value]);
  }
  return Object.fromEntries(entries);
}

/** The route's parameters parsed by `schema`; AppError INVALID_INPUT naming the field when they do not fit. */
export function parseRouteQuery<T>(requestTarget: string, schema: ZodType<T>): T {
  const parsed = schema.safeParse(routeParams(requestTarget));
  if (!parsed.success) throw invalidInputFromZod(parsed.error);
  return parsed.data;
}
