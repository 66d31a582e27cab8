/**
 * Display formatting for the scoreboard. Data stays unrounded (METRICS.md §2); rounding happens
 * here only. Every formatter takes the user's locale and survives a locale Intl does not know.
 */
import type { LocalDate } from './week';
import { addDays } from './week';

/** Shown for a rate whose denominator is 0 (`null` in the report). */
export const NO_VALUE = '—';

/** Counts are integers, but team medians can be halves (mean of the two middle values). */
export function formatCount(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
}

/** A fraction in [0, 1] as a whole percentage; `null` means "no denominator". */
export function formatRate(value: number | null, locale: string): string {
  if (value === null) return NO_VALUE;
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value);
}

/** Talk time from milliseconds: `1 h 05 min`, `12 min`, `40 s`, `0 min`. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds > 0 && totalSeconds < 60) return `${totalSeconds} s`;
  const totalMinutes = Math.round(totalSeconds / 60);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (hours === 0) return `${minutes} min`;
  return `${hours} h ${String(minutes).padStart(2, '0')} min`;
}

/**
 * A currency amount. With an ISO 4217 code (the portal's currency) it is formatted as money; without
 * one (or with a code Intl rejects) it is a plain grouped number, never a guessed currency.
 */
export function formatMoney(amount: number, currency: string | undefined, locale: string): string {
  if (currency) {
    try {
      return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 }).format(
        amount,
      );
    } catch {
      // RangeError: not a currency code Intl knows; fall back to a plain number.
    }
  }
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(amount);
}

/** `Nov 2 – Nov 8, 2026` for the week starting on `monday` (the last day shown is Sunday). */
export function formatWeek(monday: LocalDate, locale: string): string {
  const sunday = addDays(monday, 6);
  // Noon UTC keeps the calendar date stable whatever zone Intl formats in.
  const start = new Date(`${monday}T12:00:00Z`);
  const end = new Date(`${sunday}T12:00:00Z`);
  const format = new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
  });
  return format.formatRange(start, end);
}
