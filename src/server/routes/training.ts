/**
 * The training routes of the contact card (issue 4 items 6 and 7), signed and run inside
 * withIdempotency (threats A5, A6):
 *
 * POST /api/v1/training/assignments                        {contactId, moduleId, dueDate?, idempotencyKey}
 *   A coach assigns a module to the contact's owner. 201 {assignment, created}; created is false when
 *   the rep already had it open (the second click, another coach). 400 for an unknown or retired
 *   module or a due date in the past; 404 when the caller does not coach the contact's owner (nothing
 *   about the rep is revealed). The HubSpot task is created once (see assign-training.ts).
 * POST /api/v1/training/assignments/:assignmentId/complete {idempotencyKey}
 *   The rep or a coach of the rep marks it completed. 200 {assignment}; 404 when unknown or when the
 *   caller may not see it.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { assignTrainingInputSchema } from '@pillars/contracts';
import { invalidInput } from '../../core/errors.js';
import type { FunctionContext, FunctionLogger } from '../../functions/context.js';
import type { AssignTraining } from '../../functions/training/assign-training.js';
import type { CompleteTraining } from '../../functions/training/complete-training.js';
import type { IdempotencyStore } from '../../store/idempotency-store.js';
import { IDEMPOTENCY_KEY, withIdempotency } from '../idempotency.js';
import { identityOf } from '../request-context.js';
import type { SignedIdentity } from '../request-context.js';
import type { RouteEntry } from '../route-table.js';
import { invalidInputFromZod } from '../zod-errors.js';

export interface TrainingRouteDeps {
  assignTraining: Pick<AssignTraining, 'fromCard'>;
  completeTraining: Pick<CompleteTraining, 'fromCard'>;
  idempotency: IdempotencyStore;
  contextFor: (identity: SignedIdentity, requestLogger: FunctionLogger) => Promise<FunctionContext>;
}

const idempotencyKey = z
  .string({ error: 'is required' })
  .regex(IDEMPOTENCY_KEY, { error: 'must be 8 to 128 letters, digits, "-" or "_"' });

export const assignBodySchema = assignTrainingInputSchema.extend({ idempotencyKey });
export const completeBodySchema = z.strictObject({ idempotencyKey });

const ASSIGNMENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw invalidInputFromZod(parsed.error);
  return parsed.data;
}

/** POST /api/v1/training/assignments. */
export function assignHandler(deps: TrainingRouteDeps): RequestHandler {
  return async (req, res) => {
    const identity = identityOf(res);
    const { idempotencyKey: key, ...input } = parseBody(assignBodySchema, req.body);
    const result = await withIdempotency(
      deps.idempotency,
      identity.portalId,
      `training-assign:${key}`,
      async () => {
        const ctx = await deps.contextFor(identity, res.locals.log);
        const body = await deps.assignTraining.fromCard(input, ctx);
        return { status: 201, body };
      },
    );
    res.status(result.status).set('cache-control', 'no-store').json(result.body);
  };
}

/** POST /api/v1/training/assignments/:assignmentId/complete. */
export function completeHandler(deps: TrainingRouteDeps): RequestHandler {
  return async (req, res) => {
    const identity = identityOf(res);
    const assignmentId = typeof req.params.assignmentId === 'string' ? req.params.assignmentId : '';
    if (!ASSIGNMENT_ID.test(assignmentId)) {
      throw invalidInput('assignmentId: must be an assignment id', { field: 'assignmentId' });
    }
    const { idempotencyKey: key } = parseBody(completeBodySchema, req.body);
    const result = await withIdempotency(
      deps.idempotency,
      identity.portalId,
      `training-complete:${assignmentId}:${key}`,
      async () => {
        const ctx = await deps.contextFor(identity, res.locals.log);
        const body = await deps.completeTraining.fromCard({ assignmentId }, ctx);
        return { status: 200, body };
      },
    );
    res.status(result.status).set('cache-control', 'no-store').json(result.body);
  };
}

/** The route-table entries of this file. */
export function trainingRoutes(deps: TrainingRouteDeps): RouteEntry[] {
  return [
    {
      method: 'post',
      path: '/api/v1/training/assignments',
      auth: 'hubspotSignature',
      handler: assignHandler(deps),
      bodyLimit: 8 * 1024,
    },
    {
      method: 'post',
      path: '/api/v1/training/assignments/:assignmentId/complete',
      auth: 'hubspotSignature',
      handler: completeHandler(deps),
      bodyLimit: 8 * 1024,
    },
  ];
}
