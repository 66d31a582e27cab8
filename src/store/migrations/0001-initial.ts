/**
 * 0001: weekly metric snapshots, snapshot runs and per-portal settings.
 * Portable SQL only (the kysely schema builder); see ../schema.ts for the type conventions.
 */
import type { Kysely, Migration } from 'kysely';

export const migration0001Initial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('metric_snapshots')
      .addColumn('portal_id', 'bigint', (c) => c.notNull())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('week_start', 'text', (c) => c.notNull())
      .addColumn('metrics', 'text', (c) => c.notNull())
      .addColumn('computed_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('metric_snapshots_pk', ['portal_id', 'owner_id', 'week_start'])
      .execute();
    // The primary key serves one owner's trend; this serves a whole week (team views, replaceWeek).
    await db.schema
      .createIndex('metric_snapshots_portal_week_idx')
      .on('metric_snapshots')
      .columns(['portal_id', 'week_start'])
      .execute();

    await db.schema
      .createTable('snapshot_runs')
      .addColumn('portal_id', 'bigint', (c) => c.notNull())
      .addColumn('week_start', 'text', (c) => c.notNull())
      .addColumn('computed_at', 'text', (c) => c.notNull())
      .addColumn('owners', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('snapshot_runs_pk', ['portal_id', 'week_start'])
      .execute();

    await db.schema
      .createTable('portal_settings')
      .addColumn('portal_id', 'bigint', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('portal_settings_pk', ['portal_id', 'key'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('portal_settings').execute();
    await db.schema.dropTable('snapshot_runs').execute();
    await db.schema.dropTable('metric_snapshots').execute();
  },
};
