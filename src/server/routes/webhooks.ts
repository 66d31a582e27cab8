/**
 * POST /webhooks/hubspot: HubSpot's webhook deliveries (threats A12, G1–G4). The signature guard
 * has verified X-HubSpot-Signature-v3 over the raw body before this runs (no portal in the query:
 * the portal of each event is in the signed body). The handler only validates, persists and
 * answers: a malformed batch is a 400 with nothing stored; events of portals this backend does not
 * serve are acknowledged and dropped (a 4xx would make HubSpot retry for a day); the rest are
 * stored in one transaction (duplicates are no-ops) before the 204. The webhook processor does the
 * work later.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import type { WebhookEventInput, WebhookStore } from '../../store/webhook-ports.js';
import { invalidInputFromZod } from '../zod-errors.js';

/** HubSpot batches at most 100 events per request. */
export const MAX_WEBHOOK_EVENTS = 100;
/** Body limit of the route: 100 events with long property values fit well under 1 MB. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export interface WebhookRouteDeps {
  /** Where accepted events go (acceptBatch only). */
  webhooks: Pick<WebhookStore, 'acceptBatch'>;
  /** Whether this backend serves the portal (installed and active); others are dropped. */
  servesPortal: (portalId: number) => boolean | Promise<boolean>;
  /** Clock for receivedAt; defaults to Date.now. */
  now?: () => number;
}

const id = z.union([
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  z.string().regex(/^\d{1,20}$/),
]);
const recordId = z.union([
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  z.string().regex(/^\d{1,20}$/),
]);

/** One event as HubSpot sends it; unknown fields (changeSource, sourceId, ...) are allowed and not stored. */
const webhookEventSchema = z.object({
  eventId: id,
  subscriptionId: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  portalId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  appId: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  occurredAt: z.number().int().positive().max(8_640_000_000_000_000),
  subscriptionType: z.string().min(1).max(200),
  attemptNumber: z.number().int().nonnegative().max(1000),
  objectId: recordId.optional(),
  objectTypeId: z
    .string()
    .regex(/^\d{1,4}-\d{1,12}$/)
    .optional(),
  propertyName: z.string().min(1).max(200).optional(),
  propertyValue: z.string().max(4096).optional(),
});

/** The batch: a JSON array of 1 to 100 events. */
export const webhookBatchSchema = z.array(webhookEventSchema).min(1).max(MAX_WEBHOOK_EVENTS);

/** Validated events as the store takes them; throws AppError INVALID_INPUT (400) naming the field. */
export function parseWebhookBatch(body: unknown): WebhookEventInput[] {
  if (body === undefined) {
    throw new AppError('INVALID_INPUT', 'webhook body is empty', {
      publicMessage: 'The request body must be a JSON array of webhook events.',
    });
  }
  const parsed = webhookBatchSchema.safeParse(body);
  if (!parsed.success) throw invalidInputFromZod(parsed.error);
  return parsed.data.map((e) => ({
    portalId: e.portalId,
    eventId: String(e.eventId),
    subscriptionType: e.subscriptionType,
    objectId: e.objectId === undefined ? '' : String(e.objectId),
    objectTypeId: e.objectTypeId ?? null,
    propertyName: e.propertyName ?? null,
    propertyValue: e.propertyValue ?? null,
    occurredAt: new Date(e.occurredAt),
  }));
}

/** Handler: validate → drop other portals → persist (one transaction) → 204. */
export function webhookHandler(deps: WebhookRouteDeps): RequestHandler {
  const now = deps.now ?? Date.now;
  return async (req, res) => {
    const events = parseWebhookBatch(req.body);
    const served = new Map<number, boolean>();
    for (const portalId of new Set(events.map((e) => e.portalId))) {
      served.set(portalId, await deps.servesPortal(portalId));
    }
    const kept = events.filter((e) => served.get(e.portalId) === true);
    const dropped = events.length - kept.length;
    if (dropped > 0) {
      const portals = [...served].filter(([, ok]) => !ok).map(([p]) => p);
      res.locals.log.warn(
        { metric: 'webhook_dropped', dropped, portals },
        'webhook events for portals not served',
      );
    }
    const { accepted, duplicates } =
      kept.length === 0
        ? { accepted: 0, duplicates: 0 }
        : await deps.webhooks.acceptBatch(kept, new Date(now()));
    res.locals.log.info(
      { metric: 'webhook_accepted', received: events.length, accepted, duplicates, dropped },
      'webhook batch',
    );
    res.status(204).end();
  };
}
