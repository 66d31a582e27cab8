/**
 * GET /calling/v1/dispositions: the portal's call outcomes (HubSpot's six defaults when the
 * fixture lists none), as a bare array.
 */
import { portalOf, type RouteDef } from '../http.js';

/** Call dispositions. */
export const dispositionRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/calling/v1/dispositions',
    auth: 'bearer',
    kind: 'general',
    handler: (ctx) => ({
      status: 200,
      body: portalOf(ctx).dispositions.map((d) => ({ id: d.id, label: d.label, deleted: false })),
    }),
  },
];
