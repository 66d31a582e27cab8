/**
 * The playbook API for ops (issue 3 item 2), until the settings page exists. Signed, super admins
 * only (requireAdmin):
 *
 * GET    /api/v1/settings/playbooks/:pipelineId  → 200 { source: 'stored'|'default', playbook }
 * PUT    /api/v1/settings/playbooks/:pipelineId  { playbook, idempotencyKey } → 200 { source: 'stored', playbook }
 *   400 naming the failing field (`playbook.stages.x.goal: ...`), 404 for an unknown pipeline, 400
 *   when playbook.pipelineId is not the path's. Runs inside withIdempotency.
 * DELETE /api/v1/settings/playbooks/:pipelineId  → 200 { source: 'default', playbook } (the stored one is gone)
 *
 * A change drops every cached guidance of the portal and the pipeline's stored stage timing (its
 * SLA days come from the playbook), so the next card view uses the new playbook.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Playbook } from '@pillars/contracts';
import { AppError, invalidInput, isAppError } from '../../core/errors.js';
import type { Pipeline } from '../../core/crm.js';
import { defaultPlaybook, parsePlaybook } from '../../core/process/index.js';
import { playbookKey, stageTimingKey } from '../../functions/deal-guidance/deal-guidance.js';
import type { FunctionContext, FunctionLogger } from '../../functions/context.js';
import { loadPlaybook } from '../../functions/playbook-source.js';
import type { IdempotencyStore } from '../../store/idempotency-store.js';
import type { SettingsStore } from '../../store/ports.js';
import { IDEMPOTENCY_KEY, withIdempotency } from '../idempotency.js';
import { identityOf } from '../request-context.js';
import type { SignedIdentity } from '../request-context.js';
import { requireAdmin } from '../require-admin.js';
import type { RouteEntry } from '../route-table.js';
import { invalidInputFromZod } from '../zod-errors.js';

export interface PlaybookSettingsRouteDeps {
  settings: Pick<SettingsStore, 'get' | 'put' | 'delete'>;
  idempotency: IdempotencyStore;
  /** Drop the portal's cached guidances (deal-guidance's invalidatePortal). */
  invalidatePortal: (portalId: number) => void;
  contextFor: (identity: SignedIdentity, requestLogger: FunctionLogger) => Promise<FunctionContext>;
}

/** Largest PUT body: a playbook at its limits stays well under this. */
export const PLAYBOOK_BODY_LIMIT = 512 * 1024;

const PIPELINE_ID = /^[A-Za-z0-9_-]{1,64}$/;

const putBodySchema = z.strictObject({
  playbook: z.unknown().refine((v) => v !== undefined, { error: 'is required' }),
  idempotencyKey: z
    .string({ error: 'is required' })
    .regex(IDEMPOTENCY_KEY, { error: 'must be 8 to 128 letters, digits, "-" or "_"' }),
});

function pipelineIdOf(param: unknown): string {
  const id = typeof param === 'string' ? param : '';
  if (!PIPELINE_ID.test(id)) throw invalidInput('pipelineId: must be a pipeline id', { field: 'pipelineId' });
  return id;
}

/** The pipeline, or 404. */
async function pipelineOf(ctx: FunctionContext, pipelineId: string): Promise<Pipeline> {
  const pipeline = (await ctx.hubspot.listDealPipelines()).find((p) => p.id === pipelineId);
  if (!pipeline) {
    throw new AppError('NOT_FOUND', `pipeline ${pipelineId} not found`, {
      publicMessage: `No deal pipeline ${pipelineId} in this HubSpot account.`,
    });
  }
  return pipeline;
}

/** parsePlaybook with the field named from the request body (`playbook.…`). */
function parseBodyPlaybook(value: unknown): Playbook {
  try {
    return parsePlaybook(value);
  } catch (e) {
    if (!isAppError(e) || e.code !== 'INVALID_INPUT') throw e;
    const inner = typeof e.details?.field === 'string' ? e.details.field : 'playbook';
    const field = inner === 'playbook' ? 'playbook' : `playbook.${inner}`;
    const problem = e.message.slice(e.message.indexOf(': ') + 2);
    throw invalidInput(`${field}: ${problem}`, { field });
  }
}

/** Signed identity → context → admin check; every route here starts with it. */
async function adminContext(
  deps: PlaybookSettingsRouteDeps,
  identity: SignedIdentity,
  log: FunctionLogger,
): Promise<FunctionContext> {
  const ctx = await deps.contextFor(identity, log);
  await requireAdmin(ctx);
  return ctx;
}

async function invalidate(deps: PlaybookSettingsRouteDeps, portalId: number, pipelineId: string) {
  await deps.settings.delete(portalId, stageTimingKey(pipelineId));
  deps.invalidatePortal(portalId);
}

export function getPlaybookHandler(deps: PlaybookSettingsRouteDeps): RequestHandler {
  return async (req, res) => {
    const identity = identityOf(res);
    const pipelineId = pipelineIdOf(req.params.pipelineId);
    const ctx = await adminContext(deps, identity, res.locals.log);
    const pipeline = await pipelineOf(ctx, pipelineId);
    res.status(200).json(await loadPlaybook(deps.settings, ctx.portalId, pipeline));
  };
}

export function putPlaybookHandler(deps: PlaybookSettingsRouteDeps): RequestHandler {
  return async (req, res) => {
    const identity = identityOf(res);
    const pipelineId = pipelineIdOf(req.params.pipelineId);
    const ctx = await adminContext(deps, identity, res.locals.log);
    const parsed = putBodySchema.safeParse(req.body ?? {});
    if (!parsed.success) throw invalidInputFromZod(parsed.error);
    const body = parsed.data;
    // Bad input fails before the idempotency key is claimed (nothing is written for it).
    const playbook = parseBodyPlaybook(body.playbook);
    const result = await withIdempotency(
      deps.idempotency,
      ctx.portalId,
      `playbook:${body.idempotencyKey}`,
      async () => {
        await pipelineOf(ctx, pipelineId);
        if (playbook.pipelineId !== pipelineId) {
          throw invalidInput(`playbook.pipelineId: must be ${pipelineId}, the pipeline of the URL`, {
            field: 'playbook.pipelineId',
          });
        }
        await deps.settings.put(ctx.portalId, playbookKey(pipelineId), playbook);
        await invalidate(deps, ctx.portalId, pipelineId);
        ctx.logger.info({ pipelineId, userId: ctx.userId }, 'playbook stored');
        return { status: 200, body: { source: 'stored', playbook } };
      },
    );
    res.status(result.status).json(result.body);
  };
}

export function deletePlaybookHandler(deps: PlaybookSettingsRouteDeps): RequestHandler {
  return async (req, res) => {
    const identity = identityOf(res);
    const pipelineId = pipelineIdOf(req.params.pipelineId);
    const ctx = await adminContext(deps, identity, res.locals.log);
    const pipeline = await pipelineOf(ctx, pipelineId);
    await deps.settings.delete(ctx.portalId, playbookKey(pipelineId));
    await invalidate(deps, ctx.portalId, pipelineId);
    ctx.logger.info({ pipelineId, userId: ctx.userId }, 'playbook reset to the default');
    res.status(200).json({ source: 'default', playbook: defaultPlaybook(pipeline) });
  };
}

/** The route-table entries of this file. */
export function playbookSettingsRoutes(deps: PlaybookSettingsRouteDeps): RouteEntry[] {
  const path = '/api/v1/settings/playbooks/:pipelineId';
  return [
    { method: 'get', path, auth: 'hubspotSignature', handler: getPlaybookHandler(deps) },
    {
      method: 'put',
      path,
      auth: 'hubspotSignature',
      handler: putPlaybookHandler(deps),
      bodyLimit: PLAYBOOK_BODY_LIMIT,
    },
    { method: 'delete', path, auth: 'hubspotSignature', handler: deletePlaybookHandler(deps) },
  ];
}
