/**
 * Week arithmetic on local calendar dates (`YYYY-MM-DD`). A week runs Monday to Monday in the
 * portal's time zone (METRICS.md §1); the backend turns the local dates into UTC instants, so the
 * card only ever does calendar arithmetic, which is DST-free when done on UTC midnights.
 */

/** A calendar date in the portal's time zone, as `YYYY-MM-DD`. */
export type LocalDate = string;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function isLocalDate(value: string): value is LocalDate {
  const match = LOCAL_DATE.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return fromUtcMidnight(date) === value;
}

function toUtcMidnight(date: LocalDate): Date {
  const match = LOCAL_DATE.exec(date);
  if (!match) throw new RangeError(`expected a date as YYYY-MM-DD, got "${date}"`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}

function fromUtcMidnight(date: Date): LocalDate {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromUtcMidnight(new Date(toUtcMidnight(date).getTime() + days * DAY_MS));
}

/** The Monday that starts the week containing `date`. */
export function mondayOf(date: LocalDate): LocalDate {
  const day = toUtcMidnight(date).getUTCDay(); // 0 = Sunday
  return addDays(date, -((day + 6) % 7));
}

export function addWeeks(monday: LocalDate, weeks: number): LocalDate {
  return addDays(monday, weeks * 7);
}

/**
 * Today's date on the wall clock of `timeZone`. An unknown zone falls back to UTC rather than
 * failing the page: the worst case is showing the neighbouring week around midnight.
 */
export function todayIn(timeZone: string, now: Date): LocalDate {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).formatToParts(now);
    const part = (type: Intl.DateTimeFormatPartTypes): string =>
      parts.find((p) => p.type === type)?.value ?? '';
    const date = `${part('year')}-${part('month')}-${part('day')}`;
    if (isLocalDate(date)) return date;
  } catch {
    // RangeError for an unknown time zone: fall through to UTC.
  }
  return fromUtcMidnight(now);
}

/** The Monday of the current week in the portal's time zone. */
export function currentWeek(timeZone: string, now: Date): LocalDate {
  return mondayOf(todayIn(timeZone, now));
}
