/**
 * Periods of local wall-clock time (METRICS.md §1): `[from, to)` between local midnights of the portal's
 * time zone, converted to UTC instants with the zone's real offsets, and the Monday-to-Monday weeks that
 * cover them. All zone math goes through luxon's IANA zone data.
 */
import { IANAZone } from 'luxon';
import { invalidInput } from '../errors.js';

export { parseInstant } from './instant.js';

/** A validated period: local dates (`to` exclusive) and the UTC instants of their local midnights. */
export interface ResolvedPeriod {
  /** First local day, YYYY-MM-DD. */
  from: string;
  /** Local day after the last one, YYYY-MM-DD (exclusive). */
  to: string;
  /** Local midnight starting `from`, as ISO-8601 UTC with milliseconds, e.g. 2026-11-02T05:00:00.000Z. */
  startUtc: string;
  /** Local midnight starting `to`, same format. */
  endUtc: string;
  startMs: number;
  endMs: number;
}

/** A half-open span of instants `[startMs, endMs)`. */
export interface TimeBucket {
  startMs: number;
  endMs: number;
}

/** One local week of a period: its Monday, and its instants clipped to the period. */
export interface WeekBucket extends TimeBucket {
  /** The local Monday the week starts on, YYYY-MM-DD (even when the period starts later in the week). */
  weekStart: string;
}

/** The longest period accepted: a leap year. */
export const MAX_PERIOD_DAYS = 366;

const MS_PER_DAY = 86_400_000;
const MS_PER_MINUTE = 60_000;

/** A calendar date without a zone. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** Parse a strict YYYY-MM-DD calendar date; null when malformed or impossible (2026-02-30). */
export function parseLocalDate(value: string): LocalDate | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  // Round-trip through Date.UTC to reject impossible days; years < 100 are refused (Date.UTC maps them to 19xx).
  const t = Date.UTC(year, month - 1, day);
  const d = new Date(t);
  if (year < 100 || d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    return null;
  }
  return { year, month, day };
}

function formatLocalDate(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Days since 1970-01-01 of a calendar date (zone-free). */
function dayNumberOf(d: LocalDate): number {
  return Date.UTC(d.year, d.month - 1, d.day) / MS_PER_DAY;
}

function requireDate(value: string, name: string): LocalDate {
  const parsed = typeof value === 'string' ? parseLocalDate(value) : null;
  if (!parsed)
    throw invalidInput(`${name} must be a real calendar date as YYYY-MM-DD, got "${String(value)}"`);
  return parsed;
}

// Validated zones. luxon's isValidZone builds an Intl.DateTimeFormat on every call (about 0.15 ms,
// a quarter of a warm coaching-panel view); zone validity never changes within a process, and the
// set of zone names is small and bounded, so memoising this pure check is safe.
const validZones = new Map<string, IANAZone>();

/** The IANA zone, or INVALID_INPUT naming it. */
export function requireTimeZone(timeZone: string): IANAZone {
  const known = typeof timeZone === 'string' ? validZones.get(timeZone) : undefined;
  if (known !== undefined) return known;
  if (typeof timeZone !== 'string' || !IANAZone.isValidZone(timeZone)) {
    throw invalidInput(
      `unknown time zone "${String(timeZone)}" (expected an IANA name such as America/New_York)`,
    );
  }
  const zone = IANAZone.create(timeZone);
  if (validZones.size < 1_000) validZones.set(timeZone, zone);
  return zone;
}

/**
 * The first instant of a local calendar day (a day number, see dayNumberOf) in `zone`. Usually local
 * midnight; when midnight happens twice (a DST end at 01:00 -> 00:00) the earlier one, and when it does not
 * exist (a DST start at 00:00) the instant the clocks jump, so consecutive days tile time exactly.
 */
function startOfDay(dayNumber: number, zone: IANAZone): number {
  // Each zone offset is an Intl formatToParts call; a warm card view asks for the same few days
  // again and again. Day starts never change, so they are memoised (bounded: dropped when full).
  const key = `${zone.name} ${dayNumber}`;
  const known = dayStarts.get(key);
  if (known !== undefined) return known;
  const start = computeStartOfDay(dayNumber, zone);
  if (dayStarts.size >= MAX_MEMO_DAY_STARTS) dayStarts.clear();
  dayStarts.set(key, start);
  return start;
}

const dayStarts = new Map<string, number>();
const MAX_MEMO_DAY_STARTS = 100_000;

function computeStartOfDay(dayNumber: number, zone: IANAZone): number {
  const wall = dayNumber * MS_PER_DAY; // the local wall-clock midnight, read as if it were UTC
  // The offsets in force a day either side cover both sides of any transition near this midnight.
  const offsets = [zone.offset(wall - MS_PER_DAY), zone.offset(wall), zone.offset(wall + MS_PER_DAY)];
  let best = Number.POSITIVE_INFINITY;
  for (const offset of offsets) {
    const t = wall - offset * MS_PER_MINUTE;
    if (zone.offset(t) === offset && t < best) best = t;
  }
  if (best !== Number.POSITIVE_INFINITY) return best;

  // Midnight falls in a DST gap: binary-search the first instant whose local time is on or after it.
  let lo = wall - Math.max(...offsets) * MS_PER_MINUTE; // local time still on the previous day
  let hi = wall - Math.min(...offsets) * MS_PER_MINUTE; // local time already on this day
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid + zone.offset(mid) * MS_PER_MINUTE >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The first instant (epoch ms) of local date `date` (YYYY-MM-DD) in `timeZone`; throws INVALID_INPUT on bad input. */
export function startOfLocalDay(date: string, timeZone: string): number {
  return startOfDay(dayNumberOf(requireDate(date, 'date')), requireTimeZone(timeZone));
}

function build(fromDay: number, toDay: number, zone: IANAZone): ResolvedPeriod {
  const startMs = startOfDay(fromDay, zone);
  const endMs = startOfDay(toDay, zone);
  return {
    from: formatLocalDate(fromDay),
    to: formatLocalDate(toDay),
    startUtc: new Date(startMs).toISOString(),
    endUtc: new Date(endMs).toISOString(),
    startMs,
    endMs,
  };
}

/**
 * Resolve local dates `[from, to)` in `timeZone` to UTC instants. Throws INVALID_INPUT for a malformed or
 * impossible date, `to` not after `from`, a range over 366 days, or an unknown time zone.
 */
export function resolvePeriod(from: string, to: string, timeZone: string): ResolvedPeriod {
  const f = requireDate(from, '--from');
  const t = requireDate(to, '--to');
  const zone = requireTimeZone(timeZone);
  const fromDay = dayNumberOf(f);
  const toDay = dayNumberOf(t);
  if (toDay <= fromDay)
    throw invalidInput(`--to must be after --from (got --from ${from} --to ${to}; --to is exclusive)`);
  if (toDay - fromDay > MAX_PERIOD_DAYS) {
    throw invalidInput(
      `the period may span at most one year (${MAX_PERIOD_DAYS} days); --from ${from} --to ${to} spans ${toDay - fromDay} days`,
    );
  }
  return build(fromDay, toDay, zone);
}

/** Day number of the Monday on or before a day number (1970-01-01 was a Thursday). */
function mondayOnOrBefore(dayNumber: number): number {
  const weekday = (((dayNumber + 3) % 7) + 7) % 7; // 0 = Monday
  return dayNumber - weekday;
}

/** The local week containing `date`: Monday 00:00 local to the next Monday 00:00 local. */
export function weekContaining(date: string, timeZone: string): ResolvedPeriod {
  const d = requireDate(date, 'week');
  const zone = requireTimeZone(timeZone);
  const monday = mondayOnOrBefore(dayNumberOf(d));
  return build(monday, monday + 7, zone);
}

/** The local Mondays (YYYY-MM-DD) of every week that overlaps the local dates `[from, to)`, in order. */
export function weekStarts(from: string, to: string): string[] {
  const fromDay = dayNumberOf(requireDate(from, 'from'));
  const toDay = dayNumberOf(requireDate(to, 'to'));
  const out: string[] = [];
  for (let m = mondayOnOrBefore(fromDay); m < toDay; m += 7) out.push(formatLocalDate(m));
  return out;
}

/** The local Monday-to-Monday weeks covering a period, as `[startMs, endMs)` buckets clipped to the period. */
export function splitIntoWeeks(period: ResolvedPeriod, timeZone: string): WeekBucket[] {
  const zone = requireTimeZone(timeZone);
  const fromDay = dayNumberOf(requireDate(period.from, 'from'));
  const toDay = dayNumberOf(requireDate(period.to, 'to'));
  const weeks: WeekBucket[] = [];
  for (let monday = mondayOnOrBefore(fromDay); monday < toDay; monday += 7) {
    weeks.push({
      weekStart: formatLocalDate(monday),
      startMs: Math.max(startOfDay(monday, zone), period.startMs),
      endMs: Math.min(startOfDay(monday + 7, zone), period.endMs),
    });
  }
  return weeks;
}

/** The local date (`YYYY-MM-DD`) of an instant in a time zone. */
export function localDateOf(ms: number, timeZone: string): string {
  if (!Number.isFinite(ms)) throw invalidInput(`not a representable instant: ${ms}`);
  const zone = requireTimeZone(timeZone);
  // Start from the UTC day and step by the (memoised) local day starts: offsets are within ±1 day.
  let day = Math.floor(ms / MS_PER_DAY);
  while (startOfDay(day + 1, zone) <= ms) day += 1;
  while (startOfDay(day, zone) > ms) day -= 1;
  return formatLocalDate(day);
}

/** The local Monday (`YYYY-MM-DD`) of the week before the one containing the instant: the last complete week. */
export function lastCompleteWeekStart(ms: number, timeZone: string): string {
  const today = localDateOf(ms, timeZone);
  const monday = mondayOnOrBefore(dayNumberOf(requireDate(today, 'today')));
  return formatLocalDate(monday - 7);
}

/** The local date `days` after a local date (`YYYY-MM-DD`; calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  return formatLocalDate(dayNumberOf(requireDate(date, 'date')) + days);
}
