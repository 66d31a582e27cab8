/**
 * The periodic training sync (issue 4 item 7b): the safety net under the task webhook. It reads the
 * HubSpot tasks of the portal's open assignments (batch reads of 100) and completes those whose task
 * is COMPLETED (via 'task-sync'). A task deleted in HubSpot leaves its assignment open (the rep or a
 * coach can still complete it from the card) and is logged. Open assignments still without a task
 * (a create that failed, or whose claim went stale) get their task now, exactly once as always.
 *
 * HubSpot requests: ceil(open assignments with a task / 100) batch reads, plus one search and one
 * create per missing task.
 */
import { parseInstant } from '../core/time/instant.js';
import type { FunctionContext } from '../functions/context.js';
import type { AssignTraining } from '../functions/training/assign-training.js';
import type { CompleteTraining } from '../functions/training/complete-training.js';
import type { TrainingAssignmentStore } from '../store/coaching-ports.js';
import type { ScheduledJob } from './scheduler.js';

export interface TrainingSyncDeps {
  assignments: Pick<TrainingAssignmentStore, 'listForPortal'>;
  completeTraining: Pick<CompleteTraining, 'byTask'>;
  assignTraining: Pick<AssignTraining, 'ensureTask'>;
}

export interface TrainingSyncSummary {
  portalId: number;
  /** Open assignments whose task was read. */
  checked: number;
  completed: number;
  /** Tasks HubSpot no longer has (deleted): their assignments stay open. */
  missing: number;
  /** Tasks created for open assignments that had none. */
  tasksCreated: number;
  /** Tasks that could not be created this time (a later sync retries). */
  taskErrors: number;
}

/** Sync the open assignments of the context's portal with their HubSpot tasks. */
export async function runTrainingSync(
  ctx: FunctionContext,
  deps: TrainingSyncDeps,
): Promise<TrainingSyncSummary> {
  const { portalId } = ctx;
  const open = await deps.assignments.listForPortal(portalId, { status: 'open' });
  const summary: TrainingSyncSummary = {
    portalId,
    checked: 0,
    completed: 0,
    missing: 0,
    tasksCreated: 0,
    taskErrors: 0,
  };
  const withTask = open.filter((a): a is typeof a & { taskId: string } => a.taskId !== null);
  if (withTask.length > 0) {
    const tasks = await ctx.hubspot.batchRead(
      'tasks',
      withTask.map((a) => a.taskId),
      ['hs_task_status', 'hs_task_completion_date'],
    );
    const byId = new Map(tasks.map((t) => [t.id, t]));
    for (const a of withTask) {
      summary.checked += 1;
      const task = byId.get(a.taskId);
      if (!task) {
        summary.missing += 1;
        ctx.logger.warn(
          { portalId, assignmentId: a.id, taskId: a.taskId },
          'training task is gone from HubSpot; the assignment stays open',
        );
        continue;
      }
      if (task.properties.hs_task_status !== 'COMPLETED') continue;
      const completedMs = parseInstant(task.properties.hs_task_completion_date ?? null);
      const at =
        completedMs !== null && completedMs <= ctx.now().getTime() ? new Date(completedMs) : ctx.now();
      if (await deps.completeTraining.byTask(portalId, a.taskId, at, 'task-sync')) summary.completed += 1;
    }
  }
  for (const a of open.filter((x) => x.taskId === null)) {
    try {
      const { taskCreated } = await deps.assignTraining.ensureTask(a, ctx);
      if (taskCreated) summary.tasksCreated += 1;
    } catch (error) {
      summary.taskErrors += 1;
      ctx.logger.warn(
        { portalId, assignmentId: a.id, err: error instanceof Error ? error.message : String(error) },
        'training task could not be created; the next sync retries',
      );
    }
  }
  ctx.logger.info({ ...summary }, 'training sync finished');
  return summary;
}

/** Lease of one sync run. */
export const TRAINING_SYNC_LEASE_MS = 10 * 60_000;

/**
 * The scheduler's entry (src/jobs/scheduler.ts): once per UTC hour per portal (the webhook completes
 * assignments within seconds; this catches missed events and retries missing tasks).
 */
export function trainingSyncJob(deps: TrainingSyncDeps): ScheduledJob {
  return {
    name: 'training-sync',
    leaseMs: TRAINING_SYNC_LEASE_MS,
    periodAt: (now) => now.toISOString().slice(0, 13),
    run: (ctx) => runTrainingSync(ctx, deps),
  };
}
