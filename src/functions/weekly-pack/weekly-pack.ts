/**
 * The weekly meeting pack (issue 4 item 10): one team in, the WeeklyPack a coach brings to the team
 * meeting out. Built from the same parts as the coaching panel, never a parallel computation:
 * - the members' weekly series, diagnosis and praise: team-series' loadTeamWeeks + teamInsights, with
 *   the panel's windows (DIAGNOSIS_WEEKS, TREND_WEEKS) and the team's targets (coaching settings);
 * - training: the assignments store, viewed through toAssignmentView, effects through the panel's
 *   assignmentEffect and rolled up by rollUpModuleEffects;
 * - deals past their stage's usual time: the stored stage timing of each pipeline (settings
 *   `stageTiming:<pipelineId>`, kept fresh by the stage-timing job), classified by classifyStageAge;
 *   a pipeline or stage without stored timing uses computeStageTiming's fallback (the playbook's SLA,
 *   else the default days by stage position), which needs no HubSpot request.
 * - clean-process praise: the stage exceptions store (each exception keeps the deal's owner at the
 *   exit), counted per member by team-series' unwaivedExceptionCounts, as the panel counts them.
 *
 * Access (the one policy, src/core/access/policy.ts): a person (ctx.userId) sees only the teams they
 * coach (coachedTeams: the team's configured coaches, or the super admins for a team without coaches);
 * any other team id answers NOT_FOUND with the same message as an unknown team, naming nothing. A
 * caller without a user (the CLI, jobs) is an operator and sees every team. The HTTP route refuses
 * unsigned users before calling in, so only the CLI is ever an operator.
 *
 * HubSpot requests of a cold pack (owners, users, teams, pipelines and account details come from the
 * gateway's metadata cache): the week in progress (activity-metrics searches, 6+), one snapshotWeek
 * run per complete week the store has never written (paid once per portal), and one search of the
 * team's open deals (more pages past 200 deals). The pack is then cached per (portal, team, week) for
 * `cache.ttlMs` (default 2 min): a warm pack makes no request.
 */
import { stageTimingSchema, weeklyPackInputSchema } from '@pillars/contracts';
import type {
  Metrics,
  MetricName,
  ModuleEffect,
  PackAssignment,
  PackMember,
  PackPraise,
  PackScoreRow,
  PackTeam,
  StageTimingEntry,
  StalledDeal,
  TrainingEffect,
  WeeklyPack,
  WeeklyPackInput,
  WeeklyPackTeams,
} from '@pillars/contracts';
import { WEEKLY_PACK_LIMITS } from '@pillars/contracts';
import { coachedTeams } from '../../core/access/policy.js';
import type { CrmRecord, Owner, Pipeline, Team } from '../../core/crm.js';
import { AppError, invalidInput } from '../../core/errors.js';
import { teamMedian } from '../../core/metrics/index.js';
import {
  classifyStageAge,
  computeStageTiming,
  orderedStages,
  stageOutcome,
} from '../../core/process/index.js';
import { enteredStageAt } from '../../core/process/stage-dates.js';
import {
  addDays,
  lastCompleteWeekStart,
  localDateOf,
  startOfLocalDay,
  weekContaining,
} from '../../core/time/index.js';
import { rollUpModuleEffects } from '../../core/training/index.js';
import type { SearchQuery } from '../../hubspot/gateway.js';
import type { TrainingAssignment, TrainingAssignmentStore } from '../../store/coaching-ports.js';
import type { SettingsStore } from '../../store/ports.js';
import type { ExceptionStore } from '../../store/webhook-ports.js';
import type { FunctionContext, PillarsFunction } from '../context.js';
import {
  assignmentEffect,
  DIAGNOSIS_WEEKS,
  SCORECARD_METRICS,
  TREND_WEEKS,
  weeksNeeded,
} from '../coaching/coaching-panel.js';
import type { CoachingSettings } from '../coaching/coaching-settings.js';
import { targetsForTeams } from '../coaching/coaching-settings.js';
import { ownerName, resolveViewer } from '../coaching/rep-access.js';
import {
  dealActivityOf,
  loadTeamWeeks,
  teamInsights,
  unwaivedExceptionCounts,
} from '../coaching/team-series.js';
import type { RepInsights, TeamWeeks, TeamWeeksDeps } from '../coaching/team-series.js';
import { stageTimingKey } from '../deal-guidance/deal-guidance.js';
import { loadPlaybook } from '../playbook-source.js';
import { toAssignmentView } from '../training/assignment-view.js';

/** Default lifetime of a cached pack. */
export const DEFAULT_PACK_TTL_MS = 2 * 60_000;
/** Cached packs kept at most (oldest dropped first). */
export const MAX_CACHED_PACKS = 1_000;
/** Days ahead an open assignment counts as due. */
export const DUE_WITHIN_DAYS = 7;
/** HubSpot: at most 100 values in an IN filter, 5 filter groups per search. */
const IN_VALUES = 100;
const GROUPS = 5;
/** Share of the working week after which the pace of the week in progress is judged. */
export const PACE_JUDGED_FROM = 0.4;

/** The public message of a team the caller may not see, or that does not exist: the same, on purpose. */
export const TEAM_NOT_FOUND =
  'No weekly pack for this team: it does not exist, or you are not one of its coaches.';

export interface WeeklyPackDeps extends TeamWeeksDeps {
  settings: CoachingSettings;
  /** Stored stage timing and playbooks (settings store). */
  portalSettings: Pick<SettingsStore, 'get'>;
  assignments: Pick<TrainingAssignmentStore, 'listForPortal'>;
  /** Stage exceptions (deals that left a stage with required criteria unmet and unwaived), for the
   * clean-process praise; without it that praise is not offered. */
  exceptions?: Pick<ExceptionStore, 'listForPortal'>;
  cache?: { ttlMs?: number };
  /** Clock for cache expiry (ms); defaults to Date.now. Computation time comes from ctx.now(). */
  now?: () => number;
}

/** The function (one team's pack), the list of teams the caller may see, and cache hooks. */
export type WeeklyPackFunction = PillarsFunction<WeeklyPackInput, WeeklyPack> & {
  /** The teams the caller may open a pack for, by name. */
  teams(ctx: FunctionContext): Promise<WeeklyPackTeams>;
  invalidatePortal(portalId: number): void;
  clearCache(): void;
};

// ---------------------------------------------------------------------------------------------
// Pure parts

/** Active owners in the team (primary or secondary), by name. */
export function teamMembers(teamId: string, activeOwners: readonly Owner[]): Owner[] {
  return activeOwners
    .filter((o) => o.teams.some((t) => t.id === teamId))
    .sort((a, b) => ownerName(a).localeCompare(ownerName(b)) || a.id.localeCompare(b.id));
}

/** The Monday of the pack's week: the complete week containing `week`, else the last complete week. */
export function packWeekStart(week: string | undefined, nowMs: number, timeZone: string): string {
  const last = lastCompleteWeekStart(nowMs, timeZone);
  if (week === undefined) return last;
  const start = weekContaining(week, timeZone).from;
  if (start > last) {
    throw invalidInput(`week ${week} is not complete yet; the last complete week starts ${last}.`, {
      field: 'week',
    });
  }
  return start;
}

/** The scoreboard of one member for the pack's week, against the team's targets and median (pure). */
export function packScoreboard(
  metrics: Metrics,
  median: Metrics | null,
  targets: readonly { metric: string; perWeek: number }[],
): PackScoreRow[] {
  return SCORECARD_METRICS.map((metric: MetricName) => ({
    metric,
    value: metrics[metric],
    target: targets.find((t) => t.metric === metric)?.perWeek ?? null,
    teamMedian: median ? median[metric] : null,
  }));
}

const METRIC_WORDS: Partial<Record<MetricName, string>> = {
  dials: 'dials',
  connects: 'connects',
  meetingsBooked: 'meetings booked',
  meetingsHeld: 'meetings held',
  dealsCreated: 'deals created',
  dealsWon: 'deals won',
  emailsSent: 'emails sent',
  tasksCompleted: 'tasks completed',
};
const words = (metric: string): string => METRIC_WORDS[metric as MetricName] ?? metric;
const whole = (n: number): string => String(Math.round(n));

/** A volume target counts against a rep only below this share of the team's median volume. */
export const WELL_BELOW_TEAM = 0.8;

/** Per count metric with a target: the team's median weekly average over the diagnosis window. */
export function teamVolumeMedians(insights: readonly Pick<RepInsights, 'diagnosis'>[]): Map<string, number> {
  const judged = insights.filter((i) => i.diagnosis.status !== 'not-enough-data');
  const byMetric = new Map<string, number[]>();
  for (const i of judged)
    for (const v of i.diagnosis.volume)
      byMetric.set(v.metric, [...(byMetric.get(v.metric) ?? []), v.averagePerWeek]);
  const out = new Map<string, number>();
  for (const [metric, values] of byMetric) {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    out.set(
      metric,
      sorted.length % 2 === 1
        ? (sorted[mid] as number)
        : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2,
    );
  }
  return out;
}

/**
 * Status and the reasons for it, in plain words (pure):
 * - not-enough-data: the diagnosis cannot judge the rep (its summary says why);
 * - off-pace: the diagnosis finds a real, persistent gap at a funnel step; or a volume target is missed
 *   in most weeks of the window while the rep's weekly average is also well below the team's
 *   (under WELL_BELOW_TEAM of the team median: a target the whole team misses says more about the
 *   target than about the rep). The week in progress adds a reason when its pace is behind too.
 * - on-pace otherwise.
 */
export function memberStatus(
  insights: Pick<RepInsights, 'diagnosis'>,
  teamVolume: ReadonlyMap<string, number>,
  weekInProgress: { elapsedShare: number } | null,
): { status: PackMember['status']; reasons: string[] } {
  const d = insights.diagnosis;
  if (d.status === 'not-enough-data') return { status: 'not-enough-data', reasons: [d.summary] };
  const reasons: string[] = [];
  if (d.status === 'gap') reasons.push(d.summary);
  for (const v of d.volume) {
    const team = teamVolume.get(v.metric);
    const missedMost = v.weeks > 0 && v.weeksHit < v.weeks / 2;
    if (!missedMost || team === undefined || v.averagePerWeek >= WELL_BELOW_TEAM * team) continue;
    reasons.push(
      `Low ${words(v.metric)}: ${whole(v.averagePerWeek)} a week over the last ${v.weeks} weeks (target ${whole(v.targetPerWeek)} hit in ${v.weeksHit} of ${v.weeks}), against a team median of ${whole(team)}.`,
    );
    if (weekInProgress && weekInProgress.elapsedShare >= PACE_JUDGED_FROM && v.pace && !v.pace.onPace)
      reasons.push(
        `Still behind on ${words(v.metric)} this week: ${whole(v.pace.soFar)} so far, on track for about ${whole(v.pace.projected)}.`,
      );
  }
  return {
    status: reasons.length > 0 ? 'off-pace' : 'on-pace',
    reasons: reasons.slice(0, WEEKLY_PACK_LIMITS.reasons),
  };
}

/** The search(es) of the members' open deals with their stage-entered dates. */
export function openDealsQueries(ownerIds: readonly string[], pipelines: readonly Pipeline[]): SearchQuery[] {
  const stageProps = new Set<string>();
  for (const p of pipelines)
    for (const s of orderedStages(p))
      if (stageOutcome(s) === 'open') stageProps.add(`hs_v2_date_entered_${s.id}`);
  const properties = [
    'dealname',
    'dealstage',
    'pipeline',
    'hubspot_owner_id',
    'hs_v2_date_entered_current_stage',
    ...[...stageProps].sort(),
  ];
  const chunks: string[][] = [];
  for (let i = 0; i < ownerIds.length; i += IN_VALUES) chunks.push(ownerIds.slice(i, i + IN_VALUES));
  const queries: SearchQuery[] = [];
  for (let i = 0; i < chunks.length; i += GROUPS) {
    queries.push({
      filterGroups: chunks.slice(i, i + GROUPS).map((values) => ({
        filters: [
          { propertyName: 'hubspot_owner_id', operator: 'IN', values },
          { propertyName: 'hs_is_closed', operator: 'EQ', value: 'false' },
        ],
      })),
      properties,
    });
  }
  return queries;
}

/** The deals past their stage's usual time, stalled first then the longest past p90 (pure). */
export function classifyDeals(input: {
  deals: readonly CrmRecord[];
  pipelines: readonly Pipeline[];
  /** Per pipeline id, per stage id: the timing entry (stored, else the fallback). */
  timing: ReadonlyMap<string, Readonly<Record<string, StageTimingEntry>>>;
  owners: ReadonlyMap<string, string>;
  nowMs: number;
}): StalledDeal[] {
  const out: StalledDeal[] = [];
  for (const deal of input.deals) {
    const p = deal.properties;
    const pipeline = input.pipelines.find((x) => x.id === p.pipeline);
    const stageId = p.dealstage ?? '';
    const stage = pipeline ? orderedStages(pipeline).find((s) => s.id === stageId) : undefined;
    if (!pipeline || !stage || stageOutcome(stage) !== 'open') continue;
    const entry = input.timing.get(pipeline.id)?.[stageId];
    const entered = enteredStageAt(deal, stageId);
    if (!entry || entered === null) continue;
    const daysInStage = Math.max(0, Math.round(((input.nowMs - entered) / 86_400_000) * 10) / 10);
    const age = classifyStageAge(daysInStage, entry);
    if (age === 'ok') continue;
    const ownerId = p.hubspot_owner_id ?? '';
    out.push({
      dealId: deal.id,
      dealName: p.dealname ?? null,
      ownerId,
      ownerName: input.owners.get(ownerId) ?? `Owner ${ownerId}`,
      pipelineId: pipeline.id,
      pipelineLabel: pipeline.label,
      stageId,
      stageLabel: stage.label,
      daysInStage,
      typicalDays: { p75: entry.p75, p90: entry.p90, source: entry.source },
      age,
    });
  }
  const over = (d: StalledDeal) => d.daysInStage / Math.max(d.typicalDays.p90, 0.1);
  return out.sort(
    (a, b) =>
      (a.age === b.age ? 0 : a.age === 'stalled' ? -1 : 1) ||
      over(b) - over(a) ||
      a.dealId.localeCompare(b.dealId),
  );
}

/** Open assignments due from today through `DUE_WITHIN_DAYS` days, and overdue ones (pure). */
export function trainingDue(
  assignments: readonly PackAssignment[],
  today: string,
): { due: PackAssignment[]; overdue: PackAssignment[] } {
  const horizon = addDays(today, DUE_WITHIN_DAYS);
  const open = assignments.filter((a) => a.status === 'open');
  const byDue = (a: PackAssignment, b: PackAssignment) =>
    a.dueDate.localeCompare(b.dueDate) || a.id.localeCompare(b.id);
  return {
    due: open.filter((a) => a.dueDate >= today && a.dueDate <= horizon).sort(byDue),
    overdue: open.filter((a) => a.dueDate < today).sort(byDue),
  };
}

function bounded<T>(items: readonly T[], max: number): { items: T[]; left: number } {
  return { items: items.slice(0, max), left: Math.max(0, items.length - max) };
}

// ---------------------------------------------------------------------------------------------
// The function

/** Build the weekly pack function. */
export function createWeeklyPack(deps: WeeklyPackDeps): WeeklyPackFunction {
  const ttlMs = deps.cache?.ttlMs ?? DEFAULT_PACK_TTL_MS;
  const clock = deps.now ?? Date.now;
  const cache = new Map<string, { at: number; value: Promise<WeeklyPack> }>();

  /** Every team of the portal for an operator; the teams the person coaches otherwise. */
  async function visibleTeams(ctx: FunctionContext): Promise<Team[]> {
    const teams = await ctx.hubspot.listTeams();
    if (ctx.userId === undefined) return teams;
    const [viewer, coaches] = await Promise.all([resolveViewer(ctx), deps.settings.coaches(ctx.portalId)]);
    const allowed = new Set(
      coachedTeams(
        viewer,
        teams.map((t) => t.id),
        coaches.teams,
      ),
    );
    return teams.filter((t) => allowed.has(t.id));
  }

  async function stageTimings(
    ctx: FunctionContext,
    pipelines: readonly Pipeline[],
  ): Promise<Map<string, Record<string, StageTimingEntry>>> {
    const out = new Map<string, Record<string, StageTimingEntry>>();
    await Promise.all(
      pipelines.map(async (pipeline) => {
        const [stored, { playbook }] = await Promise.all([
          deps.portalSettings.get(ctx.portalId, stageTimingKey(pipeline.id), stageTimingSchema),
          loadPlaybook(deps.portalSettings, ctx.portalId, pipeline),
        ]);
        // No history read here: the fallback is the playbook's SLA, else the default days by position.
        const fallback = computeStageTiming({ deals: [], pipeline, now: ctx.now(), playbook }).stages;
        out.set(pipeline.id, { ...fallback, ...(stored?.pipelineId === pipeline.id ? stored.stages : {}) });
      }),
    );
    return out;
  }

  async function stalledDeals(ctx: FunctionContext, members: readonly Owner[]): Promise<StalledDeal[]> {
    if (members.length === 0) return [];
    const pipelines = (await ctx.hubspot.listDealPipelines()).filter((p) => p.archived !== true);
    const deals: CrmRecord[] = [];
    const [timing] = await Promise.all([
      stageTimings(ctx, pipelines),
      ...openDealsQueries(
        members.map((m) => m.id),
        pipelines,
      ).map((q) =>
        ctx.hubspot.searchAll('deals', q, (page) => {
          deals.push(...page);
        }),
      ),
    ]);
    return classifyDeals({
      deals,
      pipelines,
      timing,
      owners: new Map(members.map((m) => [m.id, ownerName(m)] as const)),
      nowMs: ctx.now().getTime(),
    });
  }

  /**
   * Each member's unwaived stage exceptions over the diagnosis window, and the week in progress when
   * the pack is of the latest week (the panel's window), through team-series' unwaivedExceptionCounts.
   */
  async function memberExceptions(
    ctx: FunctionContext,
    weeks: TeamWeeks,
    memberIds: readonly string[],
    weekStart: string,
    latest: boolean,
    timeZone: string,
  ): Promise<Map<string, number | undefined>> {
    if (!deps.exceptions) return new Map();
    const first = weeks.weekStarts[Math.max(0, weeks.weekStarts.length - DIAGNOSIS_WEEKS)] ?? weekStart;
    const lastWeek = latest ? addDays(weekStart, 7) : weekStart;
    const window = {
      startMs: startOfLocalDay(first, timeZone),
      endMs: startOfLocalDay(addDays(lastWeek, 7), timeZone),
    };
    const exceptions = await deps.exceptions.listForPortal(ctx.portalId, { since: new Date(window.startMs) });
    return unwaivedExceptionCounts(exceptions, window, dealActivityOf(weeks, memberIds, DIAGNOSIS_WEEKS));
  }

  async function build(
    ctx: FunctionContext,
    team: PackTeam,
    weekStart: string,
    latest: boolean,
    timeZone: string,
  ): Promise<WeeklyPack> {
    const { portalId } = ctx;
    const nowMs = ctx.now().getTime();
    const today = localDateOf(nowMs, timeZone);
    const [activeOwners, targetsSetting, catalogue, allAssignments] = await Promise.all([
      ctx.hubspot.listOwners({ archived: false }),
      deps.settings.targets(portalId),
      deps.settings.catalogue(portalId),
      deps.assignments.listForPortal(portalId),
    ]);
    const allMembers = teamMembers(team.id, activeOwners);
    const { items: members, left: membersLeft } = bounded(allMembers, WEEKLY_PACK_LIMITS.members);
    const memberIds = members.map((m) => m.id);
    const names = new Map(members.map((m) => [m.id, ownerName(m)] as const));
    const assignments = allAssignments.filter((a) => names.has(a.repOwnerId));
    const targets = targetsForTeams(targetsSetting, [team.id]);

    // An older week: load the weeks as if it were the Monday (noon) after it, with no week in progress.
    const asOfMs = latest ? nowMs : startOfLocalDay(addDays(weekStart, 7), timeZone) + 12 * 3_600_000;
    const weeksCtx: FunctionContext = latest ? ctx : { ...ctx, now: () => new Date(asOfMs) };
    const asOfToday = localDateOf(asOfMs, timeZone);
    const [weeks, stalled] = await Promise.all([
      memberIds.length === 0
        ? Promise.resolve(null)
        : loadTeamWeeks(weeksCtx, deps, {
            ownerIds: memberIds,
            weeks: weeksNeeded(assignments, asOfToday, timeZone),
            includeCurrent: latest,
          }),
      stalledDeals(ctx, members),
    ]);

    const counts = weeks
      ? await memberExceptions(ctx, weeks, memberIds, weekStart, latest, timeZone)
      : new Map();
    const insights: RepInsights[] = weeks
      ? teamInsights(weeks, memberIds, (ownerId) => {
          const unwaivedExceptions = counts.get(ownerId);
          return {
            windowWeeks: DIAGNOSIS_WEEKS,
            trendWeeks: TREND_WEEKS,
            targets,
            ...(unwaivedExceptions !== undefined ? { unwaivedExceptions } : {}),
          };
        })
      : [];
    const weekMetrics = (id: string): Metrics | null => weeks?.series.get(id)?.at(-1)?.metrics ?? null;
    const inWeek = memberIds.map(weekMetrics).filter((m): m is Metrics => m !== null);
    const median = inWeek.length > 0 ? teamMedian(inWeek) : null;
    const weekInProgress =
      weeks?.current && latest
        ? { weekStart: weeks.current.weekStart, elapsedShare: Math.min(1, weeks.current.elapsedShare) }
        : latest
          ? { weekStart: addDays(weekStart, 7), elapsedShare: 0 }
          : null;

    const teamVolume = teamVolumeMedians(insights);
    const packMembers: PackMember[] = insights.map((ins) => {
      const metrics = weekMetrics(ins.ownerId);
      const scoreboard = metrics ? packScoreboard(metrics, median, targets) : [];
      const { status, reasons } = memberStatus(ins, teamVolume, weekInProgress);
      return {
        ownerId: ins.ownerId,
        name: names.get(ins.ownerId) ?? `Owner ${ins.ownerId}`,
        scoreboard,
        status,
        reasons,
        diagnosis: {
          status: ins.diagnosis.status,
          weakestStep: ins.diagnosis.weakestStep,
          summary: ins.diagnosis.summary,
        },
        praise: ins.praise.slice(0, WEEKLY_PACK_LIMITS.praisePerMember),
      };
    });
    const praise: PackPraise[] = packMembers
      .flatMap((m) => m.praise.map((p) => ({ ...p, ownerId: m.ownerId, name: m.name })))
      .slice(0, WEEKLY_PACK_LIMITS.praise);

    const views: PackAssignment[] = assignments.map((a) => ({
      ...toAssignmentView(a, catalogue, today),
      ownerName: names.get(a.repOwnerId) ?? `Owner ${a.repOwnerId}`,
    }));
    const { due, overdue } = trainingDue(views, today);
    const moduleEffects: ModuleEffect[] = weeks ? effectsOf(assignments, catalogue, weeks, memberIds) : [];

    const dueB = bounded(due, WEEKLY_PACK_LIMITS.assignments);
    const overdueB = bounded(overdue, WEEKLY_PACK_LIMITS.assignments);
    const stalledB = bounded(stalled, WEEKLY_PACK_LIMITS.stalledDeals);
    return {
      team,
      timeZone,
      weekStart,
      weekInProgress,
      diagnosisWeeks: insights[0]?.diagnosis.weeks ?? [],
      members: packMembers,
      praise,
      stalledDeals: stalledB.items,
      training: { due: dueB.items, overdue: overdueB.items },
      moduleEffects: moduleEffects.slice(0, WEEKLY_PACK_LIMITS.moduleEffects),
      truncated: {
        members: membersLeft,
        stalledDeals: stalledB.left,
        due: dueB.left,
        overdue: overdueB.left,
      },
      generatedAt: ctx.now().toISOString(),
    };
  }

  const fn = async (input: WeeklyPackInput, ctx: FunctionContext): Promise<WeeklyPack> => {
    const parsed = weeklyPackInputSchema.safeParse(input);
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? 'teamId');
      throw invalidInput(
        field === 'week'
          ? 'week must be a local date, YYYY-MM-DD.'
          : 'teamId must be a HubSpot team id (digits).',
        { field },
      );
    }
    const { teamId, week } = parsed.data;
    const team = (await visibleTeams(ctx)).find((t) => t.id === teamId);
    if (!team) {
      throw new AppError('NOT_FOUND', `weekly pack: team ${teamId} not visible to the caller`, {
        publicMessage: TEAM_NOT_FOUND,
      });
    }
    const { timeZone } = await ctx.hubspot.getPortalDetails();
    const nowMs = ctx.now().getTime();
    const weekStart = packWeekStart(week, nowMs, timeZone);
    const latest = weekStart === lastCompleteWeekStart(nowMs, timeZone);
    const key = `${ctx.portalId}:${teamId}:${weekStart}:${latest ? 'latest' : 'past'}`;
    const t = clock();
    const hit = cache.get(key);
    if (hit && t - hit.at < ttlMs) return hit.value;
    const value = build(ctx, { id: team.id, name: team.name }, weekStart, latest, timeZone).catch(
      (e: unknown) => {
        if (cache.get(key)?.value === value) cache.delete(key);
        throw e;
      },
    );
    cache.delete(key);
    cache.set(key, { at: t, value });
    if (cache.size > MAX_CACHED_PACKS) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    return value;
  };

  return Object.assign(fn, {
    async teams(ctx: FunctionContext): Promise<WeeklyPackTeams> {
      const teams = await visibleTeams(ctx);
      return {
        teams: teams
          .map((t) => ({ id: t.id, name: t.name }))
          .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
          .slice(0, WEEKLY_PACK_LIMITS.teams),
      };
    },
    invalidatePortal(portalId: number): void {
      for (const key of [...cache.keys()]) if (key.startsWith(`${portalId}:`)) cache.delete(key);
    },
    clearCache(): void {
      cache.clear();
    },
  });
}

/** The measurable effects of the team's completed assignments, rolled up per module and metric. */
function effectsOf(
  assignments: readonly TrainingAssignment[],
  catalogue: Awaited<ReturnType<CoachingSettings['catalogue']>>,
  weeks: TeamWeeks,
  memberIds: readonly string[],
): ModuleEffect[] {
  const effects: TrainingEffect[] = [];
  for (const a of assignments) {
    const tag = catalogue.modules.find((m) => m.id === a.moduleId)?.skillTags[0] ?? a.moduleId;
    const effect = assignmentEffect(a, tag, weeks, memberIds);
    if (effect) effects.push(effect);
  }
  return rollUpModuleEffects(effects);
}
