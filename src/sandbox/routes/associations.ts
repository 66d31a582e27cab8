/**
 * POST /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read: associated ids per input
 * id (at most 1,000 inputs). Ids without associations are left out of results and reported in
 * errors with a 207, as HubSpot does.
 */
import { z } from 'zod';
import { associationLabel, singularOf } from '../associations.js';
import { validationError } from '../hubspot-errors.js';
import { objectTypeParam, parseJsonBody, portalOf, type RouteDef } from '../http.js';

/** HubSpot's input limit for association batch reads. */
export const MAX_ASSOCIATION_INPUTS = 1_000;

const bodySchema = z.looseObject({
  inputs: z.array(
    z.looseObject({ id: z.union([z.string(), z.number()]).transform(String), after: z.string().nullish() }),
  ),
});

function toObjectId(id: string): number | string {
  return /^\d{1,15}$/.test(id) ? Number(id) : id;
}

/** Association v4 batch read. */
export const associationRoutes: RouteDef[] = [
  {
    method: 'POST',
    pattern: '/crm/v4/associations/:fromObjectType/:toObjectType/batch/read',
    auth: 'bearer',
    kind: 'general',
    handler: (ctx, env) => {
      const portal = portalOf(ctx);
      const from = objectTypeParam(ctx, 'fromObjectType');
      const to = objectTypeParam(ctx, 'toObjectType');
      const body = parseJsonBody(ctx, bodySchema);
      if (body.inputs.length > MAX_ASSOCIATION_INPUTS) {
        throw validationError(
          `Batch read accepts at most ${MAX_ASSOCIATION_INPUTS} inputs; got ${body.inputs.length}.`,
        );
      }
      const startedAt = new Date(env.now()).toISOString();
      const results: Record<string, unknown>[] = [];
      const empty: string[] = [];
      const seen = new Set<string>();
      for (const { id } of body.inputs) {
        if (seen.has(id)) continue;
        seen.add(id);
        const edges = portal.associations.list(from, id, to);
        if (edges.length === 0) {
          empty.push(id);
          continue;
        }
        results.push({
          from: { id },
          to: edges.map((e) => ({
            toObjectId: toObjectId(e.toId),
            associationTypes: e.typeIds.map((typeId) => ({
              category: 'HUBSPOT_DEFINED',
              typeId,
              label: associationLabel(typeId),
            })),
          })),
        });
      }
      const completedAt = new Date(env.now()).toISOString();
      if (empty.length === 0)
        return { status: 200, body: { status: 'COMPLETE', results, startedAt, completedAt } };
      return {
        status: 207,
        body: {
          status: 'COMPLETE',
          results,
          numErrors: empty.length,
          errors: empty.map((id) => ({
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
            message: `No ${singularOf(to)} is associated with ${singularOf(from)} ${id}.`,
            context: { fromObjectId: [id], toObjectType: [to] },
          })),
          startedAt,
          completedAt,
        },
      };
    },
  },
];
