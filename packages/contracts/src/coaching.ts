/**
 * The coaching and training contract: the diagnosis of a rep's funnel, praise suggestions, training rules
 * (validated here, evaluated in src/core/training) and the measured effect of completed training.
 */
import { z } from 'zod';
import { COUNT_METRICS, METRIC_NAMES } from './activity-metrics.js';

/**
 * The funnel steps, in order. Each is a ratio of two weekly counts (see src/core/coaching/funnel.ts):
 * connect = connects/dials, booking = meetingsBooked/connects, held = meetingsHeld/(held+noShow),
 * dealCreation = dealsCreated/meetingsHeld, win = dealsWon/(dealsWon+dealsLost).
 */
export const FUNNEL_STEPS = ['connect', 'booking', 'held', 'dealCreation', 'win'] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

/** Step rates a training rule may name besides the METRICS.md metrics (they have no METRICS.md name). */
export const STEP_RATE_METRICS = ['bookingRate', 'dealCreationRate'] as const;

/** Every metric a training rule may name. */
export const RULE_METRICS = [...METRIC_NAMES, ...STEP_RATE_METRICS] as const;
export type RuleMetric = (typeof RULE_METRICS)[number];

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/** A rate with its sample: numerator over denominator and a 95 % interval. */
export const rateSampleSchema = z.strictObject({
  numerator: z.number().nonnegative(),
  denominator: z.number().nonnegative(),
  /** numerator / denominator, null when the denominator is 0. */
  rate: z.number().nonnegative().nullable(),
  /** 95 % interval (Wilson for proportions, log-ratio for per-event ratios); null without data. */
  low: z.number().nonnegative().nullable(),
  high: z.number().nonnegative().nullable(),
});
export type RateSample = z.infer<typeof rateSampleSchema>;

/** One funnel step of a rep against the team over the diagnosis window. */
export const stepAssessmentSchema = z.strictObject({
  step: z.enum(FUNNEL_STEPS),
  rep: rateSampleSchema,
  /** Median of the active members' window rates (members with a zero denominator left out). */
  teamMedian: z.number().nonnegative().nullable(),
  /** The interval's upper bound is below the team median: the gap is not sampling noise. */
  realGap: z.boolean(),
  /** Weeks whose rep rate was below that week's team median, among weeks passing the weekly minimum. */
  weeksBelow: z.number().int().nonnegative(),
  /** Weeks that passed the weekly minimum denominator. */
  weeksJudged: z.number().int().nonnegative(),
  persistent: z.boolean(),
  /** rep rate / team median - 1 (negative: below the team); null when either is missing. */
  relativeGap: z.number().nullable(),
});
export type StepAssessment = z.infer<typeof stepAssessmentSchema>;

/** Activity volume against an ops target (per week), with the pace of the current week. */
export const volumeCheckSchema = z.strictObject({
  metric: z.enum(COUNT_METRICS),
  targetPerWeek: z.number().nonnegative(),
  averagePerWeek: z.number().nonnegative(),
  weeksHit: z.number().int().nonnegative(),
  weeks: z.number().int().nonnegative(),
  /** The current week so far, projected to a full week; null when no current week was given. */
  pace: z
    .strictObject({
      weekStart: localDate,
      soFar: z.number().nonnegative(),
      projected: z.number().nonnegative(),
      onPace: z.boolean(),
    })
    .nullable(),
});
export type VolumeCheck = z.infer<typeof volumeCheckSchema>;

/** A metric over the trend window: least-squares slope per week and first half against second half. */
export const metricTrendSchema = z.strictObject({
  metric: z.enum(METRIC_NAMES),
  weeks: z.number().int().nonnegative(),
  /** Least-squares slope of the weekly values (rates: weeks with a null rate left out); null under 2 points. */
  slopePerWeek: z.number().nullable(),
  /** Counts: mean per week; rates: pooled from the summed counts of the half. */
  firstHalf: z.number().nullable(),
  secondHalf: z.number().nullable(),
  /** secondHalf / firstHalf - 1; null when either is null or firstHalf is 0. */
  relativeChange: z.number().nullable(),
  direction: z.enum(['up', 'down', 'flat', 'unknown']),
});
export type MetricTrend = z.infer<typeof metricTrendSchema>;

/** The coaching diagnosis of one rep. */
export const diagnosisSchema = z.strictObject({
  ownerId: z.string(),
  /** Local Mondays of the diagnosis window, oldest first. */
  weeks: z.array(localDate),
  status: z.enum(['gap', 'no-clear-gap', 'not-enough-data']),
  /** The weakest step when status is 'gap'. */
  weakestStep: z.enum(FUNNEL_STEPS).nullable(),
  /** Plain-words summary for the card. */
  summary: z.string(),
  steps: z.array(stepAssessmentSchema),
  volume: z.array(volumeCheckSchema),
  trends: z.array(metricTrendSchema),
});
export type Diagnosis = z.infer<typeof diagnosisSchema>;

/** A praise suggestion with its evidence in plain words and numbers. */
export const praiseSuggestionSchema = z.strictObject({
  kind: z.enum(['most-improved', 'target-hit', 'clean-process', 'notable-win']),
  metric: z.enum(RULE_METRICS).nullable(),
  headline: z.string(),
  evidence: z.string(),
  /** The numbers behind the evidence (e.g. before, after, target). */
  figures: z.record(z.string(), z.number()),
});
export type PraiseSuggestion = z.infer<typeof praiseSuggestionSchema>;

/** Activity targets set by ops for a team: per count metric, per week. */
export const activityTargetSchema = z.strictObject({
  metric: z.enum(COUNT_METRICS, { error: (i) => `unknown count metric "${String(i.input)}"` }),
  perWeek: z.number().nonnegative(),
});
export type ActivityTarget = z.infer<typeof activityTargetSchema>;

const ruleMetricSet: ReadonlySet<string> = new Set(RULE_METRICS);

/** A training rule: assign a module when a metric is on the wrong side of the team median often enough. */
export const trainingRuleSchema = z
  .strictObject({
    id: z.string().min(1).max(100).optional(),
    metric: z.string().superRefine((value, ctx) => {
      if (!ruleMetricSet.has(value)) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown metric "${value}"; known metrics: ${RULE_METRICS.join(', ')}`,
        });
      }
    }),
    comparator: z.enum(['belowTeamMedian', 'aboveTeamMedian']),
    weeks: z.number().int().min(1).max(26),
    outOf: z.number().int().min(1).max(26),
    moduleTag: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'module tags are lower-case words joined by dashes'),
  })
  .refine((r) => r.weeks <= r.outOf, { message: 'weeks must not exceed outOf', path: ['weeks'] });
export type TrainingRule = Omit<z.infer<typeof trainingRuleSchema>, 'metric'> & { metric: RuleMetric };

/** One rep a rule fires for, and why. */
export const ruleFiringSchema = z.strictObject({
  ownerId: z.string(),
  ruleId: z.string().nullable(),
  moduleTag: z.string(),
  metric: z.enum(RULE_METRICS),
  weeksMatched: z.number().int().nonnegative(),
  outOf: z.number().int().positive(),
  reason: z.string(),
});
export type RuleFiring = z.infer<typeof ruleFiringSchema>;

/** The measured effect of one completed training assignment (difference in differences). */
export const trainingEffectSchema = z.strictObject({
  ownerId: z.string(),
  moduleTag: z.string(),
  metric: z.enum(RULE_METRICS),
  /** False when the samples cannot support a claim; effect and interval are then null. */
  supported: z.boolean(),
  /** Why it is or is not supported, in plain words. */
  reason: z.string(),
  rep: z.strictObject({ before: z.number().nullable(), after: z.number().nullable() }),
  control: z.strictObject({ before: z.number().nullable(), after: z.number().nullable() }),
  /** Denominators (rates) or weeks (counts) on each side. */
  samples: z.strictObject({
    repBefore: z.number().nonnegative(),
    repAfter: z.number().nonnegative(),
    controlBefore: z.number().nonnegative(),
    controlAfter: z.number().nonnegative(),
  }),
  effect: z.number().nullable(),
  interval: z.strictObject({ low: z.number(), high: z.number() }).nullable(),
});
export type TrainingEffect = z.infer<typeof trainingEffectSchema>;

/** Roll-up of a module's effect over its supported assignments. */
export const moduleEffectSchema = z.strictObject({
  moduleTag: z.string(),
  metric: z.enum(RULE_METRICS),
  medianEffect: z.number().nullable(),
  supported: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
export type ModuleEffect = z.infer<typeof moduleEffectSchema>;
