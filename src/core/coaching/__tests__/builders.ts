// Builders of weekly points for the coaching and training tests.
import type { WeeklyPoint } from '@pillars/contracts';
import type { CountMetrics } from '../../metrics/index.js';
import { withRates, zeroCounts } from '../../metrics/index.js';

/** Mondays from 2026-09-28, one per week. */
export function mondays(n: number, from = '2026-09-28'): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => new Date(start + i * 7 * 86_400_000).toISOString().slice(0, 10));
}

/** One week of metrics from a few counts (everything else zero, rates recomputed). */
export function week(weekStart: string, counts: Partial<CountMetrics>): WeeklyPoint {
  return { weekStart, metrics: withRates({ ...zeroCounts(), ...counts }) };
}

/** A series of weeks from per-week counts. */
export function series(perWeek: readonly Partial<CountMetrics>[], from?: string): WeeklyPoint[] {
  const starts = mondays(perWeek.length, from);
  return perWeek.map((c, i) => week(starts[i], c));
}

/** The same counts repeated for `n` weeks. */
export function steadySeries(n: number, counts: Partial<CountMetrics>): WeeklyPoint[] {
  return series(Array.from({ length: n }, () => counts));
}

/** A normal week of a team member: 40 dials, 4 connects, 4 booked, 4 held, 1 no-show, 1 deal, 1 won 1 lost. */
export const TYPICAL: Partial<CountMetrics> = {
  dials: 40,
  connects: 4,
  meetingsBooked: 4,
  meetingsHeld: 4,
  meetingsNoShow: 1,
  dealsCreated: 1,
  dealsWon: 1,
  dealsLost: 1,
  wonAmount: 10_000,
};
