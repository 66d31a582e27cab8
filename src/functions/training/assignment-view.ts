/**
 * A stored assignment as the card and the digest show it: joined with its catalogue module (a module
 * removed from the catalogue since keeps its id as title, so history never breaks) and judged overdue
 * against the portal's local today.
 */
import type { CatalogueSetting, TrainingAssignmentView, TrainingModule } from '@pillars/contracts';
import type { TrainingAssignment } from '../../store/coaching-ports.js';

/** The catalogue's module by id, or null. */
export function moduleById(catalogue: CatalogueSetting, id: string): TrainingModule | null {
  return catalogue.modules.find((m) => m.id === id) ?? null;
}

/** The view of one assignment; `today` is the portal's local date `YYYY-MM-DD`. */
export function toAssignmentView(
  a: TrainingAssignment,
  catalogue: CatalogueSetting,
  today: string,
): TrainingAssignmentView {
  const module = moduleById(catalogue, a.moduleId);
  return {
    id: a.id,
    repOwnerId: a.repOwnerId,
    moduleId: a.moduleId,
    moduleTitle: module?.title ?? a.moduleId,
    moduleUrl: module?.url ?? '',
    moduleVersion: a.moduleVersion,
    source: a.source,
    reason: a.reason,
    metric: a.metric,
    dueDate: a.dueDate,
    status: a.status,
    overdue: a.status === 'open' && a.dueDate < today,
    taskId: a.taskId,
    createdAt: a.createdAt.toISOString(),
    completedAt: a.completedAt?.toISOString() ?? null,
  };
}
