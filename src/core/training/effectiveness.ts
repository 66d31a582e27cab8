/**
 * Did the training work? Difference in differences for one completed assignment: the rep's change in the
 * targeted metric over the `weeks` full weeks before and after the completion week (that week itself is
 * left out), minus the control's change over the same weeks. The control (pass the team's totals WITHOUT
 * the rep, with `controlMembers` its number of members) removes what moved everyone: seasonality, a new
 * list, a price change.
 *
 * Supported only when the samples can carry a claim, otherwise `supported: false` and no effect:
 * - both sides have all `weeks` weeks (default 4), for the rep and for the control;
 * - rates: the rep's denominator on each side is at least the step's weekly minimum times `weeks` (an
 *   average judged week; 80 dials a side for connect rate, 12 held-or-no-show meetings for held rate),
 *   and the control's likewise;
 * - counts: at least 3 weeks a side (a weekly variance needs them).
 * The interval is the normal 95 % interval of the difference, its variance the sum of the four sides'
 * variances (proportions p(1-p)/n; per-event ratios r^2(1/events + 1/base); counts the variance of the
 * weekly mean). A supported effect whose interval spans 0 is reported, and its reason says so.
 */
import type { CountMetric, Metrics, WeeklyPoint } from '@pillars/contracts';
import type { ModuleEffect, RuleMetric, TrainingEffect } from '@pillars/contracts';
import { pooled, stepOfMetric } from '../coaching/funnel.js';
import type { StepDefinition } from '../coaching/funnel.js';
import { Z95, medianOf } from '../coaching/stats.js';

/** One completed assignment to measure. */
export interface EffectInput {
  ownerId: string;
  moduleTag: string;
  metric: RuleMetric;
  /** The rep's weekly points around the completion. */
  rep: readonly WeeklyPoint[];
  /** The control's weekly points (team totals without the rep), same weeks. */
  control: readonly WeeklyPoint[];
  /** Members summed in `control`, to put counts on a per-rep scale (default 1). */
  controlMembers?: number;
  /** weekStart (local Monday) of the week the assignment was completed in. */
  completedWeek: string;
  /** Weeks on each side (default 4). */
  weeks?: number;
}

interface Side {
  value: number | null;
  variance: number;
  sample: number;
}

function sides(points: readonly WeeklyPoint[], completedWeek: string, weeks: number): [Metrics[], Metrics[]] {
  const sorted = [...points].sort((a, b) => a.weekStart.localeCompare(b.weekStart));
  const before = sorted.filter((p) => p.weekStart < completedWeek).slice(-weeks);
  const after = sorted.filter((p) => p.weekStart > completedWeek).slice(0, weeks);
  return [before.map((p) => p.metrics), after.map((p) => p.metrics)];
}

function rateSide(def: StepDefinition, weeks: readonly Metrics[]): Side {
  const { num, den } = pooled(def, weeks);
  if (den <= 0) return { value: null, variance: 0, sample: 0 };
  const r = num / den;
  const variance =
    def.kind === 'proportion' ? (r * (1 - r)) / den : r * r * (1 / Math.max(num, 0.5) + 1 / den);
  return { value: r, variance, sample: den };
}

function countSide(metric: CountMetric, weeks: readonly Metrics[], scale: number): Side {
  const values = weeks.map((m) => m[metric] / scale);
  const n = values.length;
  if (n === 0) return { value: null, variance: 0, sample: 0 };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const ss = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  return { value: mean, variance: n > 1 ? ss / (n - 1) / n : 0, sample: n };
}

/** The difference-in-differences effect of one completed assignment. */
export function trainingEffect(input: EffectInput): TrainingEffect {
  const weeks = input.weeks ?? 4;
  const scale = Math.max(1, input.controlMembers ?? 1);
  const step = stepOfMetric(input.metric);
  const [rb, ra] = sides(input.rep, input.completedWeek, weeks);
  const [cb, ca] = sides(input.control, input.completedWeek, weeks);
  const side = (w: Metrics[], isControl: boolean): Side =>
    step ? rateSide(step, w) : countSide(input.metric as CountMetric, w, isControl ? scale : 1);
  const [repB, repA, conB, conA] = [side(rb, false), side(ra, false), side(cb, true), side(ca, true)];

  const problems: string[] = [];
  if ([rb, ra, cb, ca].some((w) => w.length < weeks))
    problems.push(`needs ${weeks} full weeks before and after the completion week`);
  if (step) {
    const min = step.minWeekly * weeks;
    if (repB.sample < min || repA.sample < min)
      problems.push(`the rep needs at least ${min} in the denominator of ${input.metric} on each side`);
    if (conB.sample < min || conA.sample < min) problems.push(`the team needs at least ${min} on each side`);
  } else if (weeks < 3) {
    problems.push('counts need at least 3 weeks a side');
  }
  const base = {
    ownerId: input.ownerId,
    moduleTag: input.moduleTag,
    metric: input.metric,
    rep: { before: repB.value, after: repA.value },
    control: { before: conB.value, after: conA.value },
    samples: {
      repBefore: repB.sample,
      repAfter: repA.sample,
      controlBefore: conB.sample,
      controlAfter: conA.sample,
    },
  };
  if (
    problems.length > 0 ||
    repB.value === null ||
    repA.value === null ||
    conB.value === null ||
    conA.value === null
  ) {
    const reason = problems.length > 0 ? problems.join('; ') : 'a side has no data';
    return {
      ...base,
      supported: false,
      reason: `Not enough data to measure: ${reason}.`,
      effect: null,
      interval: null,
    };
  }
  const effect = repA.value - repB.value - (conA.value - conB.value);
  const half = Z95 * Math.sqrt(repB.variance + repA.variance + conB.variance + conA.variance);
  const interval = { low: effect - half, high: effect + half };
  const clear = interval.low > 0 || interval.high < 0;
  return {
    ...base,
    supported: true,
    reason: clear
      ? `The rep's change differs from the team's beyond sampling noise (95 % interval excludes 0).`
      : `Measured, but the 95 % interval includes 0: no clear effect yet.`,
    effect,
    interval,
  };
}

/** Per module and metric: the median effect over supported assignments, with how many were supported. */
export function rollUpModuleEffects(effects: readonly TrainingEffect[]): ModuleEffect[] {
  const groups = new Map<string, TrainingEffect[]>();
  for (const e of effects) {
    const key = `${e.moduleTag}\u0000${e.metric}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups.values()].map((group) => {
    const supported = group.filter((e) => e.supported && e.effect !== null);
    return {
      moduleTag: group[0].moduleTag,
      metric: group[0].metric,
      medianEffect: medianOf(supported.map((e) => e.effect as number)),
      supported: supported.length,
      total: group.length,
    };
  });
}
