/**
 * Local wall-clock time in the portal's zone, precomputed per day and hour with luxon, so that the
 * generator can place a million activities at local working hours without a luxon call per record
 * and still be right across DST changes.
 */
import { DateTime } from 'luxon';
import { invalidInput } from '../../core/errors.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A run of consecutive local days, each with its 24 local hour starts as UTC epoch milliseconds. */
export class LocalCalendar {
  /** Number of days covered. */
  readonly days: number;
  private readonly dayStarts: Float64Array;
  private readonly hourStarts: Float64Array;
  private readonly weekdays: Uint8Array;
  private readonly months: Uint8Array;
  private readonly monthDays: Uint8Array;
  private readonly isoDates: string[];

  /** `first` is a local midnight in the portal's zone; `days` the number of days to cover. */
  constructor(
    readonly zone: string,
    readonly first: DateTime,
    days: number,
  ) {
    this.days = days;
    this.dayStarts = new Float64Array(days + 1);
    this.hourStarts = new Float64Array(days * 24);
    this.weekdays = new Uint8Array(days);
    this.months = new Uint8Array(days);
    this.monthDays = new Uint8Array(days);
    this.isoDates = new Array<string>(days);
    const dates: DateTime[] = [];
    for (let i = 0; i <= days; i++) {
      // Calendar arithmetic in the zone: plus({days}) keeps local midnight across DST changes.
      const d = first.plus({ days: i }).startOf('day');
      dates.push(d);
      this.dayStarts[i] = d.toMillis();
    }
    for (let i = 0; i < days; i++) {
      const d = dates[i] as DateTime;
      this.weekdays[i] = d.weekday;
      this.months[i] = d.month;
      this.monthDays[i] = d.day;
      this.isoDates[i] = d.toISODate() ?? '';
      const start = this.dayStarts[i] as number;
      if ((this.dayStarts[i + 1] as number) - start === DAY_MS) {
        for (let h = 0; h < 24; h++) this.hourStarts[i * 24 + h] = start + h * HOUR_MS;
      } else {
        // A DST (or other offset) change day: ask luxon for each local hour. A skipped hour maps
        // forward (02:00 -> 03:00), a repeated one to its first occurrence.
        for (let h = 0; h < 24; h++) {
          const t = DateTime.fromObject(
            { year: d.year, month: d.month, day: d.day, hour: h },
            { zone: this.zone },
          );
          this.hourStarts[i * 24 + h] = t.toMillis();
        }
      }
    }
  }

  /** UTC epoch ms of local midnight starting day `i` (i may equal `days`: the end of the range). */
  dayStart(i: number): number {
    return this.dayStarts[i] as number;
  }

  /** UTC epoch ms of local time `secondOfDay` (0..86399, fractional allowed) on day `i`. */
  at(i: number, secondOfDay: number): number {
    const h = Math.floor(secondOfDay / 3600);
    return (this.hourStarts[i * 24 + h] as number) + Math.round((secondOfDay - h * 3600) * 1000);
  }

  /** Whether day `i` is not 24 hours long (a DST change). */
  isOffsetChangeDay(i: number): boolean {
    return (this.dayStarts[i + 1] as number) - (this.dayStarts[i] as number) !== DAY_MS;
  }

  /** The local day containing instant `ms`, or -1 outside the range. */
  dayOf(ms: number): number {
    if (ms < (this.dayStarts[0] as number) || ms >= (this.dayStarts[this.days] as number)) return -1;
    let lo = 0;
    let hi = this.days - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.dayStarts[mid] as number) <= ms) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** ISO weekday of day `i`: 1 = Monday ... 7 = Sunday. */
  weekday(i: number): number {
    return this.weekdays[i] as number;
  }

  /** The local date of day `i`, as YYYY-MM-DD. */
  isoDate(i: number): string {
    return this.isoDates[i] as string;
  }

  /** Index of the local date `date` (any time of that day). */
  indexOf(date: DateTime): number {
    return Math.round(date.setZone(this.zone).startOf('day').diff(this.first, 'days').days);
  }

  /** Relative activity level of a day: weekends and US holidays are quiet. */
  workFactor(i: number): number {
    const wd = this.weekday(i);
    if (wd === 6) return 0.04;
    if (wd === 7) return 0.02;
    const m = this.months[i] as number;
    const d = this.monthDays[i] as number;
    if ((m === 1 && d === 1) || (m === 7 && d === 4) || (m === 12 && d === 25)) return 0.05;
    if (m === 12 && (d === 24 || d === 31)) return 0.4;
    if (m === 11 && wd === 4 && d >= 22 && d <= 28) return 0.05; // Thanksgiving
    if (m === 11 && wd === 5 && d >= 23 && d <= 29) return 0.35; // the Friday after
    if (m === 5 && wd === 1 && d >= 25) return 0.05; // Memorial Day
    if (m === 9 && wd === 1 && d <= 7) return 0.05; // Labor Day
    return 1;
  }
}

/** Parse the anchor ("today" of the portal) as a local date in `zone`; default: today there. */
export function parseAnchor(anchor: string | undefined, zone: string): DateTime {
  const probe = DateTime.now().setZone(zone);
  if (!probe.isValid) throw invalidInput(`unknown time zone "${zone}"`, { field: 'timeZone' });
  if (anchor === undefined) return probe.startOf('day');
  const parsed = DateTime.fromISO(anchor, { zone, setZone: false });
  if (!parsed.isValid) throw invalidInput(`anchor "${anchor}" is not an ISO date`, { field: 'anchor' });
  return parsed.setZone(zone).startOf('day');
}
