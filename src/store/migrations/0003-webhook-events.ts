/**
 * 0003: webhook events (dedupe on (portal, eventId) and the durable work queue in one table,
 * threats G1/G5) and stage exceptions (deals that left a stage with required criteria unmet).
 * Portable SQL only (the kysely schema builder); see ../schema.ts for the type conventions.
 */
import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';

export const migration0003WebhookEvents: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('webhook_events')
      .addColumn('portal_id', 'bigint', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('subscription_type', 'text', (c) => c.notNull())
      .addColumn('object_id', 'text', (c) => c.notNull())
      .addColumn('object_type_id', 'text')
      .addColumn('property_name', 'text')
      .addColumn('property_value', 'text')
      .addColumn('occurred_at', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('available_at', 'text', (c) => c.notNull())
      .addColumn('lease_token', 'text')
      .addColumn('last_error', 'text')
      .addPrimaryKeyConstraint('webhook_events_pk', ['portal_id', 'event_id'])
      .addCheckConstraint(
        'webhook_events_status_check',
        sql`status in ('pending', 'processing', 'done', 'failed')`,
      )
      .execute();
    // The worker's claim: due events by status and time.
    await db.schema
      .createIndex('webhook_events_due_idx')
      .on('webhook_events')
      .columns(['status', 'available_at'])
      .execute();
    // Ordering checks read one deal's stage changes.
    await db.schema
      .createIndex('webhook_events_object_idx')
      .on('webhook_events')
      .columns(['portal_id', 'object_id'])
      .execute();

    await db.schema
      .createTable('stage_exceptions')
      .addColumn('portal_id', 'bigint', (c) => c.notNull())
      .addColumn('deal_id', 'text', (c) => c.notNull())
      .addColumn('from_stage_id', 'text', (c) => c.notNull())
      .addColumn('to_stage_id', 'text', (c) => c.notNull())
      .addColumn('criterion_ids', 'text', (c) => c.notNull())
      .addColumn('occurred_at', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('stage_exceptions_pk', [
        'portal_id',
        'deal_id',
        'occurred_at',
        'from_stage_id',
      ])
      .execute();
    await db.schema
      .createIndex('stage_exceptions_portal_time_idx')
      .on('stage_exceptions')
      .columns(['portal_id', 'occurred_at'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('stage_exceptions').execute();
    await db.schema.dropTable('webhook_events').execute();
  },
};
