/**
 * The coaching diagnosis: where in the funnel a rep falls behind the team, only when the data says so.
 *
 * Method (per step, over the window, default the last 4 weeks):
 * 1. Real gap: the rep's pooled rate gets a 95 % interval (Wilson for proportions, a log-ratio interval for
 *    per-event ratios, see funnel.ts and stats.ts); a gap is real only when the interval's UPPER bound is below the team
 *    median (the median of the active members' pooled window rates, rep included, as METRICS.md §3 does).
 *    A fixed minimum count treats 30 dials at 0 % and 30 dials at 9 % alike; the interval scales with both
 *    the sample and the size of the gap, so a large gap shows early and a small one needs a large sample,
 *    and 0 connects of 3 dials (interval up to 56 %) can never be called a gap.
 * 2. Persistent: in at least `minWeeksBelow` (2) of the window's weeks the rep's weekly rate was below that
 *    week's team median, counting only weeks where the rep's weekly denominator passes the step's minimum.
 *    One bad week (a holiday, a bad list) is not a coaching topic.
 * 3. The weakest step is the real and persistent gap with the largest relative shortfall (rate / median - 1);
 *    ties go to the earlier step, where the funnel loses the most downstream.
 * Not enough data: when the top step cannot be judged at all, i.e. even a connect rate HALF the team's
 *    would not be told apart from the team's (its Wilson upper bound at the rep's dials would not fall below
 *    the median), or when no step has `minWeeksBelow` weeks passing their weekly minimum.
 */
import type { Metrics, WeeklyPoint } from '@pillars/contracts';
import type { ActivityTarget, Diagnosis, StepAssessment } from '@pillars/contracts';
import { FUNNEL, pooled, stepInterval } from './funnel.js';
import type { StepDefinition } from './funnel.js';
import { lastWeeks, memberWindows, membersByWeek } from './series.js';
import type { TeamSeries } from './series.js';
import { medianOf, wilsonInterval } from './stats.js';
import { DEFAULT_TREND_METRICS, metricTrend } from './trend.js';
import { volumeChecks } from './volume.js';
import type { CurrentWeek } from './volume.js';
import { formatRate, formatStepRate } from './words.js';

/** Tunables of the diagnosis; each has a documented default. */
export interface DiagnosisOptions {
  /** Weeks judged (default 4). */
  windowWeeks?: number;
  /** Weeks of the trend (default 8). */
  trendWeeks?: number;
  /** Weeks below the team's weekly median needed for a persistent gap (default 2). */
  minWeeksBelow?: number;
  /** The connect-rate shortfall the top step must be able to detect, as a share of the median (default 0.5). */
  detectableShare?: number;
}

/** Everything the diagnosis of one rep needs. */
export interface DiagnosisInput {
  ownerId: string;
  /** The rep's complete weeks, oldest first (the last `trendWeeks`; the last `windowWeeks` are judged). */
  rep: readonly WeeklyPoint[];
  /** The active members of the rep's team (rep included), each with weekly points matched by weekStart. */
  team: TeamSeries;
  /** Ops targets for the rep's team; none gives no volume checks. */
  targets?: readonly ActivityTarget[];
  /** The week in progress, for pace. */
  currentWeek?: CurrentWeek;
  options?: DiagnosisOptions;
}

const DEFAULTS = { windowWeeks: 4, trendWeeks: 8, minWeeksBelow: 2, detectableShare: 0.5 };

function rateOf(def: StepDefinition, weeks: readonly Metrics[]): number | null {
  const { num, den } = pooled(def, weeks);
  return den > 0 ? num / den : null;
}

/** Assess one step of a rep against the team over the window. */
export function assessStep(
  def: StepDefinition,
  repWindow: readonly WeeklyPoint[],
  team: TeamSeries,
  minWeeksBelow = DEFAULTS.minWeeksBelow,
): StepAssessment {
  const weeks = repWindow.map((p) => p.weekStart);
  const { num, den } = pooled(
    def,
    repWindow.map((p) => p.metrics),
  );
  const rate = den > 0 ? num / den : null;
  const interval = stepInterval(def, num, den);
  const memberRates = memberWindows(team, weeks)
    .map((w) => rateOf(def, w))
    .filter((r): r is number => r !== null);
  const teamMedian = medianOf(memberRates);

  const weekly = membersByWeek(team, weeks);
  let weeksJudged = 0;
  let weeksBelow = 0;
  repWindow.forEach((p, i) => {
    const d = def.denominator(p.metrics);
    if (d < def.minWeekly) return;
    weeksJudged++;
    const weekMedian = medianOf(
      weekly[i].map((m) => rateOf(def, [m])).filter((r): r is number => r !== null),
    );
    if (weekMedian !== null && def.numerator(p.metrics) / d < weekMedian) weeksBelow++;
  });

  const realGap = interval.high !== null && teamMedian !== null && interval.high < teamMedian;
  return {
    step: def.step,
    rep: { numerator: num, denominator: den, rate, low: interval.low, high: interval.high },
    teamMedian,
    realGap,
    weeksBelow,
    weeksJudged,
    persistent: weeksBelow >= minWeeksBelow,
    relativeGap: rate !== null && teamMedian !== null && teamMedian > 0 ? rate / teamMedian - 1 : null,
  };
}

/**
 * The fewest dials at which a connect rate of `share` times the team median has a Wilson upper bound below
 * the median; null when the median is missing or zero (nothing to fall below).
 */
export function dialsToDetect(teamMedian: number | null, share: number): number | null {
  if (teamMedian === null || teamMedian <= 0) return null;
  for (let n = 1; n <= 100_000; n = n < 50 ? n + 1 : Math.ceil(n * 1.02)) {
    if ((wilsonInterval(share * teamMedian * n, n).high ?? 1) < teamMedian) return n;
  }
  return null;
}

/** Diagnose one rep: the weakest funnel step (only when real and persistent), volume and trends. */
export function diagnose(input: DiagnosisInput): Diagnosis {
  const o = { ...DEFAULTS, ...input.options };
  const window = lastWeeks(input.rep, o.windowWeeks);
  const steps = FUNNEL.map((def) => assessStep(def, window, input.team, o.minWeeksBelow));
  const base = {
    ownerId: input.ownerId,
    weeks: window.map((p) => p.weekStart),
    steps,
    volume: volumeChecks(window, input.targets ?? [], input.currentWeek),
    trends: DEFAULT_TREND_METRICS.map((m) => metricTrend(m, lastWeeks(input.rep, o.trendWeeks))),
  };
  const n = window.length;

  const connect = steps[0];
  const needed = dialsToDetect(connect.teamMedian, o.detectableShare);
  const judgeable = steps.some((s) => s.weeksJudged >= o.minWeeksBelow);
  if (needed === null || connect.rep.denominator < needed || !judgeable) {
    const why =
      needed === null
        ? 'the team has no connect rate to compare with'
        : connect.rep.denominator < needed
          ? `${connect.rep.denominator} dials in the last ${n} weeks; about ${needed} are needed to tell a connect rate half the team's from the team median of ${formatRate(connect.teamMedian)}`
          : `no step had ${o.minWeeksBelow} weeks with enough activity to judge`;
    return { ...base, status: 'not-enough-data', weakestStep: null, summary: `Not enough data: ${why}.` };
  }

  const gaps = steps.filter((s) => s.realGap && s.persistent);
  if (gaps.length === 0) {
    const near = steps.filter((s) => s.realGap).map((s) => s.step);
    const note =
      near.length > 0
        ? ` (${near.join(', ')} below the team overall but not in ${o.minWeeksBelow} of the last ${n} weeks)`
        : '';
    return {
      ...base,
      status: 'no-clear-gap',
      weakestStep: null,
      summary: `No clear gap: no step is below the team median beyond sampling noise and persistently${note}.`,
    };
  }
  const weakest = gaps.reduce((a, b) => ((b.relativeGap ?? 0) < (a.relativeGap ?? 0) ? b : a));
  const def = FUNNEL.find((d) => d.step === weakest.step) as StepDefinition;
  return {
    ...base,
    status: 'gap',
    weakestStep: weakest.step,
    summary:
      `Weakest step: ${def.label}, ${formatStepRate(def, weakest.rep.numerator, weakest.rep.denominator)} ` +
      `against a team median of ${formatRate(weakest.teamMedian, def.kind)} over the last ${n} weeks ` +
      `(95 % interval up to ${formatRate(weakest.rep.high, def.kind)}); below the team in ${weakest.weeksBelow} of ${weakest.weeksJudged} weeks judged.`,
  };
}
