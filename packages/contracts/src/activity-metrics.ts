/**
 * The activity-metrics contract (METRICS.md §2 and §4): metric names, the report shape the CLI
 * prints with --json and the backend serves to cards, and the function's input.
 */
import { z } from 'zod';

/** Count metrics, in METRICS.md §2 order. */
export const COUNT_METRICS = [
  'dials',
  'connects',
  'talkTimeMs',
  'inboundCalls',
  'emailsSent',
  'emailsReceived',
  'meetingsBooked',
  'meetingsScheduled',
  'meetingsHeld',
  'meetingsNoShow',
  'meetingsCanceled',
  'notes',
  'tasksCompleted',
  'dealsCreated',
  'dealsWon',
  'dealsLost',
  'wonAmount',
] as const;
export type CountMetric = (typeof COUNT_METRICS)[number];

/** Rate metrics: fractions in [0, 1], or null when the denominator is 0. */
export const RATE_METRICS = ['connectRate', 'meetingHeldRate', 'winRate'] as const;
export type RateMetric = (typeof RATE_METRICS)[number];

/** Every metric, in the order METRICS.md §2 lists them. */
export const METRIC_NAMES = [
  'dials',
  'connects',
  'connectRate',
  'talkTimeMs',
  'inboundCalls',
  'emailsSent',
  'emailsReceived',
  'meetingsBooked',
  'meetingsScheduled',
  'meetingsHeld',
  'meetingsNoShow',
  'meetingsCanceled',
  'meetingHeldRate',
  'notes',
  'tasksCompleted',
  'dealsCreated',
  'dealsWon',
  'dealsLost',
  'winRate',
  'wonAmount',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

const count = z.number().nonnegative();
const rate = z.number().min(0).max(1).nullable();

/** All metrics of one owner, team or bucket. Counts are integers except wonAmount (a currency sum). */
export const metricsSchema = z.strictObject({
  dials: count,
  connects: count,
  connectRate: rate,
  talkTimeMs: count,
  inboundCalls: count,
  emailsSent: count,
  emailsReceived: count,
  meetingsBooked: count,
  meetingsScheduled: count,
  meetingsHeld: count,
  meetingsNoShow: count,
  meetingsCanceled: count,
  meetingHeldRate: rate,
  notes: count,
  tasksCompleted: count,
  dealsCreated: count,
  dealsWon: count,
  dealsLost: count,
  winRate: rate,
  wonAmount: z.number(),
});
export type Metrics = z.infer<typeof metricsSchema>;

/** A team median: counts may be halves (mean of the two middle values). */
export type MedianMetrics = Metrics;

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

export const periodSchema = z.strictObject({
  from: localDate,
  to: localDate,
  startUtc: z.string(),
  endUtc: z.string(),
});
export type Period = z.infer<typeof periodSchema>;

export const repReportSchema = z.strictObject({
  ownerId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  archived: z.boolean(),
  teamIds: z.array(z.string()),
  metrics: metricsSchema,
});
export type RepReport = z.infer<typeof repReportSchema>;

export const teamReportSchema = z.strictObject({
  teamId: z.string(),
  name: z.string(),
  ownerIds: z.array(z.string()),
  totals: metricsSchema,
  median: metricsSchema,
});
export type TeamReport = z.infer<typeof teamReportSchema>;

/** The `pillars metrics --json` document (METRICS.md §4). */
export const metricsReportSchema = z.strictObject({
  portalId: z.number().int(),
  timeZone: z.string(),
  period: periodSchema,
  reps: z.array(repReportSchema),
  teams: z.array(teamReportSchema),
  unassigned: metricsSchema,
  skipped: z.number().int().nonnegative(),
});
export type MetricsReport = z.infer<typeof metricsReportSchema>;

/** One week of an owner's metrics, for trend charts. */
export const weeklyPointSchema = z.strictObject({
  weekStart: localDate,
  metrics: metricsSchema,
});
export type WeeklyPoint = z.infer<typeof weeklyPointSchema>;

/**
 * Input of the activity-metrics function. Either a period (`from`, `to` exclusive, local dates) or a
 * `week` (any local date inside it; the week runs Monday to Monday). Optionally narrowed to owners or a team.
 */
export const activityMetricsInputSchema = z
  .strictObject({
    from: localDate.optional(),
    to: localDate.optional(),
    week: localDate.optional(),
    ownerIds: z.array(z.string().regex(/^\d+$/, 'owner ids are numeric')).max(500).optional(),
    teamId: z.string().regex(/^\d+$/, 'team ids are numeric').optional(),
  })
  .refine((v) => (v.week !== undefined) !== (v.from !== undefined || v.to !== undefined), {
    message: 'give either week, or from and to, not both',
  })
  .refine((v) => v.week !== undefined || (v.from !== undefined && v.to !== undefined), {
    message: 'give either week, or both from and to',
  })
  .refine((v) => !(v.ownerIds && v.teamId), { message: 'give ownerIds or teamId, not both' });
export type ActivityMetricsInput = z.infer<typeof activityMetricsInputSchema>;

/** Every metric at zero (rates null): what an owner with no activity shows. */
export const ZERO_METRICS: Readonly<Metrics> = Object.freeze({
  dials: 0,
  connects: 0,
  connectRate: null,
  talkTimeMs: 0,
  inboundCalls: 0,
  emailsSent: 0,
  emailsReceived: 0,
  meetingsBooked: 0,
  meetingsScheduled: 0,
  meetingsHeld: 0,
  meetingsNoShow: 0,
  meetingsCanceled: 0,
  meetingHeldRate: null,
  notes: 0,
  tasksCompleted: 0,
  dealsCreated: 0,
  dealsWon: 0,
  dealsLost: 0,
  winRate: null,
  wonAmount: 0,
});
