/**
 * Owners: GET /crm/v3/owners (paged; `archived=true` lists only archived owners, as HubSpot does)
 * and GET /crm/v3/owners/{ownerId} by owner id or `idProperty=userId`.
 */
import type { FixtureOwner } from '../fixture.js';
import { notFound, validationError } from '../hubspot-errors.js';
import { boolParam, intParam, portalOf, type RouteDef } from '../http.js';

const FIXED_TIME = '2024-01-01T00:00:00.000Z';

/** An owner in HubSpot's PublicOwner shape. */
export function ownerJson(o: FixtureOwner): Record<string, unknown> {
  return {
    id: o.id,
    email: o.email ?? undefined,
    type: 'PERSON',
    firstName: o.firstName ?? '',
    lastName: o.lastName ?? '',
    ...(o.userId == null ? {} : { userId: o.userId, userIdIncludingInactive: o.userId }),
    createdAt: o.createdAt ?? FIXED_TIME,
    updatedAt: o.updatedAt ?? o.createdAt ?? FIXED_TIME,
    archived: o.archived,
    teams: o.teams.map((t) => ({ id: t.id, name: t.name, primary: t.primary })),
  };
}

function parseOffset(after: string | null): number {
  if (after === null || after === '') return 0;
  if (!/^\d{1,9}$/.test(after))
    throw validationError(`after must be a paging cursor returned by this endpoint; got "${after}".`);
  return Number(after);
}

/** Owners list and single owner. */
export const ownerRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/crm/v3/owners',
    auth: 'bearer',
    kind: 'general',
    handler: (ctx) => {
      const portal = portalOf(ctx);
      const limit = intParam(ctx.query, 'limit', 100, 1, 500);
      const archived = boolParam(ctx.query, 'archived', false);
      const offset = parseOffset(ctx.query.get('after'));
      const email = ctx.query.get('email')?.toLowerCase();
      const all = portal.owners
        .filter((o) => o.archived === archived)
        .filter((o) => email === undefined || (o.email ?? '').toLowerCase() === email)
        .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
      const page = all.slice(offset, offset + limit);
      const next = offset + limit < all.length ? String(offset + limit) : undefined;
      return {
        status: 200,
        body: {
          results: page.map(ownerJson),
          ...(next === undefined
            ? {}
            : { paging: { next: { after: next, link: `${ctx.origin}/crm/v3/owners/?after=${next}` } } }),
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: '/crm/v3/owners/:ownerId',
    auth: 'bearer',
    kind: 'general',
    handler: (ctx) => {
      const portal = portalOf(ctx);
      const idProperty = ctx.query.get('idProperty') ?? 'id';
      if (idProperty !== 'id' && idProperty !== 'userId') {
        throw validationError(`idProperty must be id or userId; got "${idProperty}".`);
      }
      const archived = boolParam(ctx.query, 'archived', false);
      const key = ctx.params.ownerId;
      const owner = portal.owners.find(
        (o) =>
          o.archived === archived &&
          (idProperty === 'id' ? o.id === key : o.userId != null && String(o.userId) === key),
      );
      if (!owner) throw notFound(`Owner ${key} not found (idProperty=${idProperty}, archived=${archived}).`);
      return { status: 200, body: ownerJson(owner) };
    },
  },
];
