/**
 * The sales funnel as steps between weekly counts. Each step is chosen so that its numerator and
 * denominator are decided by compatible timestamps (METRICS.md §2), which keeps a week's ratio meaningful:
 *
 * - connect: connects / dials. A proportion (connects are a subset of dials, both by hs_timestamp).
 * - booking: meetingsBooked / connects. A per-event ratio, not a proportion: meetings are also booked by
 *   email or from inbound calls, so it can exceed 1; judged with a log-ratio interval (stats.ts).
 * - held: meetingsHeld / (meetingsHeld + meetingsNoShow), METRICS.md's meetingHeldRate. Not held / booked:
 *   booked is dated by creation and held by start time (different weeks, ratio can exceed 1), and a canceled
 *   or rescheduled meeting is not a show failure. A proportion.
 * - dealCreation: dealsCreated / meetingsHeld. Per-event ratio (deals are also created without a meeting).
 * - win: dealsWon / (dealsWon + dealsLost), METRICS.md's winRate. Not won / created: deals created in a
 *   window mostly close after it, while won and lost share the close date. A proportion.
 */
import type { Metrics } from '@pillars/contracts';
import type { FunnelStep, RuleMetric } from '@pillars/contracts';
import { ratioInterval, wilsonInterval } from './stats.js';
import type { Interval } from './stats.js';

/** How one funnel step is computed and judged. */
export interface StepDefinition {
  step: FunnelStep;
  /** The rule metric that names this step's rate. */
  rateMetric: RuleMetric;
  label: string;
  numerator: (m: Metrics) => number;
  denominator: (m: Metrics) => number;
  /** proportion: Wilson interval; ratio: log-ratio interval with both counts Poisson. */
  kind: 'proportion' | 'ratio';
  /**
   * Least denominator for one week to count towards persistence: a steady demo rep logs ~35 dials,
   * ~4 connects, ~4 held-or-no-show meetings and ~1 closed deal a week, so these keep most weeks of a
   * normal rep while dropping weeks where one event swings the rate by more than a third.
   */
  minWeekly: number;
}

/** The five steps, in funnel order. */
export const FUNNEL: readonly StepDefinition[] = [
  {
    step: 'connect',
    rateMetric: 'connectRate',
    label: 'connect rate (connects per dial)',
    numerator: (m) => m.connects,
    denominator: (m) => m.dials,
    kind: 'proportion',
    minWeekly: 20,
  },
  {
    step: 'booking',
    rateMetric: 'bookingRate',
    label: 'meetings booked per connect',
    numerator: (m) => m.meetingsBooked,
    denominator: (m) => m.connects,
    kind: 'ratio',
    minWeekly: 3,
  },
  {
    step: 'held',
    rateMetric: 'meetingHeldRate',
    label: 'meeting held rate (held of held or no-show)',
    numerator: (m) => m.meetingsHeld,
    denominator: (m) => m.meetingsHeld + m.meetingsNoShow,
    kind: 'proportion',
    minWeekly: 3,
  },
  {
    step: 'dealCreation',
    rateMetric: 'dealCreationRate',
    label: 'deals created per held meeting',
    numerator: (m) => m.dealsCreated,
    denominator: (m) => m.meetingsHeld,
    kind: 'ratio',
    minWeekly: 3,
  },
  {
    step: 'win',
    rateMetric: 'winRate',
    label: 'win rate (won of closed deals)',
    numerator: (m) => m.dealsWon,
    denominator: (m) => m.dealsWon + m.dealsLost,
    kind: 'proportion',
    minWeekly: 2,
  },
];

/** The 95 % interval of a step's rate for a sample. */
export function stepInterval(def: StepDefinition, numerator: number, denominator: number): Interval {
  return def.kind === 'proportion'
    ? wilsonInterval(numerator, denominator)
    : ratioInterval(numerator, denominator);
}

/** Numerator and denominator of a step summed over weeks. */
export function pooled(def: StepDefinition, weeks: readonly Metrics[]): { num: number; den: number } {
  let num = 0;
  let den = 0;
  for (const m of weeks) {
    num += def.numerator(m);
    den += def.denominator(m);
  }
  return { num, den };
}

/** The step definition whose rate a rule metric names, if any. */
export function stepOfMetric(metric: RuleMetric): StepDefinition | undefined {
  return FUNNEL.find((d) => d.rateMetric === metric);
}
