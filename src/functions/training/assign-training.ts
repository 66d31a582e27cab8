/**
 * Assigning training (issue 4 item 6): one open assignment per (rep, module), and its HubSpot task
 * created exactly once (threats D6, F4).
 *
 * - `fromCard`: a coach assigns from the contact card. The rep is the contact's owner
 *   (resolveContactAccess), never named by the caller; the policy must allow 'assignTraining', else
 *   NOT_FOUND revealing nothing about the rep. The module must exist and not be retired. The due date
 *   defaults to 14 days from today in the portal's time zone and may not be in the past.
 * - `assign`: the lower level the weekly rules job uses (source 'rule' or 'release').
 *
 * Exactly once: `openOnce` gives one open assignment per (portal, rep, module) even under concurrent
 * callers. The task is then created by whoever wins `claimTask`: it first searches the rep's tasks
 * due that day for the marker `[pillars-training:<assignmentId>]` (an earlier attempt may have been
 * committed by HubSpot after its response was lost), creates only when none exists, and records the
 * task id. A create that fails definitively releases the claim (a later call retries); a create that
 * fails as HUBSPOT_TEMPORARY is looked up by marker at once and, when not found, the claim is *kept*
 * until it goes stale (TASK_CLAIM_STALE_MS): HubSpot's search is eventually consistent, so the marker
 * search decides only once the claim has aged, when the next attempt (a click, the sync job) searches
 * again before creating. HubSpot requests per new assignment: one search and one create (owners,
 * users and portal details come from the gateway's metadata cache).
 */
import { DateTime } from 'luxon';
import { addDays, localDateOf } from '../../core/time/index.js';
import type {
  AssignTrainingInput,
  RuleMetric,
  TrainingAssignmentView,
  TrainingModule,
} from '@pillars/contracts';
import { can } from '../../core/access/policy.js';
import type { CrmRecord } from '../../core/crm.js';
import { AppError, invalidInput, isAppError } from '../../core/errors.js';
import { DEFAULT_SKILL_MAPPING } from '../../core/training/skills.js';
import type {
  AssignmentSource,
  TrainingAssignment,
  TrainingAssignmentStore,
} from '../../store/coaching-ports.js';
import type { FunctionContext } from '../context.js';
import type { CoachingSettings } from '../coaching/coaching-settings.js';
import { ownerName, resolveContactAccess } from '../coaching/rep-access.js';
import { moduleById, toAssignmentView } from './assignment-view.js';

/** Days until a card assignment is due when the coach gives no date. */
export const DEFAULT_DUE_DAYS = 14;
/** Furthest due date accepted, in days from today. */
export const MAX_DUE_DAYS = 366;
/** A task-creation claim older than this belongs to an attempt that died or failed as temporary. */
export const TASK_CLAIM_STALE_MS = 2 * 60_000;
/** Local hour of the due date the HubSpot task is due at (end of a working day). */
export const TASK_DUE_HOUR = 17;
/** The public message when the caller may not assign to (or see) the contact's owner. */
export const NOT_VISIBLE_MESSAGE = 'Nothing to show for this contact.';

/** The marker the task body carries: how a lost create is found again. */
export function trainingTaskMarker(assignmentId: string): string {
  return `[pillars-training:${assignmentId}]`;
}

/** The task subject of a module. */
export function trainingTaskSubject(title: string): string {
  return `Training: ${title}`.slice(0, 200);
}

/** The task body: the reason in plain words, the module and its link, the marker. */
export function trainingTaskBody(
  assignment: Pick<TrainingAssignment, 'id' | 'reason'>,
  module: TrainingModule | null,
): string {
  const lines = [assignment.reason.trim()];
  if (module) {
    lines.push('', `Module: ${module.title} (${module.format}, about ${module.minutes} minutes)`, module.url);
  }
  lines.push(
    '',
    `Mark this task completed when you have taken the module. ${trainingTaskMarker(assignment.id)}`,
  );
  return lines.join('\n');
}

/** The local calendar date `days` after today in the zone. */
export function localDatePlus(now: Date, timeZone: string, days: number): string {
  return addDays(localDateOf(now.getTime(), timeZone), days);
}

/** The instant a task due on a local date is due at (TASK_DUE_HOUR local). */
export function taskDueInstant(dueDate: string, timeZone: string): Date {
  return DateTime.fromISO(dueDate, { zone: timeZone }).set({ hour: TASK_DUE_HOUR }).toJSDate();
}

/** The metric a module should move: the primary metric of its first mapped skill tag, or null. */
export function metricOfModule(module: TrainingModule): RuleMetric | null {
  for (const tag of module.skillTags) {
    const mapping = DEFAULT_SKILL_MAPPING.find((m) => m.tag === tag);
    if (mapping?.metrics[0] !== undefined) return mapping.metrics[0];
  }
  return null;
}

/** What the job asks for. */
export interface AssignRequest {
  repOwnerId: string;
  moduleId: string;
  source: AssignmentSource;
  ruleId?: string | null;
  assignedByUserId?: number | null;
  reason: string;
  metric: RuleMetric | null;
  /** Local date; default DEFAULT_DUE_DAYS from today in the portal's zone. */
  dueDate?: string;
}

/** What assign did. */
export interface AssignOutcome {
  assignment: TrainingAssignment;
  /** Whether this call opened the assignment (false: one was already open for the rep and module). */
  created: boolean;
  /** Whether this call created the HubSpot task. */
  taskCreated: boolean;
}

export interface AssignTrainingDeps {
  settings: CoachingSettings;
  assignments: TrainingAssignmentStore;
  /** Called after an assignment is opened or its task recorded (the panel drops its cache). */
  onAssignmentChanged?: ((portalId: number, repOwnerId: string) => void) | undefined;
  /** Default TASK_CLAIM_STALE_MS. */
  claimStaleMs?: number;
}

export interface AssignTraining {
  /** The card's one-click assign by a coach. */
  fromCard(
    input: AssignTrainingInput,
    ctx: FunctionContext,
  ): Promise<{ assignment: TrainingAssignmentView; created: boolean }>;
  /** Open (once) and create the task (once); for jobs. */
  assign(request: AssignRequest, ctx: FunctionContext): Promise<AssignOutcome>;
  /** Create the assignment's task when it has none and nobody is creating it; returns the assignment as stored. */
  ensureTask(
    assignment: TrainingAssignment,
    ctx: FunctionContext,
  ): Promise<{ assignment: TrainingAssignment; taskCreated: boolean }>;
}

const TASK_SEARCH_PROPERTIES = ['hs_task_body', 'hs_timestamp', 'hubspot_owner_id', 'hs_task_status'];
const DAY_MS = 86_400_000;

/** The rep's task due around the assignment's due date whose body carries the marker, if HubSpot has one. */
async function findMarkedTask(
  ctx: FunctionContext,
  assignment: TrainingAssignment,
  due: Date,
): Promise<CrmRecord | null> {
  const marker = trainingTaskMarker(assignment.id);
  let found: CrmRecord | null = null;
  await ctx.hubspot.searchAll(
    'tasks',
    {
      filterGroups: [
        {
          filters: [
            { propertyName: 'hubspot_owner_id', operator: 'EQ', value: assignment.repOwnerId },
            {
              propertyName: 'hs_timestamp',
              operator: 'BETWEEN',
              value: String(due.getTime() - DAY_MS),
              highValue: String(due.getTime() + DAY_MS),
            },
          ],
        },
      ],
      properties: TASK_SEARCH_PROPERTIES,
    },
    (page) => {
      found ??= page.find((t) => (t.properties.hs_task_body ?? '').includes(marker)) ?? null;
    },
  );
  return found;
}

function checkDueDate(dueDate: string, today: string): void {
  const parsed = DateTime.fromISO(dueDate, { zone: 'UTC' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dueDate) || !parsed.isValid) {
    throw invalidInput('dueDate: must be a real calendar date as YYYY-MM-DD', { field: 'dueDate' });
  }
  if (dueDate < today) {
    throw invalidInput(`dueDate: must be today (${today}) or later`, { field: 'dueDate' });
  }
  const furthest = DateTime.fromISO(today, { zone: 'UTC' }).plus({ days: MAX_DUE_DAYS }).toISODate() ?? '';
  if (dueDate > furthest) {
    throw invalidInput(`dueDate: must be within ${MAX_DUE_DAYS} days (by ${furthest})`, { field: 'dueDate' });
  }
}

/** Build the assign-training functions. */
export function createAssignTraining(deps: AssignTrainingDeps): AssignTraining {
  const staleMs = deps.claimStaleMs ?? TASK_CLAIM_STALE_MS;
  const changed = (portalId: number, repOwnerId: string): void => {
    try {
      deps.onAssignmentChanged?.(portalId, repOwnerId);
    } catch {
      // A cache hook must never fail an assignment.
    }
  };

  async function ensureTask(
    assignment: TrainingAssignment,
    ctx: FunctionContext,
  ): Promise<{ assignment: TrainingAssignment; taskCreated: boolean }> {
    if (assignment.taskId !== null || assignment.status !== 'open') return { assignment, taskCreated: false };
    const { portalId } = ctx;
    const now = ctx.now();
    const claimed = await deps.assignments.claimTask(
      portalId,
      assignment.id,
      now,
      new Date(now.getTime() - staleMs),
    );
    if (!claimed) {
      // Another caller is creating it (or recorded it meanwhile): answer with what is stored.
      return {
        assignment: (await deps.assignments.get(portalId, assignment.id)) ?? assignment,
        taskCreated: false,
      };
    }
    const [details, catalogue] = await Promise.all([
      ctx.hubspot.getPortalDetails(),
      deps.settings.catalogue(portalId),
    ]);
    const module = moduleById(catalogue, assignment.moduleId);
    const due = taskDueInstant(assignment.dueDate, details.timeZone);
    let taskId: string;
    let taskCreated = false;
    try {
      const earlier = await findMarkedTask(ctx, assignment, due);
      if (earlier) {
        ctx.logger.info({ assignmentId: assignment.id, taskId: earlier.id }, 'training task found by marker');
        taskId = earlier.id;
      } else {
        try {
          const created = await ctx.hubspot.createObject('tasks', {
            properties: {
              hs_task_subject: trainingTaskSubject(module?.title ?? assignment.moduleId),
              hs_task_body: trainingTaskBody(assignment, module),
              hs_timestamp: due.toISOString(),
              hs_task_status: 'NOT_STARTED',
              hs_task_type: 'TODO',
              hubspot_owner_id: assignment.repOwnerId,
            },
          });
          taskId = created.id;
          taskCreated = true;
        } catch (error) {
          if (!isAppError(error) || error.code !== 'HUBSPOT_TEMPORARY') throw error;
          // HubSpot may have committed before failing: never re-create blindly.
          const committed = await findMarkedTask(ctx, assignment, due);
          if (!committed) {
            // Keep the claim: the next attempt after it goes stale searches again (search lags writes).
            ctx.logger.warn(
              { assignmentId: assignment.id },
              'training task create failed as temporary; claim kept until stale',
            );
            throw error;
          }
          ctx.logger.warn(
            { assignmentId: assignment.id },
            'training task create failed after HubSpot committed it; found by marker',
          );
          taskId = committed.id;
        }
      }
    } catch (error) {
      if (!isAppError(error) || error.code !== 'HUBSPOT_TEMPORARY') {
        await deps.assignments.releaseTaskClaim(portalId, assignment.id).catch(() => undefined);
      }
      throw error;
    }
    await deps.assignments.recordTask(portalId, assignment.id, taskId);
    changed(portalId, assignment.repOwnerId);
    const stored = (await deps.assignments.get(portalId, assignment.id)) ?? { ...assignment, taskId };
    return { assignment: stored, taskCreated };
  }

  async function assign(request: AssignRequest, ctx: FunctionContext): Promise<AssignOutcome> {
    const { portalId } = ctx;
    const [details, catalogue] = await Promise.all([
      ctx.hubspot.getPortalDetails(),
      deps.settings.catalogue(portalId),
    ]);
    const module = moduleById(catalogue, request.moduleId);
    if (!module || module.retired === true) {
      throw invalidInput(`moduleId: unknown module "${request.moduleId}"`, { field: 'moduleId' });
    }
    const today = localDatePlus(ctx.now(), details.timeZone, 0);
    const dueDate = request.dueDate ?? localDatePlus(ctx.now(), details.timeZone, DEFAULT_DUE_DAYS);
    checkDueDate(dueDate, today);
    const { assignment, created } = await deps.assignments.openOnce({
      portalId,
      repOwnerId: request.repOwnerId,
      moduleId: module.id,
      moduleVersion: module.version,
      source: request.source,
      ruleId: request.ruleId ?? null,
      assignedByUserId: request.assignedByUserId ?? null,
      reason: request.reason.slice(0, 500),
      metric: request.metric,
      dueDate,
      createdAt: ctx.now(),
    });
    if (created) {
      changed(portalId, request.repOwnerId);
      ctx.logger.info(
        { assignmentId: assignment.id, moduleId: module.id, source: request.source },
        'training assigned',
      );
    }
    const ensured = await ensureTask(assignment, ctx);
    return { assignment: ensured.assignment, created, taskCreated: ensured.taskCreated };
  }

  async function fromCard(
    input: AssignTrainingInput,
    ctx: FunctionContext,
  ): Promise<{ assignment: TrainingAssignmentView; created: boolean }> {
    const resolved = await resolveContactAccess(ctx, deps.settings, input.contactId);
    if (resolved.rep === null || !can(resolved.access, 'assignTraining')) {
      // Never confirm who owns the contact to someone who may not coach them.
      throw new AppError(
        resolved.access === 'self' ? 'FORBIDDEN' : 'NOT_FOUND',
        `user ${String(ctx.userId)} may not assign training for contact ${input.contactId}`,
        {
          publicMessage:
            resolved.access === 'self' ? 'Only your coach can assign you training.' : NOT_VISIBLE_MESSAGE,
        },
      );
    }
    const catalogue = await deps.settings.catalogue(ctx.portalId);
    const module = moduleById(catalogue, input.moduleId);
    if (!module || module.retired === true) {
      throw invalidInput(`moduleId: unknown module "${input.moduleId}"`, { field: 'moduleId' });
    }
    const owners = await ctx.hubspot.listOwners({ archived: false });
    const coach = owners.find((o) => o.userId === ctx.userId);
    const by = coach ? ownerName(coach) : 'your coach';
    const outcome = await assign(
      {
        repOwnerId: resolved.rep.id,
        moduleId: module.id,
        source: 'coach',
        assignedByUserId: ctx.userId ?? null,
        reason: `Assigned by ${by} from the coaching card: ${module.title}.`,
        metric: metricOfModule(module),
        ...(input.dueDate !== undefined ? { dueDate: input.dueDate } : {}),
      },
      ctx,
    );
    const details = await ctx.hubspot.getPortalDetails();
    const today = localDatePlus(ctx.now(), details.timeZone, 0);
    return { assignment: toAssignmentView(outcome.assignment, catalogue, today), created: outcome.created };
  }

  return { fromCard, assign, ensureTask };
}
