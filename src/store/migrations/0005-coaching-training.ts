/**
 * 0005: coaching notes, training assignments (at most one open per portal, rep and module, held by
 * a partial unique index) and job runs (a lease per portal, job and period, so a scheduled job runs
 * once across processes). Portable SQL only (the kysely schema builder); booleans are integer 0/1;
 * see ../schema.ts for the other type conventions.
 */
import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';

export const migration0005CoachingTraining: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('coaching_notes')
      .addColumn('portal_id', 'bigint', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('rep_owner_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('due_date', 'text')
      .addColumn('done', 'integer')
      .addColumn('author_user_id', 'bigint', (c) => c.notNull())
      .addColumn('contact_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('coaching_notes_pk', ['portal_id', 'id'])
      .addCheckConstraint('coaching_notes_kind_check', sql`kind in ('note', 'praise', 'commitment')`)
      .addCheckConstraint('coaching_notes_done_check', sql`done is null or done in (0, 1)`)
      .execute();
    // A rep's notes, newest first.
    await db.schema
      .createIndex('coaching_notes_rep_idx')
      .on('coaching_notes')
      .columns(['portal_id', 'rep_owner_id', 'created_at'])
      .execute();
    // Privacy deletion of one contact's notes.
    await db.schema
      .createIndex('coaching_notes_contact_idx')
      .on('coaching_notes')
      .columns(['portal_id', 'contact_id'])
      .execute();

    await db.schema
      .createTable('training_assignments')
      .addColumn('portal_id', 'bigint', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('rep_owner_id', 'text', (c) => c.notNull())
      .addColumn('module_id', 'text', (c) => c.notNull())
      .addColumn('module_version', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('rule_id', 'text')
      .addColumn('assigned_by_user_id', 'bigint')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('metric', 'text')
      .addColumn('due_date', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('task_id', 'text')
      .addColumn('task_claimed_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('completed_at', 'text')
      .addColumn('completed_via', 'text')
      .addPrimaryKeyConstraint('training_assignments_pk', ['portal_id', 'id'])
      .addCheckConstraint('training_assignments_source_check', sql`source in ('coach', 'rule', 'release')`)
      .addCheckConstraint(
        'training_assignments_status_check',
        sql`status in ('open', 'completed', 'cancelled')`,
      )
      .execute();
    await db.schema
      .createIndex('training_assignments_rep_idx')
      .on('training_assignments')
      .columns(['portal_id', 'rep_owner_id'])
      .execute();
    await db.schema
      .createIndex('training_assignments_task_idx')
      .on('training_assignments')
      .columns(['portal_id', 'task_id'])
      .execute();
    // At most one open assignment per (portal, rep, module); closed ones may repeat.
    await db.schema
      .createIndex('training_assignments_open_uq')
      .on('training_assignments')
      .columns(['portal_id', 'rep_owner_id', 'module_id'])
      .unique()
      .where(sql.ref('status'), '=', 'open')
      .execute();

    await db.schema
      .createTable('job_runs')
      .addColumn('portal_id', 'bigint', (c) => c.notNull())
      .addColumn('job', 'text', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('lease_until', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('summary', 'text')
      .addColumn('reason', 'text')
      .addPrimaryKeyConstraint('job_runs_pk', ['portal_id', 'job', 'period'])
      .addCheckConstraint('job_runs_status_check', sql`status in ('running', 'done', 'failed')`)
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('job_runs').execute();
    await db.schema.dropTable('training_assignments').execute();
    await db.schema.dropTable('coaching_notes').execute();
  },
};
