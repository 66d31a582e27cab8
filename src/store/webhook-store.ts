/**
 * The kysely implementation of WebhookStore and ExceptionStore (see ./webhook-ports.ts), shared by
 * SQLite and PostgreSQL.
 *
 * - acceptBatch: `INSERT ... ON CONFLICT DO NOTHING` in one transaction (a duplicate is a no-op,
 *   threats G1), rows sorted by key so two overlapping batches lock rows in the same order on
 *   PostgreSQL. Calls that arrive while a commit is in flight share the next transaction (group
 *   commit): each still gets its own counts, and all of them fail together if it fails.
 * - claimPending: one transaction selects due rows (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite:
 *   BEGIN IMMEDIATE already holds the write lock) and leases them with a fresh token, so two
 *   workers never hold the same event; an expired lease makes the event due again (G5).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { AppError, invalidInput } from '../core/errors.js';
import type { StoreCapabilities } from './capabilities.js';
import type { StoreGuard } from './installation-store.js';
import type { Database } from './schema.js';
import type { StageExceptionsTable, WebhookEventsTable } from './webhook-schema.js';
import type {
  ExceptionStore,
  StageException,
  StoredStageChange,
  WebhookEvent,
  WebhookEventInput,
  WebhookEventStatus,
  WebhookStore,
} from './webhook-ports.js';
import { assertPortalId, assertValidDate, chunk } from './validation.js';

/** Most events one acceptBatch may carry (HubSpot sends at most 100 per request). */
export const MAX_BATCH_EVENTS = 1000;
/** Most events one claim may lease. */
export const MAX_CLAIM = 500;
const MAX_TEXT = 4096; // property values and error texts are truncated/refused past this
const EVENT_ID = /^\d{1,20}$/;
const RECORD_ID = /^\d{0,20}$/;
const WEBHOOK_COLUMNS = 14;
const DEAL_SUBSCRIPTIONS = ['deal.propertyChange', 'object.propertyChange'];

/** Build the webhook queue over db; guard is the store's shared error wrapper. */
export function createWebhookStore(
  db: Kysely<Database>,
  caps: StoreCapabilities,
  guard: StoreGuard,
): WebhookStore {
  type Row = ReturnType<typeof eventRow>;
  interface Waiter {
    rows: Row[];
    resolve: (accepted: number) => void;
    reject: (error: unknown) => void;
  }
  // Group commit: deliveries that arrive while a transaction is being written share the next one,
  // so 200 concurrent deliveries cost a few commits (fsyncs on SQLite), not 200. Each delivery's
  // rows are inserted separately inside it, so every caller still learns its own new/duplicate count.
  let queue: Waiter[] = [];
  let flushing = false;

  async function insertRows(trx: Transaction<Database>, rows: readonly Row[]): Promise<number> {
    let inserted = 0;
    for (const batch of chunk(rows, Math.floor(caps.maxBindParameters / WEBHOOK_COLUMNS))) {
      const result = await trx
        .insertInto('webhook_events')
        .values(batch)
        .onConflict((oc) => oc.columns(['portal_id', 'event_id']).doNothing())
        .returning('event_id')
        .execute();
      inserted += result.length;
    }
    return inserted;
  }

  async function flush(): Promise<void> {
    flushing = true;
    while (queue.length > 0) {
      const group = queue;
      queue = [];
      try {
        const counts = await guard('webhooks.acceptBatch', () =>
          db.transaction().execute(async (trx) => {
            const out: number[] = [];
            for (const waiter of group) out.push(await insertRows(trx, waiter.rows));
            return out;
          }),
        );
        group.forEach((waiter, i) => waiter.resolve(counts[i] ?? 0));
      } catch (error) {
        for (const waiter of group) waiter.reject(error);
      }
    }
    flushing = false;
  }

  function groupCommit(rows: Row[]): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      queue.push({ rows, resolve, reject });
      if (!flushing) void flush();
    });
  }

  return {
    async acceptBatch(events, receivedAt) {
      assertValidDate('receivedAt', receivedAt);
      if (!Array.isArray(events)) throw invalidInput('events must be an array', { field: 'events' });
      if (events.length > MAX_BATCH_EVENTS) {
        throw invalidInput(`a batch holds at most ${MAX_BATCH_EVENTS} events`, { field: 'events' });
      }
      const at = receivedAt.toISOString();
      const rows = events.map((e, i) => eventRow(e, i, at));
      const unique = new Map(rows.map((r) => [`${r.portal_id}:${r.event_id}`, r]));
      const sorted = [...unique.values()].sort((a, b) =>
        a.portal_id !== b.portal_id
          ? a.portal_id - b.portal_id
          : a.event_id.length !== b.event_id.length
            ? a.event_id.length - b.event_id.length
            : a.event_id < b.event_id
              ? -1
              : a.event_id > b.event_id
                ? 1
                : 0,
      );
      if (sorted.length === 0) return { accepted: 0, duplicates: events.length };
      const accepted = await groupCommit(sorted);
      return { accepted, duplicates: events.length - accepted };
    },

    async claimPending(limit, now, leaseMs) {
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_CLAIM) {
        throw invalidInput(`limit must be 1..${MAX_CLAIM}`, { field: 'limit' });
      }
      assertValidDate('now', now);
      if (!Number.isSafeInteger(leaseMs) || leaseMs < 1) {
        throw invalidInput('leaseMs must be a positive integer', { field: 'leaseMs' });
      }
      const at = now.toISOString();
      const until = new Date(now.getTime() + leaseMs).toISOString();
      const token = randomUUID();
      const rows = await guard('webhooks.claimPending', () =>
        db.transaction().execute(async (trx) => {
          const q = trx
            .selectFrom('webhook_events')
            .select(['portal_id', 'event_id'])
            .where('status', 'in', ['pending', 'processing'])
            .where('available_at', '<=', at)
            .orderBy('occurred_at')
            .orderBy('portal_id')
            .orderBy('event_id')
            .limit(limit);
          const due = await (caps.rowLocks ? q.forUpdate().skipLocked() : q).execute();
          if (due.length === 0) return [];
          const claimed: Selectable<WebhookEventsTable>[] = [];
          for (const key of due) {
            const row = await trx
              .updateTable('webhook_events')
              .set((eb) => ({
                status: 'processing',
                lease_token: token,
                available_at: until,
                attempts: eb('attempts', '+', 1),
              }))
              .where('portal_id', '=', Number(key.portal_id))
              .where('event_id', '=', key.event_id)
              .where('status', 'in', ['pending', 'processing'])
              .where('available_at', '<=', at)
              .returningAll()
              .executeTakeFirst();
            if (row !== undefined) claimed.push(row);
          }
          return claimed;
        }),
      );
      return rows.map(toEvent);
    },

    async markDone(portalId, eventId, leaseToken, at) {
      assertPortalId(portalId);
      assertEventId(eventId);
      assertValidDate('at', at);
      const result = await guard('webhooks.markDone', () =>
        db
          .updateTable('webhook_events')
          .set({ status: 'done', lease_token: null, available_at: at.toISOString(), last_error: null })
          .where('portal_id', '=', portalId)
          .where('event_id', '=', eventId)
          .where('status', '=', 'processing')
          .where('lease_token', '=', leaseToken)
          .executeTakeFirst(),
      );
      return Number(result.numUpdatedRows) === 1;
    },

    async markDoneMany(events, at) {
      for (const e of events) {
        assertPortalId(e.portalId);
        assertEventId(e.eventId);
      }
      assertValidDate('at', at);
      if (events.length === 0) return [];
      return guard('webhooks.markDoneMany', () =>
        db.transaction().execute(async (trx) => {
          const done: boolean[] = [];
          for (const e of events) {
            const result = await trx
              .updateTable('webhook_events')
              .set({ status: 'done', lease_token: null, available_at: at.toISOString(), last_error: null })
              .where('portal_id', '=', e.portalId)
              .where('event_id', '=', e.eventId)
              .where('status', '=', 'processing')
              .where('lease_token', '=', e.leaseToken)
              .executeTakeFirst();
            done.push(Number(result.numUpdatedRows) === 1);
          }
          return done;
        }),
      );
    },

    async markFailed(portalId, eventId, leaseToken, error, retryAt) {
      assertPortalId(portalId);
      assertEventId(eventId);
      if (retryAt !== null) assertValidDate('retryAt', retryAt);
      const text = String(error).slice(0, MAX_TEXT);
      const result = await guard('webhooks.markFailed', () =>
        db
          .updateTable('webhook_events')
          .set({
            status: retryAt === null ? 'failed' : 'pending',
            lease_token: null,
            last_error: text,
            ...(retryAt === null ? {} : { available_at: retryAt.toISOString() }),
          })
          .where('portal_id', '=', portalId)
          .where('event_id', '=', eventId)
          .where('status', '=', 'processing')
          .where('lease_token', '=', leaseToken)
          .executeTakeFirst(),
      );
      return Number(result.numUpdatedRows) === 1;
    },

    async get(portalId, eventId) {
      assertPortalId(portalId);
      assertEventId(eventId);
      const row = await guard('webhooks.get', () =>
        db
          .selectFrom('webhook_events')
          .selectAll()
          .where('portal_id', '=', portalId)
          .where('event_id', '=', eventId)
          .executeTakeFirst(),
      );
      return row === undefined ? null : toEvent(row);
    },

    async stageChanges(portalId, dealId): Promise<StoredStageChange[]> {
      assertPortalId(portalId);
      assertRecordId('dealId', dealId);
      const rows = await guard('webhooks.stageChanges', () =>
        db
          .selectFrom('webhook_events')
          .select([
            'event_id',
            'property_value',
            'occurred_at',
            'status',
            'subscription_type',
            'object_type_id',
          ])
          .where('portal_id', '=', portalId)
          .where('object_id', '=', dealId)
          .where('property_name', '=', 'dealstage')
          .where('subscription_type', 'in', DEAL_SUBSCRIPTIONS)
          .orderBy('occurred_at')
          .orderBy('event_id')
          .execute(),
      );
      return rows
        .filter((r) => r.subscription_type === 'deal.propertyChange' || r.object_type_id === '0-3')
        .map((r) => ({
          eventId: r.event_id,
          stageId: r.property_value ?? '',
          occurredAt: new Date(r.occurred_at),
          status: toStatus(r.status),
        }));
    },

    async purgeDone(before) {
      assertValidDate('before', before);
      const result = await guard('webhooks.purgeDone', () =>
        db
          .deleteFrom('webhook_events')
          .where('status', '=', 'done')
          .where('received_at', '<', before.toISOString())
          .executeTakeFirst(),
      );
      return Number(result.numDeletedRows);
    },

    async deletePortal(portalId) {
      assertPortalId(portalId);
      await guard('deletePortal(webhooks)', () =>
        db.deleteFrom('webhook_events').where('portal_id', '=', portalId).execute(),
      );
    },
  };
}

/** Build the stage-exception store over db. */
export function createExceptionStore(db: Kysely<Database>, guard: StoreGuard): ExceptionStore {
  return {
    async record(exception) {
      assertPortalId(exception.portalId);
      assertRecordId('dealId', exception.dealId, true);
      assertStageId('fromStageId', exception.fromStageId);
      assertStageId('toStageId', exception.toStageId);
      assertValidDate('occurredAt', exception.occurredAt);
      const ownerId = exception.ownerId ?? null;
      if (ownerId !== null) assertRecordId('ownerId', ownerId, true);
      if (
        !Array.isArray(exception.criterionIds) ||
        exception.criterionIds.some((c) => typeof c !== 'string' || c.length === 0 || c.length > 200)
      ) {
        throw invalidInput('criterionIds must be non-empty strings', { field: 'criterionIds' });
      }
      const result = await guard('exceptions.record', () =>
        db
          .insertInto('stage_exceptions')
          .values({
            portal_id: exception.portalId,
            deal_id: exception.dealId,
            from_stage_id: exception.fromStageId,
            to_stage_id: exception.toStageId,
            criterion_ids: JSON.stringify([...exception.criterionIds]),
            occurred_at: exception.occurredAt.toISOString(),
            recorded_at: new Date().toISOString(),
            owner_id: ownerId,
          })
          .onConflict((oc) =>
            oc.columns(['portal_id', 'deal_id', 'occurred_at', 'from_stage_id']).doNothing(),
          )
          .returning('deal_id')
          .execute(),
      );
      return result.length === 1;
    },

    async listForPortal(portalId, query = {}) {
      assertPortalId(portalId);
      if (query.since !== undefined) assertValidDate('since', query.since);
      const rows = await guard('exceptions.listForPortal', () => {
        let q = db.selectFrom('stage_exceptions').selectAll().where('portal_id', '=', portalId);
        if (query.since !== undefined) q = q.where('occurred_at', '>=', query.since.toISOString());
        return q.orderBy('occurred_at').orderBy('deal_id').orderBy('from_stage_id').execute();
      });
      return rows.map(toException);
    },

    async deletePortal(portalId) {
      assertPortalId(portalId);
      await guard('deletePortal(exceptions)', () =>
        db.deleteFrom('stage_exceptions').where('portal_id', '=', portalId).execute(),
      );
    },
  };
}

function eventRow(e: WebhookEventInput, i: number, receivedAt: string) {
  const field = (name: string): string => `events[${i}].${name}`;
  if (typeof e !== 'object' || e === null)
    throw invalidInput(`events[${i}] must be an object`, { field: field('') });
  assertPortalId(e.portalId);
  if (typeof e.eventId !== 'string' || !EVENT_ID.test(e.eventId)) {
    throw invalidInput(`${field('eventId')} must be digits`, { field: field('eventId') });
  }
  assertShortText(field('subscriptionType'), e.subscriptionType, false);
  assertRecordId(field('objectId'), e.objectId);
  assertShortText(field('objectTypeId'), e.objectTypeId, true);
  assertShortText(field('propertyName'), e.propertyName, true);
  if (
    e.propertyValue !== null &&
    (typeof e.propertyValue !== 'string' || e.propertyValue.length > MAX_TEXT)
  ) {
    throw invalidInput(`${field('propertyValue')} must be text of at most ${MAX_TEXT} characters`, {
      field: field('propertyValue'),
    });
  }
  assertValidDate(field('occurredAt'), e.occurredAt);
  return {
    portal_id: e.portalId,
    event_id: e.eventId,
    subscription_type: e.subscriptionType,
    object_id: e.objectId,
    object_type_id: e.objectTypeId,
    property_name: e.propertyName,
    property_value: e.propertyValue,
    occurred_at: e.occurredAt.toISOString(),
    received_at: receivedAt,
    status: 'pending',
    attempts: 0,
    available_at: receivedAt,
    lease_token: null,
    last_error: null,
  };
}

function toStatus(status: string): WebhookEventStatus {
  if (status === 'pending' || status === 'processing' || status === 'done' || status === 'failed')
    return status;
  throw new AppError('INTERNAL', `store: webhook event has status ${status}`);
}

function toEvent(row: Selectable<WebhookEventsTable>): WebhookEvent {
  return {
    portalId: Number(row.portal_id),
    eventId: row.event_id,
    subscriptionType: row.subscription_type,
    objectId: row.object_id,
    objectTypeId: row.object_type_id,
    propertyName: row.property_name,
    propertyValue: row.property_value,
    occurredAt: new Date(row.occurred_at),
    receivedAt: new Date(row.received_at),
    status: toStatus(row.status),
    attempts: Number(row.attempts),
    leaseToken: row.lease_token ?? '',
    lastError: row.last_error,
  };
}

function toException(row: Selectable<StageExceptionsTable>): StageException {
  let ids: unknown;
  try {
    ids = JSON.parse(row.criterion_ids);
  } catch (cause) {
    throw new AppError('INTERNAL', 'store: stage exception criterion ids do not parse', { cause });
  }
  if (!Array.isArray(ids) || ids.some((c) => typeof c !== 'string')) {
    throw new AppError('INTERNAL', 'store: stage exception criterion ids are not a list of strings');
  }
  return {
    portalId: Number(row.portal_id),
    dealId: row.deal_id,
    fromStageId: row.from_stage_id,
    toStageId: row.to_stage_id,
    criterionIds: ids as string[],
    occurredAt: new Date(row.occurred_at),
    ownerId: row.owner_id ?? null,
  };
}

function assertEventId(eventId: string): void {
  if (typeof eventId !== 'string' || !EVENT_ID.test(eventId)) {
    throw invalidInput('eventId must be digits', { field: 'eventId' });
  }
}

function assertRecordId(field: string, value: string, nonEmpty = false): void {
  if (typeof value !== 'string' || !RECORD_ID.test(value) || (nonEmpty && value.length === 0)) {
    throw invalidInput(`${field} must be a HubSpot record id (digits)`, { field });
  }
}

function assertStageId(field: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200) {
    throw invalidInput(`${field} must be a stage id`, { field });
  }
}

function assertShortText(field: string, value: string | null, nullable: boolean): void {
  if (value === null && nullable) return;
  if (typeof value !== 'string' || value.length === 0 || value.length > 200) {
    throw invalidInput(`${field} must be text of 1-200 characters`, { field });
  }
}
