/**
 * 0006: the deal owner on stage exceptions, so the coaching pillar can tell whose process an
 * exception belongs to ("clean process" praise, the weekly pack) without reading every deal again.
 * Additive and nullable: rows recorded before it keep a null owner, and a build from before it
 * still writes rows (the column defaults to null). Portable SQL only.
 */
import type { Kysely, Migration } from 'kysely';

export const migration0006ExceptionOwner: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('stage_exceptions').addColumn('owner_id', 'text').execute();
    await db.schema
      .createIndex('stage_exceptions_owner_idx')
      .on('stage_exceptions')
      .columns(['portal_id', 'owner_id', 'occurred_at'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('stage_exceptions_owner_idx').execute();
    await db.schema.alterTable('stage_exceptions').dropColumn('owner_id').execute();
  },
};
