/**
 * Praise suggestions for a manager, each with its evidence in plain words and numbers. Built so the
 * middle of the team is seen too: "most improved" compares a rep with their own baseline, not the team.
 *
 * - most-improved: the last `windowWeeks` (4) against the 4 before. A rate counts when both sides have
 *   at least the step's weekly minimum times the number of weeks as denominator (e.g. 80 dials a side for
 *   connect rate) and it rose by at least 10 % relative; a volume (dials, meetings booked, deals created)
 *   counts when it rose by at least 15 % and the earlier side averaged at least one a week. Only the
 *   largest relative rise is suggested, so the card shows one clear line.
 * - target-hit: an ops target met in every week of the window.
 * - clean-process: no unwaived stage exceptions in the period (skipped when the count is not given).
 * - notable-win: the highest won amount of the team over the window (and above zero).
 */
import type { CountMetric, WeeklyPoint } from '@pillars/contracts';
import type { ActivityTarget, PraiseSuggestion } from '@pillars/contracts';
import { FUNNEL, pooled } from './funnel.js';
import { lastWeeks, memberWindows } from './series.js';
import type { TeamSeries } from './series.js';
import { medianOf } from './stats.js';
import { formatCount, formatRate } from './words.js';

/** Everything praise suggestions need for one rep. */
export interface PraiseInput {
  ownerId: string;
  /** The rep's complete weeks, oldest first (at least 2 x windowWeeks for most-improved). */
  rep: readonly WeeklyPoint[];
  team: TeamSeries;
  targets?: readonly ActivityTarget[];
  /** Unwaived stage exceptions of the rep in the window; undefined skips clean-process. */
  unwaivedExceptions?: number;
  options?: { windowWeeks?: number; minRateRise?: number; minVolumeRise?: number };
}

const VOLUME_METRICS: readonly CountMetric[] = ['dials', 'meetingsBooked', 'dealsCreated'];
const PRAISED_RATES = FUNNEL.filter((d) => d.kind === 'proportion');

interface Rise {
  suggestion: PraiseSuggestion;
  rise: number;
}

function mostImproved(
  recent: readonly WeeklyPoint[],
  prior: readonly WeeklyPoint[],
  o: Required<NonNullable<PraiseInput['options']>>,
): Rise | null {
  const weeks = recent.length;
  const rises: Rise[] = [];
  for (const def of PRAISED_RATES) {
    const before = pooled(
      def,
      prior.map((p) => p.metrics),
    );
    const after = pooled(
      def,
      recent.map((p) => p.metrics),
    );
    const min = def.minWeekly * weeks;
    if (before.den < min || after.den < min || before.num === 0) continue;
    const b = before.num / before.den;
    const a = after.num / after.den;
    const rise = a / b - 1;
    if (rise < o.minRateRise) continue;
    rises.push({
      rise,
      suggestion: {
        kind: 'most-improved',
        metric: def.rateMetric,
        headline: `Improved ${def.label}`,
        evidence: `${formatRate(a)} (${after.num} of ${after.den}) in the last ${weeks} weeks, up from ${formatRate(b)} (${before.num} of ${before.den}) in the ${weeks} before.`,
        figures: { before: b, after: a, beforeDenominator: before.den, afterDenominator: after.den },
      },
    });
  }
  for (const metric of VOLUME_METRICS) {
    const b = prior.reduce((s, p) => s + p.metrics[metric], 0);
    const a = recent.reduce((s, p) => s + p.metrics[metric], 0);
    if (b < weeks) continue; // less than one a week before: any rise is noise
    const rise = a / b - 1;
    if (rise < o.minVolumeRise) continue;
    rises.push({
      rise,
      suggestion: {
        kind: 'most-improved',
        metric,
        headline: `More ${metric} than before`,
        evidence: `${formatCount(a)} ${metric} in the last ${weeks} weeks, up ${Math.round(rise * 100)} % from ${formatCount(b)} in the ${weeks} before.`,
        figures: { before: b, after: a },
      },
    });
  }
  return rises.reduce<Rise | null>((best, r) => (best === null || r.rise > best.rise ? r : best), null);
}

/** Praise suggestions for one rep, best evidence first. */
export function suggestPraise(input: PraiseInput): PraiseSuggestion[] {
  const o = { windowWeeks: 4, minRateRise: 0.1, minVolumeRise: 0.15, ...input.options };
  const recent = lastWeeks(input.rep, o.windowWeeks);
  const prior = lastWeeks(input.rep.slice(0, Math.max(0, input.rep.length - recent.length)), o.windowWeeks);
  const out: PraiseSuggestion[] = [];

  if (prior.length === recent.length && recent.length > 0) {
    const improved = mostImproved(recent, prior, o);
    if (improved) out.push(improved.suggestion);
  }

  for (const t of input.targets ?? []) {
    const values = recent.map((p) => p.metrics[t.metric]);
    if (values.length > 0 && t.perWeek > 0 && values.every((v) => v >= t.perWeek)) {
      out.push({
        kind: 'target-hit',
        metric: t.metric,
        headline: `Hit the ${t.metric} target every week`,
        evidence: `${values.map(formatCount).join(', ')} ${t.metric} in the last ${values.length} weeks, against a target of ${formatCount(t.perWeek)} a week.`,
        figures: { target: t.perWeek, weeks: values.length, lowest: Math.min(...values) },
      });
    }
  }

  if (input.unwaivedExceptions === 0) {
    out.push({
      kind: 'clean-process',
      metric: null,
      headline: 'Clean process',
      evidence: `No unwaived stage exceptions in the last ${recent.length} weeks: every deal moved with its exit criteria met.`,
      figures: { unwaivedExceptions: 0 },
    });
  }

  const weeks = recent.map((p) => p.weekStart);
  const won = (points: readonly { wonAmount: number }[]) => points.reduce((s, m) => s + m.wonAmount, 0);
  const repWon = won(recent.map((p) => p.metrics));
  const teamWon = memberWindows(input.team, weeks).map((w) => won(w));
  if (repWon > 0 && teamWon.every((v) => v <= repWon)) {
    const teamMedian = medianOf(teamWon) ?? 0;
    out.push({
      kind: 'notable-win',
      metric: 'wonAmount',
      headline: 'Top won amount in the team',
      evidence: `Won ${formatCount(Math.round(repWon))} in the last ${recent.length} weeks, the most in the team (team median ${formatCount(Math.round(teamMedian))}).`,
      figures: { wonAmount: repWon, teamMedian },
    });
  }
  return out;
}
