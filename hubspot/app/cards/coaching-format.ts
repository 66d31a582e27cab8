/**
 * Display formatting for the coaching card: metric names and values, funnel steps, trend words,
 * local dates (YYYY-MM-DD, shown without a time-zone shift) and the DateInput's date objects.
 * Formatters take the user's locale (see @pillars/ui-kit resolveLocale).
 */
import type { BaseDate } from '@hubspot/ui-extensions';
import type { FunnelStep, MetricName, RuleMetric, ScorecardRow } from '@pillars/contracts';

export const METRIC_LABELS: Record<MetricName, string> = {
  dials: 'Dials',
  connects: 'Connects',
  connectRate: 'Connect rate',
  talkTimeMs: 'Talk time',
  inboundCalls: 'Inbound calls',
  emailsSent: 'Emails sent',
  emailsReceived: 'Emails received',
  meetingsBooked: 'Meetings booked',
  meetingsScheduled: 'Meetings scheduled',
  meetingsHeld: 'Meetings held',
  meetingsNoShow: 'No-shows',
  meetingsCanceled: 'Meetings canceled',
  meetingHeldRate: 'Meeting held rate',
  notes: 'Notes',
  tasksCompleted: 'Tasks completed',
  dealsCreated: 'Deals created',
  dealsWon: 'Deals won',
  dealsLost: 'Deals lost',
  winRate: 'Win rate',
  wonAmount: 'Won amount',
};

export const RULE_METRIC_LABELS: Record<RuleMetric, string> = {
  ...METRIC_LABELS,
  bookingRate: 'Booking rate',
  dealCreationRate: 'Deal creation rate',
};

/** Metrics that are fractions in [0, 1] (shown as percentages; effects in percentage points). */
const RATE_LIKE: ReadonlySet<string> = new Set<RuleMetric>([
  'connectRate',
  'meetingHeldRate',
  'winRate',
  'bookingRate',
  'dealCreationRate',
]);

export const FUNNEL_STEP_LABELS: Record<FunnelStep, string> = {
  connect: 'Dial → connect',
  booking: 'Connect → meeting booked',
  held: 'Meeting booked → held',
  dealCreation: 'Meeting held → deal',
  win: 'Deal → won',
};

/** A label for any metric name, including one a newer backend adds. */
export function metricLabel(metric: string): string {
  return (RULE_METRIC_LABELS as Record<string, string>)[metric] ?? metric;
}

export function stepLabel(step: string): string {
  return (FUNNEL_STEP_LABELS as Record<string, string>)[step] ?? step;
}

export const isRateMetric = (metric: string): boolean => RATE_LIKE.has(metric);

export const DASH = '—';

export function formatPercent(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value);
}

function formatDuration(ms: number, locale: string): string {
  const minutes = Math.round(ms / 60_000);
  const number = new Intl.NumberFormat(locale);
  if (minutes < 60) return `${number.format(minutes)} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${number.format(hours)} h` : `${number.format(hours)} h ${rest} min`;
}

/**
 * One metric value: rates as percentages, talk time as hours and minutes, counts with at most one
 * decimal (team medians can be halves). `wonAmount` is a plain number: the contract has no currency.
 */
export function formatMetricValue(metric: string, value: number | null, locale: string): string {
  if (value === null) return DASH;
  if (isRateMetric(metric)) return formatPercent(value, locale);
  if (metric === 'talkTimeMs') return formatDuration(value, locale);
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
}

export const TREND_WORDS: Record<ScorecardRow['direction'], string> = {
  up: '↑ Up',
  down: '↓ Down',
  flat: '→ Flat',
  unknown: '· Not enough weeks',
};

/** A signed effect: `+4.2 pts` on rates, `+3.5 per week` on counts. */
export function formatEffect(metric: string, value: number, locale: string): string {
  const signed = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
  return isRateMetric(metric) ? `${signed.format(value * 100)} pts` : `${signed.format(value)} per week`;
}

export function formatEffectNumber(metric: string, value: number, locale: string): string {
  const plain = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return isRateMetric(metric) ? plain.format(value * 100) : plain.format(value);
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A YYYY-MM-DD local date as `Dec 5, 2026`, without shifting it through a time zone. */
export function formatLocalDate(date: string, locale: string, style: 'medium' | 'short' = 'medium'): string {
  const match = LOCAL_DATE.exec(date);
  if (!match) return date;
  const utc = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  try {
    const options: Intl.DateTimeFormatOptions =
      style === 'short'
        ? { month: 'short', day: 'numeric', timeZone: 'UTC' }
        : { dateStyle: 'medium', timeZone: 'UTC' };
    return new Intl.DateTimeFormat(locale, options).format(utc);
  } catch {
    return date;
  }
}

/** An ISO timestamp as a date in the user's time zone. */
export function formatTimestamp(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}

/** Today as YYYY-MM-DD in `timeZone` (the portal's), or in the runtime's zone if it is unknown. */
export function todayIn(timeZone: string | undefined, now: Date = new Date()): string {
  try {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).formatToParts(now);
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    const value = `${part('year')}-${part('month')}-${part('day')}`;
    if (LOCAL_DATE.test(value)) return value;
  } catch {
    // an unknown time zone: fall through
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** DateInput's object (month from 0) as YYYY-MM-DD. */
export function fromBaseDate(value: BaseDate): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.year}-${pad(value.month + 1)}-${pad(value.date)}`;
}

/** YYYY-MM-DD as DateInput's object, or undefined when it is not a date. */
export function toBaseDate(date: string | undefined): BaseDate | undefined {
  const match = date === undefined ? null : LOCAL_DATE.exec(date);
  if (!match) return undefined;
  return { year: Number(match[1]), month: Number(match[2]) - 1, date: Number(match[3]) };
}
