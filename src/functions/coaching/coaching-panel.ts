/**
 * The coaching panel (issue 4 item 5): a contact id in, the CoachingPanel the contact card renders
 * out. Who sees what is decided by the one access policy (src/core/access/policy.ts) through
 * resolveContactAccess:
 * - contact without owner, or an owner HubSpot no longer knows → `no-owner` (relationship only);
 * - a caller who is neither the rep nor one of their coaches → `summary-only`: the relationship
 *   summary and nothing about the rep, not even the name;
 * - the rep ('self') or a coach → `full`: scorecard, diagnosis, trends, praise, notes, training.
 *
 * HubSpot requests of one view (owners, users, account details and call outcomes come from the
 * gateway's metadata cache, per portal, 5 min in boot.ts):
 *   1  the contact (batch read), cached per (portal, contact) for `contactTtlMs`;
 *   5  the relationship summary (one search per engagement type, relationship-summary.ts), cached
 *      per (portal, contact) for `relationshipTtlMs`;
 *   full panels only: the rep's insights, cached per (portal, rep, week) for `insightsTtlMs`:
 *   6+ the week in progress (activity-metrics searches over the portal's week, one per object type
 *      plus their pages), and for each complete week the snapshot store has never written, one
 *      snapshotWeek run (the same six searches for that week; stored, so paid once per portal).
 * A warm view (all three cached) makes no HubSpot request. Notes, assignments and settings are local
 * and read fresh on every view, so a note written a second ago shows at once.
 * Measured (test/integration/coaching/coaching-panel.test.ts, demo portal of 30,000 engagements):
 * 14 requests for a cold view of a rep once the portal's weeks are stored, 91 for the portal's very
 * first view (its 8 complete weeks computed and stored), 0 warm.
 *
 * The "clean process" praise counts the rep's stored stage exceptions (deal owner at the exit) over the
 * diagnosis window and the current week, when they can be attributed (see unwaivedExceptionCounts).
 */
import { COUNT_METRICS, coachingPanelInputSchema } from '@pillars/contracts';
import type {
  CatalogueSetting,
  CoachingNoteView,
  CoachingPanel,
  CoachingPanelInput,
  Diagnosis,
  FullPanel,
  MetricName,
  Metrics,
  PanelAssignment,
  PraiseSuggestion,
  RelationshipSummary,
  ScorecardRow,
  SuggestedModule,
  TrainingEffect,
  WeeklyPoint,
} from '@pillars/contracts';
import { can } from '../../core/access/policy.js';
import type { RepAccess } from '../../core/access/policy.js';
import { FUNNEL, metricTrend } from '../../core/coaching/index.js';
import type { Owner, PortalUser } from '../../core/crm.js';
import { invalidInput } from '../../core/errors.js';
import { teamMedian, teamTotals } from '../../core/metrics/index.js';
import { startOfLocalDay, weekContaining } from '../../core/time/index.js';
import { skillsForStep, trainingEffect } from '../../core/training/index.js';
import type {
  CoachingNote,
  CoachingNoteStore,
  TrainingAssignment,
  TrainingAssignmentStore,
} from '../../store/coaching-ports.js';
import type { ExceptionStore } from '../../store/webhook-ports.js';
import type { FunctionContext, PillarsFunction } from '../context.js';
import { toAssignmentView } from '../training/assignment-view.js';
import type { CoachingSettings } from './coaching-settings.js';
import { targetsForTeams } from './coaching-settings.js';
import { loadRelationshipSummary } from './relationship-summary.js';
import { ownerName, readContact, resolveContactAccess } from './rep-access.js';
import type { ContactRef } from './rep-access.js';
import {
  addDays,
  dealActivityOf,
  loadTeamWeeks,
  localDateOf,
  MAX_SERIES_WEEKS,
  repInsights,
  unwaivedExceptionCounts,
} from './team-series.js';
import type { TeamWeeks, TeamWeeksDeps } from './team-series.js';

/** Default cache lifetimes. */
export const DEFAULT_INSIGHTS_TTL_MS = 5 * 60_000;
export const DEFAULT_RELATIONSHIP_TTL_MS = 2 * 60_000;
export const DEFAULT_CONTACT_TTL_MS = 60_000;
/** Entries per cache at most (oldest dropped first). */
export const MAX_CACHED_PANELS = 5_000;
/** Weeks of the trend chart and the trends; the diagnosis judges the last DIAGNOSIS_WEEKS. */
export const TREND_WEEKS = 8;
export const DIAGNOSIS_WEEKS = 4;
/** Weeks on each side of a completed assignment's week for its measured effect. */
export const EFFECT_WEEKS = 4;

/** The scorecard's metrics, in the card's order. */
export const SCORECARD_METRICS: readonly MetricName[] = [
  'dials',
  'connects',
  'connectRate',
  'meetingsBooked',
  'meetingsHeld',
  'meetingHeldRate',
  'dealsCreated',
  'dealsWon',
  'winRate',
  'wonAmount',
];
/** The trend chart's metrics. */
export const TREND_METRICS: readonly MetricName[] = [
  'dials',
  'connectRate',
  'meetingsBooked',
  'meetingHeldRate',
  'dealsCreated',
  'winRate',
];

export interface CoachingPanelDeps extends TeamWeeksDeps {
  settings: CoachingSettings;
  /** Stage exceptions, for the clean-process praise; omitted, it is never offered. */
  exceptions?: Pick<ExceptionStore, 'listForPortal'>;
  notes: Pick<CoachingNoteStore, 'listForRep'>;
  assignments: Pick<TrainingAssignmentStore, 'listForRep'>;
  cache?: { insightsTtlMs?: number; relationshipTtlMs?: number; contactTtlMs?: number };
  /** Clock for cache expiry (ms); defaults to Date.now. Computation time comes from ctx.now(). */
  now?: () => number;
}

/** The function and its cache hooks (the note and training routes, webhooks, tests). */
export type CoachingPanelFunction = PillarsFunction<CoachingPanelInput, CoachingPanel> & {
  /** Drop the cached insights of a rep (new assignment completed, settings changed for them). */
  invalidateRep(portalId: number, ownerId: string): void;
  /** Drop the cached contact and relationship of a contact (a webhook saw it change). */
  invalidateContact(portalId: number, contactId: string): void;
  /** Drop everything cached for a portal (its targets or catalogue changed). */
  invalidatePortal(portalId: number): void;
  clearCache(): void;
};

/** A small TTL cache of promises; failures are never kept. Keys always start with the portal id. */
class TtlCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();
  constructor(
    private readonly ttlMs: number,
    private readonly clock: () => number,
  ) {}
  get(key: string, load: () => Promise<T>): Promise<T> {
    const t = this.clock();
    const hit = this.entries.get(key);
    if (hit && t - hit.at < this.ttlMs) return hit.value;
    const value = load().catch((e: unknown) => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
      throw e;
    });
    this.entries.delete(key);
    this.entries.set(key, { at: t, value });
    if (this.entries.size > MAX_CACHED_PANELS) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return value;
  }
  deletePrefix(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }
  delete(key: string): void {
    this.entries.delete(key);
  }
  clear(): void {
    this.entries.clear();
  }
}

/** What is cached per (portal, rep, week): everything about the rep that does not depend on the viewer. */
interface Insights {
  weeks: TeamWeeks;
  weekStart: string;
  memberIds: string[];
  hasData: boolean;
  scorecard: ScorecardRow[];
  diagnosis: Diagnosis;
  trend: FullPanel['trend'];
  praise: PraiseSuggestion[];
}

/** The rep's team for baselines: active owners sharing the rep's primary team (the rep included). */
export function teamMembersOf(rep: Owner, activeOwners: readonly Owner[]): string[] {
  const team = rep.teams.find((t) => t.primary) ?? rep.teams[0];
  if (!team) return [rep.id];
  const ids = activeOwners.filter((o) => o.teams.some((t) => t.id === team.id)).map((o) => o.id);
  return ids.includes(rep.id) ? ids : [...ids, rep.id];
}

/** Whether any count of any point is non-zero. */
function anyActivity(points: readonly Metrics[]): boolean {
  return points.some((m) => COUNT_METRICS.some((name) => m[name] !== 0));
}

/** The scorecard of the week in progress (pure). */
export function buildScorecard(input: {
  current: Metrics | null;
  teamCurrent: readonly Metrics[];
  trendPoints: readonly WeeklyPoint[];
  targets: readonly { metric: string; perWeek: number }[];
}): ScorecardRow[] {
  const median = input.teamCurrent.length > 0 ? teamMedian(input.teamCurrent) : null;
  return SCORECARD_METRICS.map((metric) => ({
    metric,
    value: input.current ? input.current[metric] : null,
    target: input.targets.find((t) => t.metric === metric)?.perWeek ?? null,
    teamMedian: median ? median[metric] : null,
    direction: metricTrend(metric, input.trendPoints).direction,
  }));
}

/** Catalogue modules for the diagnosed weakest step: its skills, not retired, not open for the rep. */
export function suggestModules(
  diagnosis: Diagnosis,
  catalogue: CatalogueSetting,
  openModuleIds: ReadonlySet<string>,
): SuggestedModule[] {
  const step = diagnosis.weakestStep;
  if (diagnosis.status !== 'gap' || step === null) return [];
  const tags = skillsForStep(step);
  const label = FUNNEL.find((d) => d.step === step)?.label ?? step;
  const out: SuggestedModule[] = [];
  for (const m of catalogue.modules) {
    if (m.retired === true || openModuleIds.has(m.id)) continue;
    const tag = tags.find((t) => m.skillTags.includes(t));
    if (tag === undefined) continue;
    out.push({
      moduleId: m.id,
      title: m.title,
      url: m.url,
      format: m.format,
      minutes: m.minutes,
      skillTag: tag,
      reason: `The diagnosis finds the weakest step at ${label}; this module trains ${tag.replace(/-/g, ' ')}, which works on that step.`,
    });
  }
  return out;
}

/** The completion week's effect for a completed assignment; null until measurable (pure). */
export function assignmentEffect(
  a: Pick<TrainingAssignment, 'repOwnerId' | 'metric' | 'status' | 'completedAt' | 'moduleId'>,
  moduleTag: string,
  weeks: Pick<TeamWeeks, 'series' | 'weekStarts' | 'timeZone'>,
  memberIds: readonly string[],
): TrainingEffect | null {
  if (a.status !== 'completed' || a.completedAt === null || a.metric === null) return null;
  const completedWeek = weekContaining(
    localDateOf(a.completedAt.getTime(), weeks.timeZone),
    weeks.timeZone,
  ).from;
  const first = weeks.weekStarts[0];
  const last = weeks.weekStarts[weeks.weekStarts.length - 1];
  if (first === undefined || last === undefined) return null;
  if (addDays(completedWeek, 7 * EFFECT_WEEKS) > last || addDays(completedWeek, -7 * EFFECT_WEEKS) < first)
    return null;
  const others = memberIds.filter((id) => id !== a.repOwnerId && weeks.series.has(id));
  if (others.length === 0) return null;
  const control: WeeklyPoint[] = weeks.weekStarts.map((weekStart, i) => ({
    weekStart,
    metrics: teamTotals(
      others.map((id) => (weeks.series.get(id) as WeeklyPoint[])[i]?.metrics ?? teamTotals([])),
    ),
  }));
  return trainingEffect({
    ownerId: a.repOwnerId,
    moduleTag,
    metric: a.metric,
    rep: weeks.series.get(a.repOwnerId) ?? [],
    control,
    controlMembers: others.length,
    completedWeek,
    weeks: EFFECT_WEEKS,
  });
}

/** Weeks to load so that every completed assignment's effect span is covered (at least TREND_WEEKS). */
export function weeksNeeded(
  assignments: readonly TrainingAssignment[],
  today: string,
  timeZone: string,
): number {
  const currentWeek = weekContaining(today, timeZone).from;
  let weeks = TREND_WEEKS;
  for (const a of assignments) {
    if (a.status !== 'completed' || a.completedAt === null || a.metric === null) continue;
    const completedWeek = weekContaining(localDateOf(a.completedAt.getTime(), timeZone), timeZone).from;
    const back = Math.round((Date.parse(currentWeek) - Date.parse(completedWeek)) / (7 * 86_400_000));
    // Measurable only once EFFECT_WEEKS full weeks followed the completion week.
    if (back > EFFECT_WEEKS) weeks = Math.max(weeks, back + EFFECT_WEEKS);
  }
  return Math.min(MAX_SERIES_WEEKS, weeks);
}

function noteView(
  note: CoachingNote,
  viewerUserId: number,
  owners: readonly Owner[],
  users: readonly PortalUser[],
): CoachingNoteView {
  return toNoteView(note, viewerUserId, authorNameOf(note.authorUserId, owners, users));
}

/** The author's name: their owner record's name, else their user email, else null. */
export function authorNameOf(
  userId: number,
  owners: readonly Owner[],
  users: readonly PortalUser[],
): string | null {
  const owner = owners.find((o) => o.userId === userId);
  if (owner) return ownerName(owner);
  return users.find((u) => u.id === String(userId))?.email ?? null;
}

/** A stored note as the card shows it; `editable` only for its author. */
export function toNoteView(
  note: CoachingNote,
  viewerUserId: number,
  authorName: string | null,
): CoachingNoteView {
  return {
    id: note.id,
    repOwnerId: note.repOwnerId,
    kind: note.kind,
    body: note.body,
    dueDate: note.kind === 'commitment' ? note.dueDate : null,
    done: note.kind === 'commitment' ? (note.done ?? false) : null,
    authorUserId: note.authorUserId,
    authorName,
    contactId: note.contactId,
    createdAt: note.createdAt.toISOString(),
    updatedAt: note.updatedAt.toISOString(),
    editable: note.authorUserId === viewerUserId,
  };
}

/** Build the coaching panel function. */
export function createCoachingPanel(deps: CoachingPanelDeps): CoachingPanelFunction {
  const clock = deps.now ?? Date.now;
  const contacts = new TtlCache<ContactRef>(deps.cache?.contactTtlMs ?? DEFAULT_CONTACT_TTL_MS, clock);
  const relationships = new TtlCache<RelationshipSummary>(
    deps.cache?.relationshipTtlMs ?? DEFAULT_RELATIONSHIP_TTL_MS,
    clock,
  );
  const insightsCache = new TtlCache<Insights>(deps.cache?.insightsTtlMs ?? DEFAULT_INSIGHTS_TTL_MS, clock);

  const cachedContact = (ctx: FunctionContext, contactId: string) =>
    contacts.get(`${ctx.portalId}:${contactId}`, () => readContact(ctx, contactId));

  async function computeInsights(
    ctx: FunctionContext,
    rep: Owner,
    activeOwners: readonly Owner[],
    assignments: readonly TrainingAssignment[],
    today: string,
    timeZone: string,
  ): Promise<Insights> {
    const memberIds = teamMembersOf(rep, activeOwners);
    const [weeks, targetsSetting] = await Promise.all([
      loadTeamWeeks(ctx, deps, { ownerIds: memberIds, weeks: weeksNeeded(assignments, today, timeZone) }),
      deps.settings.targets(ctx.portalId),
    ]);
    const targets = targetsForTeams(
      targetsSetting,
      rep.teams.map((t) => t.id),
    );
    const insights = repInsights(weeks, rep.id, memberIds, {
      windowWeeks: DIAGNOSIS_WEEKS,
      trendWeeks: TREND_WEEKS,
      targets,
      unwaivedExceptions: await repExceptions(ctx, weeks, rep.id, today, timeZone),
    });
    const repSeries = weeks.series.get(rep.id) ?? [];
    const trendPoints = repSeries.slice(Math.max(0, repSeries.length - TREND_WEEKS));
    const current = weeks.current?.byOwner.get(rep.id) ?? null;
    const activeIds = new Set(activeOwners.map((o) => o.id));
    const teamCurrent = memberIds
      .filter((id) => activeIds.has(id))
      .map((id) => weeks.current?.byOwner.get(id))
      .filter((m): m is Metrics => m !== undefined);
    return {
      weeks,
      weekStart: weeks.current?.weekStart ?? weekContaining(today, timeZone).from,
      memberIds,
      hasData: anyActivity([...trendPoints.map((p) => p.metrics), ...(current ? [current] : [])]),
      scorecard: buildScorecard({ current, teamCurrent, trendPoints, targets }),
      diagnosis: insights.diagnosis,
      trend: {
        weeks: trendPoints.map((p) => p.weekStart),
        series: TREND_METRICS.map((metric) => ({
          metric,
          values: trendPoints.map((p) => p.metrics[metric]),
        })),
      },
      praise: insights.praise,
    };
  }

  /** The rep's unwaived stage exceptions over the diagnosis window and the week in progress. */
  async function repExceptions(
    ctx: FunctionContext,
    weeks: TeamWeeks,
    repId: string,
    today: string,
    timeZone: string,
  ): Promise<number | undefined> {
    if (!deps.exceptions) return undefined;
    const current = weekContaining(today, timeZone).from;
    const first = weeks.weekStarts[Math.max(0, weeks.weekStarts.length - DIAGNOSIS_WEEKS)] ?? current;
    const window = {
      startMs: startOfLocalDay(first, timeZone),
      endMs: startOfLocalDay(addDays(current, 7), timeZone),
    };
    const exceptions = await deps.exceptions.listForPortal(ctx.portalId, { since: new Date(window.startMs) });
    return unwaivedExceptionCounts(exceptions, window, dealActivityOf(weeks, [repId], DIAGNOSIS_WEEKS)).get(
      repId,
    );
  }

  async function fullPanel(
    ctx: FunctionContext,
    base: { contact: FullPanel['contact']; relationship: RelationshipSummary; generatedAt: string },
    rep: Owner,
    access: Exclude<RepAccess, 'none'>,
    viewerUserId: number,
  ): Promise<FullPanel> {
    const { portalId } = ctx;
    const [details, activeOwners, users, notes, assignments, catalogue] = await Promise.all([
      ctx.hubspot.getPortalDetails(),
      ctx.hubspot.listOwners({ archived: false }),
      ctx.hubspot.listUsers(),
      deps.notes.listForRep(portalId, rep.id),
      deps.assignments.listForRep(portalId, rep.id),
      deps.settings.catalogue(portalId),
    ]);
    const today = localDateOf(ctx.now().getTime(), details.timeZone);
    const week = weekContaining(today, details.timeZone).from;
    const insights = await insightsCache.get(`${portalId}:${rep.id}:${week}`, () =>
      computeInsights(ctx, rep, activeOwners, assignments, today, details.timeZone),
    );
    const open = new Set(assignments.filter((a) => a.status === 'open').map((a) => a.moduleId));
    const assigned: PanelAssignment[] = assignments.map((a) => {
      const module = catalogue.modules.find((m) => m.id === a.moduleId);
      const tag = module?.skillTags[0] ?? a.moduleId;
      return {
        ...toAssignmentView(a, catalogue, today),
        effect: assignmentEffect(a, tag, insights.weeks, insights.memberIds),
      };
    });
    return {
      view: 'full',
      access,
      contact: base.contact,
      relationship: base.relationship,
      rep: {
        ownerId: rep.id,
        name: ownerName(rep),
        teams: rep.teams.map((t) => ({ id: t.id, name: t.name })),
      },
      weekStart: insights.weekStart,
      hasData: insights.hasData,
      scorecard: insights.scorecard,
      diagnosis: insights.diagnosis,
      trend: insights.trend,
      praise: insights.praise,
      notes: notes.map((n) => noteView(n, viewerUserId, activeOwners, users)),
      training: { assigned, suggested: suggestModules(insights.diagnosis, catalogue, open) },
      permissions: {
        writeNotes: can(access, 'writeNotes'),
        assignTraining: can(access, 'assignTraining'),
        completeTraining: can(access, 'completeTraining'),
      },
      generatedAt: base.generatedAt,
    };
  }

  const fn = async (input: CoachingPanelInput, ctx: FunctionContext): Promise<CoachingPanel> => {
    const parsed = coachingPanelInputSchema.safeParse(input);
    if (!parsed.success)
      throw invalidInput('contactId must be a HubSpot record id (digits).', { field: 'contactId' });
    const { contactId } = parsed.data;
    const relationshipRead = relationships.get(`${ctx.portalId}:${contactId}`, () =>
      loadRelationshipSummary(ctx, contactId),
    );
    relationshipRead.catch(() => undefined); // awaited below, after the access check
    const resolved = await resolveContactAccess(ctx, deps.settings, contactId, cachedContact);
    const relationship = await relationshipRead;
    const base = {
      contact: { id: resolved.contact.id, name: resolved.contact.name },
      relationship,
      generatedAt: ctx.now().toISOString(),
    };
    if (resolved.rep === null) return { view: 'no-owner', ...base };
    if (resolved.access === 'none') return { view: 'summary-only', ...base };
    return fullPanel(ctx, base, resolved.rep, resolved.access, resolved.viewer.userId);
  };

  return Object.assign(fn, {
    invalidateRep(portalId: number, ownerId: string): void {
      insightsCache.deletePrefix(`${portalId}:${ownerId}:`);
    },
    invalidateContact(portalId: number, contactId: string): void {
      contacts.delete(`${portalId}:${contactId}`);
      relationships.delete(`${portalId}:${contactId}`);
    },
    invalidatePortal(portalId: number): void {
      for (const c of [contacts, relationships, insightsCache]) c.deletePrefix(`${portalId}:`);
    },
    clearCache(): void {
      for (const c of [contacts, relationships, insightsCache]) c.clear();
    },
  });
}
