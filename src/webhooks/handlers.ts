/**
 * What Pillars does with each webhook event (issue 3 items 6 and 8):
 *
 * - deal `dealstage` change (`object.propertyChange` on 0-3, or legacy `deal.propertyChange`):
 *   drop the deal's cached guidance, then find the stage it left and, when that stage's required
 *   criteria were unmet and not waived at the change, record a stage exception (see stage-exit.ts).
 *   Order (threats G2): the stage left is the previous stored change of the deal *by occurredAt*,
 *   never by arrival, so a late older event never stands in for a newer one; without a stored
 *   predecessor, HubSpot's exit dates name it. When an older change arrives after a newer one was
 *   handled, the newer transition is checked again with the stage left now known. Exceptions are
 *   keyed on (deal, occurredAt, stage left), so reprocessing is a no-op and both delivery orders
 *   give the same rows.
 * - engagement creation (`object.creation` of calls, meetings, tasks, notes, emails): drop the
 *   guidance of the deals it is associated with (one associations read).
 * - `contact.privacyDeletion` (threats E9): the stored data derived from the contact is deleted through
 *   `deleteContactData` (the coaching notes written on the contact's record). Waivers and stage
 *   exceptions are per deal and snapshots per owner and week, so none holds contact data; the event
 *   row itself keeps ids only. A missing `deleteContactData` (single-portal tools) only logs.
 * - task `hs_task_status` becoming COMPLETED (`object.propertyChange` on 0-27): the training
 *   assignment whose task it is is completed (via 'task-webhook'); a task no assignment has is ignored.
 *   Idempotent: only an open assignment is completed.
 */
import type { FunctionLogger } from '../functions/context.js';
import type { EngagementType } from '../core/crm.js';
import type { HubSpotGateway } from '../hubspot/gateway.js';
import type { ExceptionStore, WebhookEvent, WebhookStore } from '../store/webhook-ports.js';
import type { WebhookHandler } from './processor.js';
import { inferFromStage, readDealAtChange, unmetOnExit } from './stage-exit.js';
import type { DealAtChange, StageExitDeps } from './stage-exit.js';

/** HubSpot object type ids of the engagement types (object.* events carry objectTypeId). */
export const ENGAGEMENT_TYPE_IDS: Readonly<Record<string, EngagementType>> = {
  '0-48': 'calls',
  '0-47': 'meetings',
  '0-27': 'tasks',
  '0-46': 'notes',
  '0-49': 'emails',
};
export const DEAL_TYPE_ID = '0-3';
export const TASK_TYPE_ID = '0-27';

export interface WebhookHandlerDeps extends StageExitDeps {
  /** The portal's gateway, or null when the portal is not served (the event is then acknowledged). */
  gatewayFor: (portalId: number) => HubSpotGateway | null | Promise<HubSpotGateway | null>;
  /** Delete what Pillars stored about a contact (privacy deletion); returns how many rows went. */
  deleteContactData?: (portalId: number, contactId: string) => Promise<number>;
  invalidateDeal: (portalId: number, dealId: string) => void;
  webhooks: Pick<WebhookStore, 'stageChanges'>;
  exceptions: Pick<ExceptionStore, 'record'>;
  logger: FunctionLogger;
  /** Completes the training assignment of a completed task (complete-training.ts); absent: events ignored. */
  trainingTasks?: {
    byTask(portalId: number, taskId: string, at: Date, via: 'task-webhook'): Promise<unknown>;
  };
}

/** Whether the event is a task's status becoming COMPLETED. */
export function isTaskCompleted(e: WebhookEvent): boolean {
  return (
    e.subscriptionType === 'object.propertyChange' &&
    e.objectTypeId === TASK_TYPE_ID &&
    e.propertyName === 'hs_task_status' &&
    e.propertyValue === 'COMPLETED' &&
    e.objectId !== ''
  );
}

/** Whether the event is a change of a deal's stage. */
export function isDealStageChange(e: WebhookEvent): boolean {
  if (e.propertyName !== 'dealstage' || e.objectId === '') return false;
  return (
    e.subscriptionType === 'deal.propertyChange' ||
    (e.subscriptionType === 'object.propertyChange' && e.objectTypeId === DEAL_TYPE_ID)
  );
}

/** The handlers, in match order. */
export function createWebhookHandlers(deps: WebhookHandlerDeps): WebhookHandler[] {
  const log = deps.logger;

  /** Record an exception when the deal left fromStageId at occurredAt with required criteria unmet. */
  async function checkExit(
    hubspot: HubSpotGateway,
    read: DealAtChange,
    change: { portalId: number; fromStageId: string; toStageId: string; occurredAt: Date },
  ): Promise<void> {
    const { portalId, fromStageId, toStageId, occurredAt } = change;
    if (fromStageId === toStageId) return;
    const dealId = read.deal.id;
    const unmet = await unmetOnExit(deps, hubspot, portalId, read, fromStageId, occurredAt);
    if (unmet.length === 0) return;
    const fresh = await deps.exceptions.record({
      portalId,
      dealId,
      fromStageId,
      toStageId,
      criterionIds: unmet,
      occurredAt,
      ownerId: read.deal.properties.hubspot_owner_id || null,
    });
    log.info({ portalId, dealId, fromStageId, toStageId, criteria: unmet.length, fresh }, 'stage exception');
  }

  const dealStage: WebhookHandler = {
    name: 'dealStage',
    matches: isDealStageChange,
    async handle(event) {
      const { portalId, objectId: dealId, occurredAt } = event;
      const toStageId = event.propertyValue ?? '';
      deps.invalidateDeal(portalId, dealId);
      const hubspot = await deps.gatewayFor(portalId);
      if (!hubspot || toStageId === '') return;

      // Stored changes of the deal by occurrence: the one before names the stage left; a later one
      // already handled (it arrived first) learns its stage left only now, so it is checked again.
      const changes = await deps.webhooks.stageChanges(portalId, dealId);
      const t = occurredAt.getTime();
      const before = changes.filter((c) => c.eventId !== event.eventId && c.occurredAt.getTime() < t).at(-1);
      const after = changes.find((c) => c.eventId !== event.eventId && c.occurredAt.getTime() > t);
      const read = await readDealAtChange(deps, hubspot, portalId, dealId);
      if (!read) {
        log.info({ portalId, dealId }, 'deal of a stage change is gone or in an unknown pipeline');
        return;
      }
      const fromStageId = before?.stageId ?? inferFromStage(read, toStageId, occurredAt);
      if (fromStageId === null) {
        log.info({ portalId, dealId, eventId: event.eventId }, 'stage left is unknown; no exception check');
      } else {
        await checkExit(hubspot, read, { portalId, fromStageId, toStageId, occurredAt });
      }
      if (after?.status === 'done') {
        log.info({ portalId, dealId, eventId: event.eventId }, 'stage change arrived after a newer one');
        await checkExit(hubspot, read, {
          portalId,
          fromStageId: toStageId,
          toStageId: after.stageId,
          occurredAt: after.occurredAt,
        });
      }
    },
  };

  const engagementCreated: WebhookHandler = {
    name: 'engagementCreated',
    matches: (e) =>
      e.subscriptionType === 'object.creation' &&
      e.objectTypeId !== null &&
      e.objectTypeId in ENGAGEMENT_TYPE_IDS &&
      e.objectId !== '',
    async handle(event) {
      const type = ENGAGEMENT_TYPE_IDS[event.objectTypeId ?? ''];
      const hubspot = await deps.gatewayFor(event.portalId);
      if (!type || !hubspot) return;
      const links = await hubspot.batchReadAssociations(type, 'deals', [event.objectId]);
      for (const dealId of links.get(event.objectId) ?? []) deps.invalidateDeal(event.portalId, dealId);
    },
  };

  const privacyDeletion: WebhookHandler = {
    name: 'privacyDeletion',
    matches: (e) => e.subscriptionType === 'contact.privacyDeletion',
    async handle(event) {
      const { portalId, eventId, objectId: contactId } = event;
      if (!deps.deleteContactData) {
        log.warn(
          { portalId, eventId, metric: 'privacy_deletion_pending' },
          'contact privacy deletion received; no contact-data deletion is wired in this process',
        );
        return;
      }
      if (contactId === '') {
        log.warn({ portalId, eventId }, 'contact privacy deletion without a contact id; nothing to delete');
        return;
      }
      const deleted = await deps.deleteContactData(portalId, contactId);
      log.info({ portalId, eventId, deleted, metric: 'privacy_deletion' }, 'contact data deleted');
    },
  };

  const trainingTaskCompleted: WebhookHandler = {
    name: 'trainingTaskCompleted',
    matches: isTaskCompleted,
    async handle(event) {
      if (!deps.trainingTasks || !(await deps.gatewayFor(event.portalId))) return;
      const done = await deps.trainingTasks.byTask(
        event.portalId,
        event.objectId,
        event.occurredAt,
        'task-webhook',
      );
      if (done)
        log.info({ portalId: event.portalId, taskId: event.objectId }, 'training completed from its task');
    },
  };

  return [dealStage, engagementCreated, privacyDeletion, trainingTaskCompleted];
}
