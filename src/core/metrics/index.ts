/**
 * The metrics engine (METRICS.md §1-§4): pure functions from CRM records to the activity-metrics report.
 */
export { createMetricsAccumulator } from './accumulator.js';
export type {
  AccumulatorResult,
  BucketCounts,
  MetricsAccumulator,
  MetricsAccumulatorOptions,
} from './accumulator.js';
export { COUNT_INDEX, hasAnyCount, ratesOf, ratio, withRates, zeroCounts } from './counts.js';
export type { CountMetrics } from './counts.js';
export { DEFAULT_CONNECTED_OUTCOME_ID, connectedOutcomeIds, normalizeOutcomeId } from './outcomes.js';
export { DECIDING_TIMESTAMPS, METRIC_OBJECT_TYPES, REQUIRED_PROPERTIES } from './properties.js';
export type { DecidingTimestamp, MetricObjectType, PropertyCondition } from './properties.js';
export { buildMetricsReport } from './report.js';
export type { MetricsReportFilter, MetricsReportInput } from './report.js';
export { buildRoster, compareStrings, ownerName } from './roster.js';
export type { Roster, RosterRep, RosterTeam } from './roster.js';
export { median, teamMedian, teamTotals } from './teams.js';
export { buildWeeklySeries } from './weekly.js';
export type { WeeklySeries } from './weekly.js';
