/**
 * Coaching notes, training assignments and job-run leases (issue 4): table types and the kysely
 * implementation of the ports of ./coaching-ports.ts, shared by SQLite and PostgreSQL. Booleans are
 * integer 0/1 columns (portable); timestamps ISO text; local dates `YYYY-MM-DD` text.
 *
 * Concurrency rests on the database, never on a read-then-write in JavaScript:
 * - openOnce: a partial unique index (one open assignment per portal, rep and module) and
 *   `insert ... on conflict do nothing`.
 * - claimTask and JobRunStore.claim: one conditional UPDATE decides the winner (PostgreSQL
 *   re-checks the WHERE of a blocked UPDATE against the row the winner wrote).
 */
import { randomUUID } from 'node:crypto';
import { NOTE_KINDS, RULE_METRICS, TRAINING_LIMITS } from '@pillars/contracts';
import type { AssignmentStatus, NoteKind, RuleMetric } from '@pillars/contracts';
import { sql } from 'kysely';
import type { ColumnType, Kysely, Selectable } from 'kysely';
import { AppError, invalidInput } from '../core/errors.js';
import type {
  AssignmentSource,
  CoachingNote,
  CoachingNoteStore,
  JobClaim,
  JobRunStore,
  TrainingAssignment,
  TrainingAssignmentStore,
} from './coaching-ports.js';
import type { StoreGuard } from './installation-store.js';
import type { Database } from './schema.js';
import { assertLocalDate, assertPortalId, assertValidDate, toJsonText } from './validation.js';

/** Most rows one listForRep call returns. */
export const MAX_LIST_LIMIT = 1000;
/** Largest job-run summary, as JSON text. */
export const MAX_JOB_SUMMARY_BYTES = 256 * 1024;
/** Longest stored job failure reason (longer ones are cut). */
export const MAX_JOB_REASON = 1000;
/** Longest job lease. */
export const MAX_LEASE_MS = 24 * 60 * 60 * 1000;

const HUBSPOT_ID = /^[1-9]\d{0,19}$/;
const MODULE_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const JOB_KEY = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SOURCES: readonly AssignmentSource[] = ['coach', 'rule', 'release'];
const COMPLETED_VIA: readonly NonNullable<TrainingAssignment['completedVia']>[] = [
  'task-webhook',
  'task-sync',
  'card',
];
const MAX_MODULE_VERSION = 40;
const MAX_RULE_ID = 100;

/** A bigint column as the drivers return it (see ./schema.ts). */
type Bigint = ColumnType<number | string, number, number>;
type NullableBigint = ColumnType<number | string | null, number | null, number | null>;
/** An integer column: 0/1 booleans (PostgreSQL and SQLite both return a number). */
type NullableFlag = ColumnType<number | null, number | null, number | null>;

/** One coaching note. */
export interface CoachingNotesTable {
  portal_id: Bigint;
  /** UUID. */
  id: string;
  rep_owner_id: string;
  /** 'note' | 'praise' | 'commitment' (CHECK). */
  kind: string;
  body: string;
  /** Commitments: `YYYY-MM-DD`; null otherwise. */
  due_date: string | null;
  /** Commitments: 0/1; null otherwise. */
  done: NullableFlag;
  author_user_id: Bigint;
  contact_id: string | null;
  /** ISO-8601 UTC. */
  created_at: string;
  updated_at: string;
}

/** One training assignment; at most one 'open' per (portal, rep, module) (partial unique index). */
export interface TrainingAssignmentsTable {
  portal_id: Bigint;
  /** UUID. */
  id: string;
  rep_owner_id: string;
  module_id: string;
  module_version: string;
  /** 'coach' | 'rule' | 'release' (CHECK). */
  source: string;
  rule_id: string | null;
  assigned_by_user_id: NullableBigint;
  reason: string;
  metric: string | null;
  due_date: string;
  /** 'open' | 'completed' | 'cancelled' (CHECK). */
  status: string;
  task_id: string | null;
  task_claimed_at: string | null;
  created_at: string;
  completed_at: string | null;
  completed_via: string | null;
}

/** One scheduled job run per (portal, job, period): the lease and the outcome. */
export interface JobRunsTable {
  portal_id: Bigint;
  job: string;
  period: string;
  /** 'running' | 'done' | 'failed' (CHECK). */
  status: string;
  /** ISO-8601 UTC: the holder's lease ends then. */
  lease_until: string;
  started_at: string;
  finished_at: string | null;
  /** JSON text (done runs). */
  summary: string | null;
  /** Why it failed (failed runs). */
  reason: string | null;
}

// ---------------------------------------------------------------------------------------------
// Coaching notes

/** Build the coaching notes port over db; guard is the store's shared error wrapper. */
export function createCoachingNoteStore(db: Kysely<Database>, guard: StoreGuard): CoachingNoteStore {
  async function read(portalId: number, id: string): Promise<CoachingNote | null> {
    const row = await db
      .selectFrom('coaching_notes')
      .selectAll()
      .where('portal_id', '=', portalId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? null : toNote(row);
  }

  return {
    async create(input) {
      assertPortalId(input.portalId);
      assertHubspotId('repOwnerId', input.repOwnerId);
      assertOneOf('kind', input.kind, NOTE_KINDS);
      const body = noteBody(input.body);
      if (input.kind === 'commitment') {
        assertLocalDate('dueDate', input.dueDate as string);
        if (input.done !== false)
          throw invalidInput('a new commitment must have done false', { field: 'done' });
      } else {
        if (input.dueDate !== null)
          throw invalidInput('only commitments have a due date', { field: 'dueDate' });
        if (input.done !== null) throw invalidInput('only commitments have done', { field: 'done' });
      }
      assertUserId('authorUserId', input.authorUserId);
      if (input.contactId !== null) assertHubspotId('contactId', input.contactId);
      assertValidDate('createdAt', input.createdAt);
      const at = input.createdAt.toISOString();
      const row = {
        portal_id: input.portalId,
        id: randomUUID(),
        rep_owner_id: input.repOwnerId,
        kind: input.kind,
        body,
        due_date: input.dueDate,
        done: input.done === null ? null : Number(input.done),
        author_user_id: input.authorUserId,
        contact_id: input.contactId,
        created_at: at,
        updated_at: at,
      };
      await guard('coachingNotes.create', () => db.insertInto('coaching_notes').values(row).execute());
      return toNote(row);
    },

    async get(portalId, id) {
      assertPortalId(portalId);
      if (!isUuid(id)) return null;
      return guard('coachingNotes.get', () => read(portalId, id));
    },

    async listForRep(portalId, repOwnerId, limit = 100) {
      assertPortalId(portalId);
      assertHubspotId('repOwnerId', repOwnerId);
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
        throw invalidInput(`limit must be an integer from 1 to ${MAX_LIST_LIMIT}`, { field: 'limit' });
      }
      const rows = await guard('coachingNotes.listForRep', () =>
        db
          .selectFrom('coaching_notes')
          .selectAll()
          .where('portal_id', '=', portalId)
          .where('rep_owner_id', '=', repOwnerId)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit)
          .execute(),
      );
      return rows.map(toNote);
    },

    async update(portalId, id, patch, updatedAt) {
      assertPortalId(portalId);
      assertValidDate('updatedAt', updatedAt);
      if (typeof patch !== 'object' || patch === null)
        throw invalidInput('patch must be an object', { field: 'patch' });
      const set: { body?: string; due_date?: string; done?: number; updated_at: string } = {
        updated_at: updatedAt.toISOString(),
      };
      if (patch.body !== undefined) set.body = noteBody(patch.body);
      if (patch.dueDate !== undefined) {
        assertLocalDate('dueDate', patch.dueDate);
        set.due_date = patch.dueDate;
      }
      if (patch.done !== undefined) {
        if (typeof patch.done !== 'boolean') throw invalidInput('done must be a boolean', { field: 'done' });
        set.done = Number(patch.done);
      }
      if (!isUuid(id)) return null;
      return guard('coachingNotes.update', async () => {
        const current = await read(portalId, id);
        if (current === null) return null;
        if (current.kind !== 'commitment') {
          if (set.due_date !== undefined)
            throw invalidInput('only commitments have a due date', { field: 'dueDate' });
          if (set.done !== undefined) throw invalidInput('only commitments have done', { field: 'done' });
        }
        const result = await db
          .updateTable('coaching_notes')
          .set(set)
          .where('portal_id', '=', portalId)
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst();
        return result === undefined ? null : toNote(result);
      });
    },

    async delete(portalId, id) {
      assertPortalId(portalId);
      if (!isUuid(id)) return false;
      const result = await guard('coachingNotes.delete', () =>
        db
          .deleteFrom('coaching_notes')
          .where('portal_id', '=', portalId)
          .where('id', '=', id)
          .executeTakeFirst(),
      );
      return Number(result.numDeletedRows) === 1;
    },

    async deleteForContact(portalId, contactId) {
      assertPortalId(portalId);
      assertHubspotId('contactId', contactId);
      const result = await guard('coachingNotes.deleteForContact', () =>
        db
          .deleteFrom('coaching_notes')
          .where('portal_id', '=', portalId)
          .where('contact_id', '=', contactId)
          .executeTakeFirst(),
      );
      return Number(result.numDeletedRows);
    },

    async deletePortal(portalId) {
      assertPortalId(portalId);
      await guard('deletePortal(coachingNotes)', () =>
        db.deleteFrom('coaching_notes').where('portal_id', '=', portalId).execute(),
      );
    },
  };
}

function toNote(r: Selectable<CoachingNotesTable>): CoachingNote {
  return {
    id: r.id,
    portalId: Number(r.portal_id),
    repOwnerId: r.rep_owner_id,
    kind: r.kind as NoteKind,
    body: r.body,
    dueDate: r.due_date,
    done: r.done === null ? null : Number(r.done) === 1,
    authorUserId: Number(r.author_user_id),
    contactId: r.contact_id,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

function noteBody(body: string): string {
  const text = typeof body === 'string' ? body.trim() : '';
  if (text.length === 0 || [...text].length > TRAINING_LIMITS.noteChars) {
    throw invalidInput(`body must be 1 to ${TRAINING_LIMITS.noteChars} characters`, { field: 'body' });
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// Training assignments

/** Build the training assignments port over db; guard is the store's shared error wrapper. */
export function createTrainingAssignmentStore(
  db: Kysely<Database>,
  guard: StoreGuard,
): TrainingAssignmentStore {
  async function findOpen(portalId: number, repOwnerId: string, moduleId: string) {
    return db
      .selectFrom('training_assignments')
      .selectAll()
      .where('portal_id', '=', portalId)
      .where('rep_owner_id', '=', repOwnerId)
      .where('module_id', '=', moduleId)
      .where('status', '=', 'open')
      .executeTakeFirst();
  }

  // Set status from 'open' to a final state; the WHERE makes concurrent calls finish it once.
  async function close(
    operation: string,
    portalId: number,
    id: string,
    set: { status: AssignmentStatus; completed_at?: string; completed_via?: string },
  ): Promise<TrainingAssignment | null> {
    assertPortalId(portalId);
    if (!isUuid(id)) return null;
    const row = await guard(operation, () =>
      db
        .updateTable('training_assignments')
        .set(set)
        .where('portal_id', '=', portalId)
        .where('id', '=', id)
        .where('status', '=', 'open')
        .returningAll()
        .executeTakeFirst(),
    );
    return row === undefined ? null : toAssignment(row);
  }

  return {
    async openOnce(input) {
      const row = assignmentRow(input);
      return guard('trainingAssignments.openOnce', async () => {
        // The open row may close between our conflicting insert and our read: then insert again.
        for (let attempt = 0; attempt < 5; attempt += 1) {
          const inserted = await db
            .insertInto('training_assignments')
            .values({ ...row, id: randomUUID() })
            .onConflict((oc) =>
              oc
                .columns(['portal_id', 'rep_owner_id', 'module_id'])
                // The partial index's predicate, as a literal: PostgreSQL infers the arbiter index from it.
                .where('status', '=', sql.lit('open'))
                .doNothing(),
            )
            .returningAll()
            .executeTakeFirst();
          if (inserted !== undefined) return { assignment: toAssignment(inserted), created: true };
          const open = await findOpen(input.portalId, input.repOwnerId, input.moduleId);
          if (open !== undefined) return { assignment: toAssignment(open), created: false };
        }
        throw new AppError('CONFLICT', 'store: trainingAssignments.openOnce kept racing with closes');
      });
    },

    async get(portalId, id) {
      assertPortalId(portalId);
      if (!isUuid(id)) return null;
      const row = await guard('trainingAssignments.get', () =>
        db
          .selectFrom('training_assignments')
          .selectAll()
          .where('portal_id', '=', portalId)
          .where('id', '=', id)
          .executeTakeFirst(),
      );
      return row === undefined ? null : toAssignment(row);
    },

    async claimTask(portalId, id, now, staleBefore) {
      assertPortalId(portalId);
      assertValidDate('now', now);
      assertValidDate('staleBefore', staleBefore);
      if (!isUuid(id)) return false;
      const result = await guard('trainingAssignments.claimTask', () =>
        db
          .updateTable('training_assignments')
          .set({ task_claimed_at: now.toISOString() })
          .where('portal_id', '=', portalId)
          .where('id', '=', id)
          .where('task_id', 'is', null)
          .where((eb) =>
            eb.or([eb('task_claimed_at', 'is', null), eb('task_claimed_at', '<', staleBefore.toISOString())]),
          )
          .executeTakeFirst(),
      );
      return Number(result.numUpdatedRows) === 1;
    },

    async recordTask(portalId, id, taskId) {
      assertPortalId(portalId);
      assertUuid(id);
      assertHubspotId('taskId', taskId);
      await guard('trainingAssignments.recordTask', () =>
        db
          .updateTable('training_assignments')
          .set({ task_id: taskId })
          .where('portal_id', '=', portalId)
          .where('id', '=', id)
          .execute(),
      );
    },

    async releaseTaskClaim(portalId, id) {
      assertPortalId(portalId);
      assertUuid(id);
      await guard('trainingAssignments.releaseTaskClaim', () =>
        db
          .updateTable('training_assignments')
          .set({ task_claimed_at: null })
          .where('portal_id', '=', portalId)
          .where('id', '=', id)
          .where('task_id', 'is', null)
          .execute(),
      );
    },

    async complete(portalId, id, at, via) {
      assertValidDate('at', at);
      assertOneOf('via', via, COMPLETED_VIA);
      return close('trainingAssignments.complete', portalId, id, {
        status: 'completed',
        completed_at: at.toISOString(),
        completed_via: via,
      });
    },

    async cancel(portalId, id) {
      return close('trainingAssignments.cancel', portalId, id, { status: 'cancelled' });
    },

    async findByTask(portalId, taskId) {
      assertPortalId(portalId);
      assertHubspotId('taskId', taskId);
      const row = await guard('trainingAssignments.findByTask', () =>
        db
          .selectFrom('training_assignments')
          .selectAll()
          .where('portal_id', '=', portalId)
          .where('task_id', '=', taskId)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .executeTakeFirst(),
      );
      return row === undefined ? null : toAssignment(row);
    },

    async listForRep(portalId, repOwnerId) {
      assertPortalId(portalId);
      assertHubspotId('repOwnerId', repOwnerId);
      const rows = await guard('trainingAssignments.listForRep', () =>
        db
          .selectFrom('training_assignments')
          .selectAll()
          .where('portal_id', '=', portalId)
          .where('rep_owner_id', '=', repOwnerId)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .execute(),
      );
      return rows.map(toAssignment);
    },

    async listForPortal(portalId, options = {}) {
      assertPortalId(portalId);
      const { since, status } = options;
      if (since !== undefined) assertValidDate('since', since);
      if (status !== undefined) assertOneOf('status', status, ['open', 'completed', 'cancelled']);
      const rows = await guard('trainingAssignments.listForPortal', () => {
        let q = db.selectFrom('training_assignments').selectAll().where('portal_id', '=', portalId);
        if (since !== undefined) q = q.where('created_at', '>=', since.toISOString());
        if (status !== undefined) q = q.where('status', '=', status);
        return q.orderBy('created_at').orderBy('id').execute();
      });
      return rows.map(toAssignment);
    },

    async deletePortal(portalId) {
      assertPortalId(portalId);
      await guard('deletePortal(trainingAssignments)', () =>
        db.deleteFrom('training_assignments').where('portal_id', '=', portalId).execute(),
      );
    },
  };
}

/** Validate a new assignment into its row (without the id). */
function assignmentRow(input: Parameters<TrainingAssignmentStore['openOnce']>[0]) {
  assertPortalId(input.portalId);
  assertHubspotId('repOwnerId', input.repOwnerId);
  if (typeof input.moduleId !== 'string' || !MODULE_ID.test(input.moduleId)) {
    throw invalidInput('moduleId must be 1 to 64 letters, digits or ._:-', { field: 'moduleId' });
  }
  const version = typeof input.moduleVersion === 'string' ? input.moduleVersion.trim() : '';
  if (version.length === 0 || version.length > MAX_MODULE_VERSION) {
    throw invalidInput(`moduleVersion must be 1 to ${MAX_MODULE_VERSION} characters`, {
      field: 'moduleVersion',
    });
  }
  assertOneOf('source', input.source, SOURCES);
  if (input.ruleId !== null) {
    if (input.source !== 'rule')
      throw invalidInput('only rule assignments have a ruleId', { field: 'ruleId' });
    if (typeof input.ruleId !== 'string' || input.ruleId.length === 0 || input.ruleId.length > MAX_RULE_ID) {
      throw invalidInput(`ruleId must be 1 to ${MAX_RULE_ID} characters`, { field: 'ruleId' });
    }
  }
  if (input.source === 'coach') {
    assertUserId('assignedByUserId', input.assignedByUserId as number);
  } else if (input.assignedByUserId !== null) {
    throw invalidInput('only coach assignments have assignedByUserId', { field: 'assignedByUserId' });
  }
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason.length === 0 || [...reason].length > TRAINING_LIMITS.reasonChars) {
    throw invalidInput(`reason must be 1 to ${TRAINING_LIMITS.reasonChars} characters`, { field: 'reason' });
  }
  if (input.metric !== null) assertOneOf('metric', input.metric, RULE_METRICS);
  assertLocalDate('dueDate', input.dueDate);
  assertValidDate('createdAt', input.createdAt);
  return {
    portal_id: input.portalId,
    rep_owner_id: input.repOwnerId,
    module_id: input.moduleId,
    module_version: version,
    source: input.source,
    rule_id: input.ruleId,
    assigned_by_user_id: input.assignedByUserId,
    reason,
    metric: input.metric,
    due_date: input.dueDate,
    status: 'open',
    task_id: null,
    task_claimed_at: null,
    created_at: input.createdAt.toISOString(),
    completed_at: null,
    completed_via: null,
  };
}

function toAssignment(r: Selectable<TrainingAssignmentsTable>): TrainingAssignment {
  return {
    id: r.id,
    portalId: Number(r.portal_id),
    repOwnerId: r.rep_owner_id,
    moduleId: r.module_id,
    moduleVersion: r.module_version,
    source: r.source as AssignmentSource,
    ruleId: r.rule_id,
    assignedByUserId: r.assigned_by_user_id === null ? null : Number(r.assigned_by_user_id),
    reason: r.reason,
    metric: r.metric as RuleMetric | null,
    dueDate: r.due_date,
    status: r.status as AssignmentStatus,
    taskId: r.task_id,
    taskClaimedAt: r.task_claimed_at === null ? null : new Date(r.task_claimed_at),
    createdAt: new Date(r.created_at),
    completedAt: r.completed_at === null ? null : new Date(r.completed_at),
    completedVia: r.completed_via as TrainingAssignment['completedVia'],
  };
}

// ---------------------------------------------------------------------------------------------
// Job runs

/** Build the job-run leases port over db; guard is the store's shared error wrapper. */
export function createJobRunStore(db: Kysely<Database>, guard: StoreGuard): JobRunStore {
  return {
    async claim(portalId, job, period, now, leaseMs): Promise<JobClaim> {
      assertRunKey(portalId, job, period);
      assertValidDate('now', now);
      if (!Number.isSafeInteger(leaseMs) || leaseMs <= 0 || leaseMs > MAX_LEASE_MS) {
        throw invalidInput(`leaseMs must be an integer from 1 to ${MAX_LEASE_MS}`, { field: 'leaseMs' });
      }
      const at = now.toISOString();
      const until = new Date(now.getTime() + leaseMs).toISOString();
      const lease = {
        status: 'running',
        lease_until: until,
        started_at: at,
        finished_at: null,
        summary: null,
        reason: null,
      };
      return guard('jobRuns.claim', async () => {
        const inserted = await db
          .insertInto('job_runs')
          .values({ portal_id: portalId, job, period, ...lease })
          .onConflict((oc) => oc.columns(['portal_id', 'job', 'period']).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return 'claimed';
        // One conditional UPDATE decides who takes over a failed run or an expired lease.
        const taken = await db
          .updateTable('job_runs')
          .set(lease)
          .where('portal_id', '=', portalId)
          .where('job', '=', job)
          .where('period', '=', period)
          .where((eb) =>
            eb.or([
              eb('status', '=', 'failed'),
              eb.and([eb('status', '=', 'running'), eb('lease_until', '<', at)]),
            ]),
          )
          .executeTakeFirst();
        if (Number(taken.numUpdatedRows) === 1) return 'claimed';
        const row = await db
          .selectFrom('job_runs')
          .select('status')
          .where('portal_id', '=', portalId)
          .where('job', '=', job)
          .where('period', '=', period)
          .executeTakeFirst();
        // Deleted in between (deletePortal) counts as someone else's business: report running.
        return row?.status === 'done' ? 'done' : 'running';
      });
    },

    async finish(portalId, job, period, at, summary) {
      assertRunKey(portalId, job, period);
      assertValidDate('at', at);
      const text = toJsonText('summary', summary);
      if (Buffer.byteLength(text, 'utf8') > MAX_JOB_SUMMARY_BYTES) {
        throw invalidInput(`summary is larger than ${MAX_JOB_SUMMARY_BYTES} bytes as JSON`, {
          field: 'summary',
        });
      }
      const done = {
        status: 'done',
        lease_until: at.toISOString(),
        finished_at: at.toISOString(),
        summary: text,
        reason: null,
      };
      await guard('jobRuns.finish', () =>
        db
          .insertInto('job_runs')
          .values({ portal_id: portalId, job, period, started_at: at.toISOString(), ...done })
          .onConflict((oc) => oc.columns(['portal_id', 'job', 'period']).doUpdateSet(done))
          .execute(),
      );
    },

    async fail(portalId, job, period, at, reason) {
      assertRunKey(portalId, job, period);
      assertValidDate('at', at);
      const text = String(reason).slice(0, MAX_JOB_REASON);
      // A finished run stays finished: a late failure report must not make it run again.
      await guard('jobRuns.fail', () =>
        db
          .updateTable('job_runs')
          .set({
            status: 'failed',
            lease_until: at.toISOString(),
            finished_at: at.toISOString(),
            reason: text,
          })
          .where('portal_id', '=', portalId)
          .where('job', '=', job)
          .where('period', '=', period)
          .where('status', '=', 'running')
          .execute(),
      );
    },

    async lastFinished(portalId, job) {
      assertPortalId(portalId);
      assertJobKey('job', job);
      const row = await guard('jobRuns.lastFinished', () =>
        db
          .selectFrom('job_runs')
          .select(['period', 'finished_at', 'summary'])
          .where('portal_id', '=', portalId)
          .where('job', '=', job)
          .where('status', '=', 'done')
          .orderBy('finished_at', 'desc')
          .orderBy('period', 'desc')
          .executeTakeFirst(),
      );
      if (row === undefined || row.finished_at === null) return null;
      let summary: unknown = null;
      if (row.summary !== null) {
        try {
          summary = JSON.parse(row.summary) as unknown;
        } catch (cause) {
          throw new AppError('INTERNAL', 'store: stored job summary does not parse', { cause });
        }
      }
      return { period: row.period, finishedAt: new Date(row.finished_at), summary };
    },

    async deletePortal(portalId) {
      assertPortalId(portalId);
      await guard('deletePortal(jobRuns)', () =>
        db.deleteFrom('job_runs').where('portal_id', '=', portalId).execute(),
      );
    },
  };
}

function assertRunKey(portalId: number, job: string, period: string): void {
  assertPortalId(portalId);
  assertJobKey('job', job);
  assertJobKey('period', period);
}

function assertJobKey(field: string, value: string): void {
  if (typeof value !== 'string' || !JOB_KEY.test(value)) {
    throw invalidInput(`${field} must be 1-100 letters, digits or ._:- and start with a letter or digit`, {
      field,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Shared checks

function assertHubspotId(field: string, value: string): void {
  if (typeof value !== 'string' || !HUBSPOT_ID.test(value)) {
    throw invalidInput(`${field} must be a HubSpot id (digits)`, { field });
  }
}

function assertUserId(field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw invalidInput(`${field} must be a positive integer`, { field });
  }
}

function assertOneOf<T extends string>(
  field: string,
  value: string,
  allowed: readonly T[],
): asserts value is T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidInput(`${field} must be one of ${allowed.join(', ')}`, { field });
  }
}

function isUuid(id: string): boolean {
  return typeof id === 'string' && UUID.test(id);
}

function assertUuid(id: string): void {
  if (!isUuid(id)) throw invalidInput('id must be a UUID', { field: 'id' });
}
