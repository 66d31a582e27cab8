/**
 * Weekly series of a set of owners, shared by the coaching panel and the weekly meeting pack:
 *
 *   loadTeamWeeks(ctx, deps, { ownerIds, weeks })  → the last `weeks` complete local weeks of each owner
 *                                                    (oldest first) + the week in progress, live;
 *   repInsights(weeks, rep, team, options)         → diagnose + suggestPraise + trends of one member;
 *   teamInsights(weeks, members, options)          → the same for every member (the meeting pack).
 *
 * Where the numbers come from:
 * - complete weeks from the snapshot store (one listWeeks query); a week the store has never written
 *   (no `lastRun`) is computed once through `snapshotWeek` (the activity-metrics function over the
 *   whole portal for that week, then stored), so the next view of any rep of the portal is served from
 *   snapshots. Concurrent loads of the same portal-week share one computation.
 * - the week in progress through the activity-metrics function narrowed to the owners (its searches
 *   read the portal's week; the report keeps only these owners), never stored: it is not complete.
 *
 * Weeks are local Mondays in the portal's time zone (account details, through the gateway's metadata
 * cache). An owner absent from a stored week had no activity that week (snapshots list every active
 * owner, and archived ones only with activity): their point is zeros, so series always align by week.
 *
 * HubSpot requests: with every week stored, the current week only (6 searches, more pages on a busy
 * portal); each missing week adds one snapshotWeek run (6 searches and their pages).
 */
import type { ActivityMetricsInput, Metrics, MetricsReport, WeeklyPoint } from '@pillars/contracts';
import type { ActivityTarget, Diagnosis, MetricTrend, PraiseSuggestion } from '@pillars/contracts';
import { ZERO_METRICS } from '@pillars/contracts';
import { DEFAULT_TREND_METRICS, diagnose, metricTrend, suggestPraise } from '../../core/coaching/index.js';
import type { CurrentWeek, TeamSeries } from '../../core/coaching/index.js';
import { addDays, localDateOf, weekContaining } from '../../core/time/index.js';
import { snapshotWeek } from '../../jobs/weekly-snapshots.js';
import type { SnapshotStore } from '../../store/ports.js';
import type { StageException } from '../../store/webhook-ports.js';
import type { FunctionContext, PillarsFunction } from '../context.js';

const DAY_MS = 86_400_000;
/** Missing weeks computed side by side at most (each is six searches; the gateway paces them). */
export const MISSING_WEEK_CONCURRENCY = 2;
/** The most complete weeks one load reads. */
export const MAX_SERIES_WEEKS = 26;

export interface TeamWeeksDeps {
  activityMetrics: PillarsFunction<ActivityMetricsInput, MetricsReport>;
  snapshots: SnapshotStore;
  /**
   * The portal's whole week in progress, shared by every load (createCurrentWeekCache); omitted, each
   * load asks the activity-metrics function for its own owners.
   */
  currentWeek?: CurrentWeekSource;
}

/** The portal-wide report of the week containing `today` (every rep), for the week in progress. */
export type CurrentWeekSource = (ctx: FunctionContext, today: string) => Promise<MetricsReport>;

/** Default lifetime of the shared week in progress: a coach moving from rep to rep pays for it once. */
export const CURRENT_WEEK_TTL_MS = 2 * 60_000;

/**
 * One portal-wide week-in-progress report per (portal, week), kept `ttlMs` and shared by concurrent
 * callers: the searches behind a week read the portal's whole week whatever the owners asked, so one
 * report serves every rep's panel and every team's pack. Failures are never kept.
 */
export function createCurrentWeekCache(
  activityMetrics: PillarsFunction<ActivityMetricsInput, MetricsReport>,
  options: { ttlMs?: number; now?: () => number; maxEntries?: number } = {},
): CurrentWeekSource & { clear(portalId?: number): void } {
  const ttlMs = options.ttlMs ?? CURRENT_WEEK_TTL_MS;
  const clock = options.now ?? Date.now;
  const max = options.maxEntries ?? 10_000;
  const entries = new Map<string, { at: number; value: Promise<MetricsReport> }>();
  const source = (ctx: FunctionContext, today: string): Promise<MetricsReport> => {
    const key = `${ctx.portalId}:${today}`;
    const t = clock();
    const hit = entries.get(key);
    if (hit && t - hit.at < ttlMs) return hit.value;
    const value = activityMetrics({ week: today }, ctx).catch((e: unknown) => {
      if (entries.get(key)?.value === value) entries.delete(key);
      throw e;
    });
    entries.delete(key);
    entries.set(key, { at: t, value });
    if (entries.size > max) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
    return value;
  };
  return Object.assign(source, {
    clear(portalId?: number): void {
      if (portalId === undefined) return entries.clear();
      for (const key of [...entries.keys()]) if (key.startsWith(`${portalId}:`)) entries.delete(key);
    },
  });
}

export interface TeamWeeksRequest {
  /** Owners whose series are wanted (the rep and their team, or a whole team). */
  ownerIds: readonly string[];
  /** Complete weeks wanted, ending with the last complete week (1..MAX_SERIES_WEEKS). */
  weeks: number;
  /** Also read the week in progress (default true). */
  includeCurrent?: boolean;
}

/** The week in progress: each owner's metrics so far, and the share of the working week elapsed. */
export interface CurrentWeekMetrics {
  weekStart: string;
  byOwner: ReadonlyMap<string, Metrics>;
  /** Share of the working week (Monday to Friday) elapsed, in (0, 1]. */
  elapsedShare: number;
}

/** What loadTeamWeeks returns. */
export interface TeamWeeks {
  timeZone: string;
  /** The portal's local date now, YYYY-MM-DD. */
  today: string;
  /** Local Mondays of the complete weeks, oldest first. */
  weekStarts: string[];
  /** Each requested owner's points over `weekStarts` (zeros where the owner had nothing). */
  series: ReadonlyMap<string, WeeklyPoint[]>;
  /** null when includeCurrent was false. */
  current: CurrentWeekMetrics | null;
  /** Weeks this call computed and stored through snapshotWeek (empty when all were stored). */
  computedWeeks: string[];
}

// Local-date helpers live in the core; re-exported for the modules that read weeks through here.
export { addDays, localDateOf };

/** The Mondays of the `count` complete weeks before the week containing `today`, oldest first. */
export function completeWeekStarts(today: string, count: number, timeZone: string): string[] {
  const current = weekContaining(today, timeZone).from;
  const out: string[] = [];
  for (let i = count; i >= 1; i--) out.push(addDays(current, -7 * i));
  return out;
}

/** Share of the working week (Monday to Friday, local) elapsed at `nowMs`, in (0, 1]. */
export function workingWeekShare(nowMs: number, weekStartMs: number): number {
  const days = Math.min(5, Math.max(0, (nowMs - weekStartMs) / DAY_MS));
  return Math.max(days / 5, 0.01);
}

const inFlight = new Map<string, Promise<unknown>>();

/** snapshotWeek once per (portal, week) at a time, shared by concurrent loads. */
function snapshotOnce(week: string, ctx: FunctionContext, deps: TeamWeeksDeps): Promise<unknown> {
  const key = `${ctx.portalId}:${week}`;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = snapshotWeek(week, ctx, deps).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return pending;
}

async function inBatches<T>(
  items: readonly T[],
  size: number,
  run: (item: T) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

/** The owners' complete weeks (from snapshots, missing weeks computed once) and the week in progress. */
export async function loadTeamWeeks(
  ctx: FunctionContext,
  deps: TeamWeeksDeps,
  request: TeamWeeksRequest,
): Promise<TeamWeeks> {
  const count = Math.min(MAX_SERIES_WEEKS, Math.max(1, Math.floor(request.weeks)));
  const ownerIds = [...new Set(request.ownerIds)];
  const { timeZone } = await ctx.hubspot.getPortalDetails();
  const nowMs = ctx.now().getTime();
  const today = localDateOf(nowMs, timeZone);
  const weekStarts = completeWeekStarts(today, count, timeZone);
  const first = weekStarts[0] as string;
  const last = weekStarts[weekStarts.length - 1] as string;

  const currentRead =
    request.includeCurrent === false || ownerIds.length === 0
      ? Promise.resolve(null)
      : deps.currentWeek
        ? deps.currentWeek(ctx, today)
        : deps.activityMetrics({ week: today, ownerIds }, ctx);
  currentRead.catch(() => undefined); // awaited below

  const runs = await Promise.all(weekStarts.map((w) => deps.snapshots.lastRun(ctx.portalId, w)));
  const missing = weekStarts.filter((_, i) => runs[i] === null);
  await inBatches(missing, MISSING_WEEK_CONCURRENCY, (w) => snapshotOnce(w, ctx, deps));

  const stored =
    ownerIds.length === 0
      ? []
      : await deps.snapshots.listWeeks(ctx.portalId, { fromWeek: first, toWeek: last, ownerIds });
  const byOwner = new Map<string, Map<string, Metrics>>();
  for (const row of stored) {
    let weeks = byOwner.get(row.ownerId);
    if (!weeks) byOwner.set(row.ownerId, (weeks = new Map()));
    weeks.set(row.weekStart, row.metrics);
  }
  const series = new Map<string, WeeklyPoint[]>();
  for (const id of ownerIds) {
    const weeks = byOwner.get(id);
    series.set(
      id,
      weekStarts.map((weekStart) => ({ weekStart, metrics: weeks?.get(weekStart) ?? { ...ZERO_METRICS } })),
    );
  }

  const report = await currentRead;
  let current: CurrentWeekMetrics | null = null;
  if (report) {
    const reps = new Map(report.reps.map((r) => [r.ownerId, r.metrics] as const));
    current = {
      weekStart: report.period.from,
      byOwner: new Map(ownerIds.map((id) => [id, reps.get(id) ?? { ...ZERO_METRICS }] as const)),
      elapsedShare: workingWeekShare(nowMs, Date.parse(report.period.startUtc)),
    };
  }
  return { timeZone, today, weekStarts, series, current, computedWeeks: missing };
}

/** Options of the insights: window and trend lengths, targets, exceptions. */
export interface InsightOptions {
  /** Weeks the diagnosis judges (default 4). */
  windowWeeks?: number;
  /** Weeks of the trends (default 8). */
  trendWeeks?: number;
  targets?: readonly ActivityTarget[];
  /**
   * Unwaived stage exceptions of the rep in the window, for the "clean process" praise; undefined
   * when they cannot be attributed (see unwaivedExceptionCounts): no clean-process praise.
   */
  unwaivedExceptions?: number | undefined;
}

/**
 * Unwaived stage exceptions per member in [startMs, endMs), for the clean-process praise (pure). A
 * count is given only where it can carry the claim "every deal moved with its exit criteria met": the
 * portal recorded exceptions with their deal owner in the window (the webhook pipeline is live and
 * attributes them; a portal without webhooks would otherwise praise everyone) and the member created
 * or closed deals in the window (`dealActivity`). Elsewhere undefined: no clean-process praise.
 */
export function unwaivedExceptionCounts(
  exceptions: readonly Pick<StageException, 'ownerId' | 'occurredAt'>[],
  window: { startMs: number; endMs: number },
  dealActivity: ReadonlyMap<string, number>,
): Map<string, number | undefined> {
  const inWindow = exceptions.filter((e) => {
    const t = e.occurredAt.getTime();
    return e.ownerId !== null && t >= window.startMs && t < window.endMs;
  });
  const out = new Map<string, number | undefined>();
  for (const [ownerId, deals] of dealActivity) {
    out.set(
      ownerId,
      inWindow.length === 0 || deals <= 0 ? undefined : inWindow.filter((e) => e.ownerId === ownerId).length,
    );
  }
  return out;
}

/** Deals created, won or lost by each owner over the last `weeks` loaded weeks (for the count above). */
export function dealActivityOf(
  weeks: Pick<TeamWeeks, 'series'>,
  ownerIds: readonly string[],
  last: number,
): Map<string, number> {
  return new Map(
    ownerIds.map((id) => {
      const points = (weeks.series.get(id) ?? []).slice(-last);
      return [
        id,
        points.reduce((n, p) => n + p.metrics.dealsCreated + p.metrics.dealsWon + p.metrics.dealsLost, 0),
      ];
    }),
  );
}

/** One member's coaching view of the loaded weeks. */
export interface RepInsights {
  ownerId: string;
  diagnosis: Diagnosis;
  praise: PraiseSuggestion[];
  trends: MetricTrend[];
  /** The week in progress, for pace (null when not loaded). */
  current: CurrentWeek | null;
}

/** The team series restricted to `memberIds` (unknown ids left out). */
export function teamSeriesOf(weeks: TeamWeeks, memberIds: readonly string[]): TeamSeries {
  const out = new Map<string, readonly WeeklyPoint[]>();
  for (const id of memberIds) {
    const s = weeks.series.get(id);
    if (s) out.set(id, s);
  }
  return out;
}

/** Diagnosis, praise and trends of one rep against `teamIds` (active members, the rep included). */
export function repInsights(
  weeks: TeamWeeks,
  ownerId: string,
  teamIds: readonly string[],
  options: InsightOptions = {},
): RepInsights {
  const rep = weeks.series.get(ownerId) ?? [];
  const team = teamSeriesOf(weeks, teamIds.includes(ownerId) ? teamIds : [...teamIds, ownerId]);
  const trendWeeks = options.trendWeeks ?? 8;
  const metrics = weeks.current?.byOwner.get(ownerId);
  const current: CurrentWeek | null =
    weeks.current && metrics
      ? { weekStart: weeks.current.weekStart, metrics, elapsedShare: weeks.current.elapsedShare }
      : null;
  const diagnosis = diagnose({
    ownerId,
    rep,
    team,
    ...(options.targets ? { targets: options.targets } : {}),
    ...(current ? { currentWeek: current } : {}),
    options: { windowWeeks: options.windowWeeks ?? 4, trendWeeks },
  });
  const praise = suggestPraise({
    ownerId,
    rep,
    team,
    ...(options.targets ? { targets: options.targets } : {}),
    ...(options.unwaivedExceptions !== undefined ? { unwaivedExceptions: options.unwaivedExceptions } : {}),
    options: { windowWeeks: options.windowWeeks ?? 4 },
  });
  const window = rep.slice(Math.max(0, rep.length - trendWeeks));
  const trends = DEFAULT_TREND_METRICS.map((m) => metricTrend(m, window));
  return { ownerId, diagnosis, praise, trends, current };
}

/** repInsights for every member of a team (the weekly meeting pack), in the members' order. */
export function teamInsights(
  weeks: TeamWeeks,
  memberIds: readonly string[],
  options: InsightOptions | ((ownerId: string) => InsightOptions) = {},
): RepInsights[] {
  return memberIds.map((id) =>
    repInsights(weeks, id, memberIds, typeof options === 'function' ? options(id) : options),
  );
}
