/**
 * Parsing HubSpot datetime property values into epoch milliseconds. This runs once or twice per CRM
 * record (millions per report), so it is a hand-written scanner: no luxon, no regex, no allocation.
 *
 * Accepted, deliberately (METRICS.md §1: "ISO-8601 strings or epoch milliseconds as strings"):
 * - Epoch milliseconds: 1 to 16 ASCII digits, e.g. "1762182000000", up to 8.64e15 (the Date range).
 *   No sign, no decimals, no exponent: HubSpot writes integers.
 * - Date-time: `YYYY-MM-DD` `T` `HH:mm[:ss[.fraction]]` followed by `Z` or an offset `±HH:mm`, `±HHmm`
 *   or `±HH`. `t`/`z` in lower case and a space instead of `T` are accepted (RFC 3339 allows them).
 *   The fraction may have 1 to 9 digits; digits past milliseconds are truncated.
 * - Date only: `YYYY-MM-DD` is midnight UTC. That is how HubSpot stores date-type properties, and what
 *   ECMAScript's Date.parse does; it is NOT local midnight of the portal.
 * - Surrounding whitespace is ignored.
 *
 * Refused (null): empty or missing values; a date-time without `Z` or an offset (its instant would depend
 * on the machine's time zone); impossible calendar values (2026-02-30, 24:00, second 60, offset hour over
 * 23); years before 0100; week or ordinal dates; signed, fractional or exponent epochs; anything else.
 */

const MAX_EPOCH_MS = 8.64e15;
const MS_PER_MINUTE = 60_000;

// Days per month of a non-leap year; February is adjusted in daysInMonth.
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return MONTH_DAYS[month - 1];
}

/** Value of `count` ASCII digits at `at`, or -1 when any of them is not a digit. */
function digitsAt(s: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1; // NaN past the end also fails `d >= 0`
    value = value * 10 + d;
  }
  return value;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/**
 * A HubSpot datetime value (ISO-8601 with `Z` or offset, date-only as UTC midnight, or epoch ms as a
 * string) as epoch milliseconds; null when missing or not one of the accepted forms (see the file header).
 */
export function parseInstant(value: string | null | undefined): number | null {
  if (value == null) return null;
  let start = 0;
  let end = value.length;
  while (start < end && isSpace(value.charCodeAt(start))) start++;
  while (end > start && isSpace(value.charCodeAt(end - 1))) end--;
  const len = end - start;
  if (len === 0) return null;

  // Epoch milliseconds: digits only. Date-times always have '-' at offset 4, so no overlap.
  if (len <= 16 && value.charCodeAt(start + 4) !== 45) {
    const ms = digitsAt(value, start, len);
    return ms >= 0 && ms <= MAX_EPOCH_MS ? ms : null;
  }
  return parseIso(value, start, end);
}

function parseIso(s: string, p: number, end: number): number | null {
  if (end - p < 10) return null;
  const year = digitsAt(s, p, 4);
  const month = digitsAt(s, p + 5, 2);
  const day = digitsAt(s, p + 8, 2);
  // Years before 100 are refused: Date.UTC would read them as 19xx, and HubSpot has no such dates.
  if (
    year < 100 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    s.charCodeAt(p + 4) !== 45 ||
    s.charCodeAt(p + 7) !== 45
  ) {
    return null;
  }
  if (day > daysInMonth(year, month)) return null;
  p += 10;
  if (p === end) return Date.UTC(year, month - 1, day);

  const sep = s.charCodeAt(p);
  if (sep !== 84 /* T */ && sep !== 116 /* t */ && sep !== 32 /* space */) return null;
  const hour = digitsAt(s, p + 1, 2);
  const minute = digitsAt(s, p + 4, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || s.charCodeAt(p + 3) !== 58) return null;
  p += 6;

  let second = 0;
  let ms = 0;
  if (p < end && s.charCodeAt(p) === 58 /* : */) {
    second = digitsAt(s, p + 1, 2);
    if (second < 0 || second > 59) return null;
    p += 3;
    if (p < end && s.charCodeAt(p) === 46 /* . */) {
      p++;
      let n = 0;
      while (p < end && n < 10) {
        const d = s.charCodeAt(p) - 48;
        if (d < 0 || d > 9) break;
        if (n < 3) ms = ms * 10 + d;
        n++;
        p++;
      }
      if (n === 0 || n > 9) return null;
      if (n === 1) ms *= 100;
      else if (n === 2) ms *= 10;
    }
  }
  if (p >= end) return null; // no zone designator: refused, see the file header

  const z = s.charCodeAt(p);
  let offsetMinutes = 0;
  if (z === 90 /* Z */ || z === 122 /* z */) {
    if (p + 1 !== end) return null;
  } else if (z === 43 /* + */ || z === 45 /* - */) {
    const oh = digitsAt(s, p + 1, 2);
    if (oh < 0 || oh > 23) return null;
    let om = 0;
    const rest = end - (p + 3);
    if (rest === 3 && s.charCodeAt(p + 3) === 58) om = digitsAt(s, p + 4, 2);
    else if (rest === 2) om = digitsAt(s, p + 3, 2);
    else if (rest !== 0) return null;
    if (om < 0 || om > 59) return null;
    offsetMinutes = (z === 43 ? 1 : -1) * (oh * 60 + om);
  } else {
    return null;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * MS_PER_MINUTE;
}
