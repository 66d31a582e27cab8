/**
 * Settings API: users (GET /settings/v3/users, GET /settings/v3/users/{userId}) and teams
 * (GET /settings/v3/users/teams).
 */
import type { FixtureUser } from '../fixture.js';
import { notFound, validationError } from '../hubspot-errors.js';
import { intParam, portalOf, type RouteDef } from '../http.js';

function userJson(u: FixtureUser): Record<string, unknown> {
  return {
    id: u.id,
    email: u.email,
    ...(u.firstName === undefined ? {} : { firstName: u.firstName }),
    ...(u.lastName === undefined ? {} : { lastName: u.lastName }),
    roleIds: u.roleIds ?? [],
    ...(u.primaryTeamId ? { primaryTeamId: u.primaryTeamId } : {}),
    secondaryTeamIds: u.secondaryTeamIds,
    superAdmin: u.superAdmin,
  };
}

/** Settings users and teams. */
export const settingsRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/settings/v3/users/teams',
    auth: 'bearer',
    kind: 'general',
    handler: (ctx) => ({ status: 200, body: { results: portalOf(ctx).teams() } }),
  },
  {
    method: 'GET',
    pattern: '/settings/v3/users',
    auth: 'bearer',
    kind: 'general',
    handler: (ctx) => {
      const portal = portalOf(ctx);
      const limit = intParam(ctx.query, 'limit', 100, 1, 100);
      const afterRaw = ctx.query.get('after');
      if (afterRaw !== null && afterRaw !== '' && !/^\d{1,9}$/.test(afterRaw)) {
        throw validationError(`after must be a paging cursor returned by this endpoint; got "${afterRaw}".`);
      }
      const offset = afterRaw ? Number(afterRaw) : 0;
      const all = [...portal.users].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
      const next = offset + limit < all.length ? String(offset + limit) : undefined;
      return {
        status: 200,
        body: {
          results: all.slice(offset, offset + limit).map(userJson),
          ...(next === undefined
            ? {}
            : { paging: { next: { after: next, link: `${ctx.origin}/settings/v3/users/?after=${next}` } } }),
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: '/settings/v3/users/:userId',
    auth: 'bearer',
    kind: 'general',
    handler: (ctx) => {
      const portal = portalOf(ctx);
      const idProperty = (ctx.query.get('idProperty') ?? 'USER_ID').toUpperCase();
      if (idProperty !== 'USER_ID' && idProperty !== 'EMAIL') {
        throw validationError(`idProperty must be USER_ID or EMAIL; got "${idProperty}".`);
      }
      const key = ctx.params.userId;
      const user = portal.users.find((u) =>
        idProperty === 'USER_ID' ? u.id === key : u.email.toLowerCase() === key.toLowerCase(),
      );
      if (!user) throw notFound(`User ${key} not found.`);
      return { status: 200, body: userJson(user) };
    },
  },
];
