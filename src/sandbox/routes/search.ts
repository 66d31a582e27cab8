/**
 * POST /crm/v3/objects/{objectType}/search: validate as HubSpot does, run through the portal's
 * search cache, answer one page with `total` and an offset `after`.
 */
import { objectTypeParam, parseJsonBody, portalOf, type RouteDef } from '../http.js';
import { searchRequestSchema, validateSearch } from '../search-engine.js';
import { projectProperties } from '../properties.js';

/** CRM search. */
export const searchRoutes: RouteDef[] = [
  {
    method: 'POST',
    pattern: '/crm/v3/objects/:objectType/search',
    auth: 'bearer',
    kind: 'search',
    handler: (ctx) => {
      const portal = portalOf(ctx);
      const type = objectTypeParam(ctx);
      const search = validateSearch(parseJsonBody(ctx, searchRequestSchema));
      const matches = portal.searchCache.run(
        { type, table: portal.tables[type], associations: portal.associations },
        search,
      );
      const end = search.after + search.limit;
      const page = matches.slice(search.after, end);
      return {
        status: 200,
        body: {
          total: matches.length,
          results: page.map((r) => ({
            id: r.id,
            properties: projectProperties(r, type, search.properties),
            createdAt: r.createdAt,
            updatedAt: r.updatedAt,
            archived: false,
          })),
          ...(end < matches.length ? { paging: { next: { after: String(end) } } } : {}),
        },
      };
    },
  },
];
