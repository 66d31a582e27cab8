/**
 * Deal pipelines: GET /crm/v3/pipelines/deals and GET /crm/v3/pipelines/deals/{pipelineId}.
 */
import type { FixturePipeline } from '../fixture.js';
import { notFound, validationError } from '../hubspot-errors.js';
import { portalOf, type RouteContext, type RouteDef } from '../http.js';

const FIXED_TIME = '2024-01-01T00:00:00.000Z';

function pipelineJson(p: FixturePipeline): Record<string, unknown> {
  return {
    id: p.id,
    label: p.label,
    displayOrder: p.displayOrder,
    archived: p.archived,
    createdAt: FIXED_TIME,
    updatedAt: FIXED_TIME,
    stages: [...p.stages]
      .sort((a, b) => a.displayOrder - b.displayOrder)
      .map((s) => ({
        id: s.id,
        label: s.label,
        displayOrder: s.displayOrder,
        metadata: { ...s.metadata },
        archived: s.archived,
        createdAt: FIXED_TIME,
        updatedAt: FIXED_TIME,
        writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
      })),
  };
}

function requireDeals(ctx: RouteContext): void {
  const t = ctx.params.objectType.toLowerCase();
  if (t !== 'deals' && t !== 'deal' && t !== '0-3') {
    throw validationError(
      `The sandbox serves deal pipelines only; got object type "${ctx.params.objectType}".`,
    );
  }
}

/** Deal pipelines. */
export const pipelineRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/crm/v3/pipelines/:objectType',
    auth: 'bearer',
    kind: 'general',
    handler: (ctx) => {
      requireDeals(ctx);
      const pipelines = portalOf(ctx)
        .pipelines.filter((p) => !p.archived)
        .sort((a, b) => a.displayOrder - b.displayOrder);
      return { status: 200, body: { results: pipelines.map(pipelineJson) } };
    },
  },
  {
    method: 'GET',
    pattern: '/crm/v3/pipelines/:objectType/:pipelineId',
    auth: 'bearer',
    kind: 'general',
    handler: (ctx) => {
      requireDeals(ctx);
      const p = portalOf(ctx).pipelines.find((x) => x.id === ctx.params.pipelineId);
      if (!p) throw notFound(`Unable to find pipeline with id ${ctx.params.pipelineId}.`);
      return { status: 200, body: pipelineJson(p) };
    },
  },
];
