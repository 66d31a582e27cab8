/**
 * Completing a training assignment (issue 4 item 7), three ways:
 *
 * - from the card (`fromCard`): the rep who took it or a coach of that rep, per the access policy
 *   ('completeTraining'). The rep is resolved from the stored assignment, the caller with
 *   resolveViewer and the coaches setting; anyone else gets NOT_FOUND, so an assignment id never
 *   reveals another rep's training. The HubSpot task is then marked COMPLETED too (best effort: the
 *   assignment is completed either way, and the sync job never reopens it).
 * - from HubSpot (`byTask`): the task's `hs_task_status` became COMPLETED (webhook) or was found
 *   COMPLETED by the periodic sync.
 *
 * Completing is idempotent: an assignment already completed is answered as it is.
 */
import type { TrainingAssignmentView } from '@pillars/contracts';
import { accessToRep, can } from '../../core/access/policy.js';
import { AppError } from '../../core/errors.js';
import type { TrainingAssignment, TrainingAssignmentStore } from '../../store/coaching-ports.js';
import type { FunctionContext } from '../context.js';
import type { CoachingSettings } from '../coaching/coaching-settings.js';
import { resolveViewer } from '../coaching/rep-access.js';
import { localDatePlus, NOT_VISIBLE_MESSAGE } from './assign-training.js';
import { toAssignmentView } from './assignment-view.js';

export interface CompleteTrainingDeps {
  settings: CoachingSettings;
  assignments: TrainingAssignmentStore;
  onAssignmentChanged?: ((portalId: number, repOwnerId: string) => void) | undefined;
}

export type CompletionVia = NonNullable<TrainingAssignment['completedVia']>;

export interface CompleteTraining {
  fromCard(
    input: { assignmentId: string },
    ctx: FunctionContext,
  ): Promise<{ assignment: TrainingAssignmentView }>;
  /** Complete the open assignment whose task this is; null when no assignment has the task or it is not open. */
  byTask(
    portalId: number,
    taskId: string,
    at: Date,
    via: 'task-webhook' | 'task-sync',
  ): Promise<TrainingAssignment | null>;
}

function notVisible(id: string): AppError {
  return new AppError('NOT_FOUND', `training assignment ${id} is unknown or not visible to the caller`, {
    publicMessage: NOT_VISIBLE_MESSAGE,
  });
}

/** Build the completion functions. */
export function createCompleteTraining(deps: CompleteTrainingDeps): CompleteTraining {
  const changed = (portalId: number, repOwnerId: string): void => {
    try {
      deps.onAssignmentChanged?.(portalId, repOwnerId);
    } catch {
      // A cache hook must never fail a completion.
    }
  };

  async function fromCard(
    input: { assignmentId: string },
    ctx: FunctionContext,
  ): Promise<{ assignment: TrainingAssignmentView }> {
    const { portalId } = ctx;
    const stored = await deps.assignments.get(portalId, input.assignmentId);
    const viewer = await resolveViewer(ctx);
    if (stored === null) throw notVisible(input.assignmentId);
    const [coaches, active] = await Promise.all([
      deps.settings.coaches(portalId),
      ctx.hubspot.listOwners({ archived: false }),
    ]);
    let rep = active.find((o) => o.id === stored.repOwnerId) ?? null;
    if (rep === null) {
      const archived = await ctx.hubspot.listOwners({ archived: true });
      rep = archived.find((o) => o.id === stored.repOwnerId) ?? null;
    }
    const access = accessToRep(
      viewer,
      { ownerId: stored.repOwnerId, teamIds: rep?.teams.map((t) => t.id) ?? [] },
      coaches.teams,
    );
    if (!can(access, 'completeTraining')) throw notVisible(input.assignmentId);

    let current = stored;
    if (stored.status === 'open') {
      current =
        (await deps.assignments.complete(portalId, stored.id, ctx.now(), 'card')) ??
        (await deps.assignments.get(portalId, stored.id)) ??
        stored;
      changed(portalId, stored.repOwnerId);
      ctx.logger.info({ assignmentId: stored.id, access }, 'training completed from the card');
      if (current.taskId !== null) {
        try {
          await ctx.hubspot.updateObject('tasks', current.taskId, { hs_task_status: 'COMPLETED' });
        } catch (error) {
          ctx.logger.warn(
            {
              assignmentId: stored.id,
              taskId: current.taskId,
              err: error instanceof Error ? error.message : String(error),
            },
            'could not mark the training task completed in HubSpot',
          );
        }
      }
    }
    const [details, catalogue] = await Promise.all([
      ctx.hubspot.getPortalDetails(),
      deps.settings.catalogue(portalId),
    ]);
    return {
      assignment: toAssignmentView(current, catalogue, localDatePlus(ctx.now(), details.timeZone, 0)),
    };
  }

  async function byTask(
    portalId: number,
    taskId: string,
    at: Date,
    via: 'task-webhook' | 'task-sync',
  ): Promise<TrainingAssignment | null> {
    const assignment = await deps.assignments.findByTask(portalId, taskId);
    if (assignment === null || assignment.status !== 'open') return null;
    const done = await deps.assignments.complete(portalId, assignment.id, at, via);
    if (done) changed(portalId, assignment.repOwnerId);
    return done;
  }

  return { fromCard, byTask };
}
