/**
 * Time in the portal's zone: periods, weeks and HubSpot instants.
 */
export { parseInstant } from './instant.js';
export {
  MAX_PERIOD_DAYS,
  addDays,
  lastCompleteWeekStart,
  localDateOf,
  parseLocalDate,
  requireTimeZone,
  resolvePeriod,
  splitIntoWeeks,
  startOfLocalDay,
  weekContaining,
  weekStarts,
} from './period.js';
export type { LocalDate, ResolvedPeriod, TimeBucket, WeekBucket } from './period.js';
