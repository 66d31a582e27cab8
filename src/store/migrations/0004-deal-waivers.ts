/**
 * 0004: deal waivers (a rep's decision that a stage criterion does not apply to a deal; one active
 * waiver per portal, deal and criterion, a newer decision replacing the older) and the idempotency
 * keys of state-changing routes (threats A5, A6, D6: the first response is stored and replayed).
 * Portable SQL only (the kysely schema builder); see ../schema.ts for the type conventions.
 */
import type { Kysely, Migration } from 'kysely';

export const migration0004DealWaivers: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('deal_waivers')
      .addColumn('portal_id', 'bigint', (c) => c.notNull())
      .addColumn('deal_id', 'text', (c) => c.notNull())
      .addColumn('criterion_id', 'text', (c) => c.notNull())
      .addColumn('stage_id', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('user_id', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('deal_waivers_pk', ['portal_id', 'deal_id', 'criterion_id'])
      .execute();

    await db.schema
      .createTable('idempotency_keys')
      .addColumn('portal_id', 'bigint', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      // Null while the first request is in progress; then the response (status and body) as JSON.
      .addColumn('response', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['portal_id', 'key'])
      .execute();
    await db.schema
      .createIndex('idempotency_keys_created_idx')
      .on('idempotency_keys')
      .column('created_at')
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('idempotency_keys').execute();
    await db.schema.dropTable('deal_waivers').execute();
  },
};
