/**
 * The deal card's state-changing routes (issue 3 items 6 and 7), both behind HubSpot's signature and
 * run inside withIdempotency (threats A5, A6):
 *
 * POST /api/v1/deal-guidance/waivers    {dealId, criterionId, reason, idempotencyKey}
 *   Waive an unmet criterion of the deal's current stage. The user is the signed userId, never the
 *   body. 400 for an empty or over-long reason or a criterion the stage's playbook does not have,
 *   404 for an unknown deal. Answers 200 with the fresh DealGuidance (the cached one is dropped).
 *
 * POST /api/v1/deal-guidance/follow-up  {dealId, idempotencyKey, subject?, dueInDays?}
 *   Create one HubSpot task for the deal owner, associated to the deal, due in dueInDays (1-30,
 *   default 2), its subject the next step's hint unless given. Exactly once (threat D6): the claim of
 *   the idempotency key is the recorded intent; the task body carries the marker
 *   `[pillars:<idempotencyKey>]`; before creating, and after a create that failed as
 *   HUBSPOT_TEMPORARY (HubSpot may have committed it), the deal's tasks are searched for the marker.
 *   Answers 201 {task}.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { DealGuidance } from '@pillars/contracts';
import { AppError, isAppError } from '../../core/errors.js';
import type { CrmRecord } from '../../core/crm.js';
import type { DealGuidanceInput } from '../../functions/deal-guidance/deal-guidance.js';
import type { FunctionContext, FunctionLogger, PillarsFunction } from '../../functions/context.js';
import type { IdempotencyStore } from '../../store/idempotency-store.js';
import { MAX_WAIVER_REASON } from '../../store/waiver-store.js';
import type { WaiverStore } from '../../store/waiver-store.js';
import { IDEMPOTENCY_KEY, withIdempotency } from '../idempotency.js';
import { identityOf } from '../request-context.js';
import type { SignedIdentity } from '../request-context.js';
import type { RouteEntry } from '../route-table.js';
import { invalidInputFromZod } from '../zod-errors.js';

/** HubSpot-defined association type id: task → deal. */
export const TASK_TO_DEAL_ASSOCIATION = 216;
/** Longest task subject we send. */
export const MAX_TASK_SUBJECT = 200;
/** The subject when neither the request nor the next step gives one. */
export const DEFAULT_TASK_SUBJECT = 'Follow up on this deal';
const DAY_MS = 86_400_000;

export interface DealActionsRouteDeps {
  dealGuidance: PillarsFunction<DealGuidanceInput, DealGuidance> & {
    invalidateDeal(portalId: number, dealId: string): void;
  };
  waivers: Pick<WaiverStore, 'waive'>;
  idempotency: IdempotencyStore;
  contextFor: (identity: SignedIdentity, requestLogger: FunctionLogger) => Promise<FunctionContext>;
}

const dealId = z
  .string({ error: 'is required' })
  .regex(/^[1-9]\d{0,19}$/, { error: 'must be a HubSpot deal id (digits only)' });
const idempotencyKey = z
  .string({ error: 'is required' })
  .regex(IDEMPOTENCY_KEY, { error: 'must be 8 to 128 letters, digits, "-" or "_"' });

export const waiverBodySchema = z.strictObject({
  dealId,
  criterionId: z.string({ error: 'is required' }).min(1, { error: 'is required' }).max(100),
  reason: z
    .string({ error: 'is required' })
    .trim()
    .min(1, { error: 'is required' })
    .refine((s) => [...s].length <= MAX_WAIVER_REASON, {
      error: `must be at most ${MAX_WAIVER_REASON} characters`,
    }),
  idempotencyKey,
});

export const followUpBodySchema = z.strictObject({
  dealId,
  idempotencyKey,
  subject: z.string().trim().min(1, { error: 'must not be empty' }).max(MAX_TASK_SUBJECT).optional(),
  dueInDays: z.number().int().min(1).max(30).optional(),
});

/** The follow-up route's answer. */
export interface FollowUpTask {
  id: string;
  subject: string;
  dueAt: string;
  ownerId: string | null;
  status: string;
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw invalidInputFromZod(parsed.error);
  return parsed.data;
}

function signedUser(identity: SignedIdentity): number {
  if (identity.userId === null) {
    throw new AppError('INVALID_INPUT', 'signed request carries no userId', {
      publicMessage: 'This action needs a HubSpot user; reload the record.',
      details: { field: 'userId' },
    });
  }
  return identity.userId;
}

/** POST /api/v1/deal-guidance/waivers. */
export function waiverHandler(deps: DealActionsRouteDeps): RequestHandler {
  return async (req, res) => {
    const identity = identityOf(res);
    const body = parseBody(waiverBodySchema, req.body);
    const userId = signedUser(identity);
    const { portalId } = identity;
    const result = await withIdempotency(
      deps.idempotency,
      portalId,
      `waiver:${body.idempotencyKey}`,
      async () => {
        const ctx = await deps.contextFor(identity, res.locals.log);
        // The current stage decides which criteria exist: read it fresh, not from the cache.
        deps.dealGuidance.invalidateDeal(portalId, body.dealId);
        const current = await deps.dealGuidance({ dealId: body.dealId }, ctx);
        if (!current.criteria.some((c) => c.id === body.criterionId)) {
          throw new AppError(
            'INVALID_INPUT',
            `criterion ${body.criterionId} is not in stage ${current.stage.id}`,
            {
              publicMessage: `criterionId: not a criterion of the deal's current stage (${current.stage.label}).`,
              details: { field: 'criterionId' },
            },
          );
        }
        await deps.waivers.waive({
          portalId,
          dealId: body.dealId,
          criterionId: body.criterionId,
          stageId: current.stage.id,
          reason: body.reason,
          userId,
          createdAt: ctx.now(),
        });
        deps.dealGuidance.invalidateDeal(portalId, body.dealId);
        const fresh = await deps.dealGuidance({ dealId: body.dealId }, ctx);
        return { status: 200, body: fresh };
      },
    );
    res.status(result.status).set('cache-control', 'no-store').json(result.body);
  };
}

const TASK_PROPERTIES = [
  'hs_task_subject',
  'hs_task_body',
  'hs_timestamp',
  'hubspot_owner_id',
  'hs_task_status',
];

/** The deal's task carrying the marker, if HubSpot has one. */
async function findMarkedTask(
  ctx: FunctionContext,
  dealId: string,
  marker: string,
): Promise<CrmRecord | null> {
  let found: CrmRecord | null = null;
  await ctx.hubspot.searchAll(
    'tasks',
    {
      filterGroups: [{ filters: [{ propertyName: 'associations.deal', operator: 'EQ', value: dealId }] }],
      properties: TASK_PROPERTIES,
    },
    (page) => {
      found ??= page.find((t) => (t.properties.hs_task_body ?? '').includes(marker)) ?? null;
    },
  );
  return found;
}

function toTask(
  record: CrmRecord,
  fallback: { subject: string; dueAt: string; ownerId: string | null },
): FollowUpTask {
  const p = record.properties;
  const due = p.hs_timestamp
    ? new Date(/^\d+$/.test(p.hs_timestamp) ? Number(p.hs_timestamp) : p.hs_timestamp)
    : null;
  return {
    id: record.id,
    subject: p.hs_task_subject ?? fallback.subject,
    dueAt: due && !Number.isNaN(due.getTime()) ? due.toISOString() : fallback.dueAt,
    ownerId: p.hubspot_owner_id ?? fallback.ownerId,
    status: p.hs_task_status ?? 'NOT_STARTED',
  };
}

/** POST /api/v1/deal-guidance/follow-up. */
export function followUpHandler(deps: DealActionsRouteDeps): RequestHandler {
  return async (req, res) => {
    const identity = identityOf(res);
    const body = parseBody(followUpBodySchema, req.body);
    const { portalId } = identity;
    const key = body.idempotencyKey;
    const result = await withIdempotency(deps.idempotency, portalId, `follow-up:${key}`, async () => {
      const ctx = await deps.contextFor(identity, res.locals.log);
      const [deal] = await ctx.hubspot.batchRead('deals', [body.dealId], ['hubspot_owner_id', 'dealname']);
      if (!deal) {
        throw new AppError('NOT_FOUND', `deal ${body.dealId} not found`, {
          publicMessage:
            'This deal was not found in HubSpot. It may have been deleted or merged; reload the record.',
        });
      }
      const hint = body.subject ?? (await deps.dealGuidance({ dealId: body.dealId }, ctx)).nextStep.text;
      const subject = (hint.trim() || DEFAULT_TASK_SUBJECT).slice(0, MAX_TASK_SUBJECT);
      const ownerId = deal.properties.hubspot_owner_id ?? null;
      const dueAt = new Date(ctx.now().getTime() + (body.dueInDays ?? 2) * DAY_MS).toISOString();
      const marker = `[pillars:${key}]`;
      const fallback = { subject, dueAt, ownerId };

      // An earlier attempt with this key may have created the task before failing: look first.
      const earlier = await findMarkedTask(ctx, body.dealId, marker);
      if (earlier) return { status: 201, body: { task: toTask(earlier, fallback) } };

      const properties: Record<string, string> = {
        hs_task_subject: subject,
        hs_task_body: `Created from the Pillars deal card. ${marker}`,
        hs_timestamp: dueAt,
        hs_task_status: 'NOT_STARTED',
        hs_task_type: 'TODO',
      };
      if (ownerId) properties.hubspot_owner_id = ownerId;
      let created: CrmRecord;
      try {
        created = await ctx.hubspot.createObject('tasks', {
          properties,
          associations: [
            { toObjectType: 'deals', toId: body.dealId, associationTypeId: TASK_TO_DEAL_ASSOCIATION },
          ],
        });
      } catch (error) {
        if (!isAppError(error) || error.code !== 'HUBSPOT_TEMPORARY') throw error;
        // HubSpot may have committed before failing: never re-create blindly.
        const committed = await findMarkedTask(ctx, body.dealId, marker);
        if (!committed) throw error;
        ctx.logger.warn(
          { dealId: body.dealId },
          'task create failed after HubSpot committed it; found by marker',
        );
        created = committed;
      }
      return { status: 201, body: { task: toTask(created, fallback) } };
    });
    res.status(result.status).set('cache-control', 'no-store').json(result.body);
  };
}

/** The route-table entries of this file (signed POSTs with small JSON bodies). */
export function dealActionRoutes(deps: DealActionsRouteDeps): RouteEntry[] {
  return [
    {
      method: 'post',
      path: '/api/v1/deal-guidance/waivers',
      auth: 'hubspotSignature',
      handler: waiverHandler(deps),
      bodyLimit: 8 * 1024,
    },
    {
      method: 'post',
      path: '/api/v1/deal-guidance/follow-up',
      auth: 'hubspotSignature',
      handler: followUpHandler(deps),
      bodyLimit: 8 * 1024,
    },
  ];
}
