/**
 * Helpers over weekly series: the last N weeks, and a team's members aligned to a rep's weeks.
 */
import type { Metrics, WeeklyPoint } from '@pillars/contracts';

/** The last `n` points (fewer when the series is shorter), oldest first. */
export function lastWeeks(points: readonly WeeklyPoint[], n: number): WeeklyPoint[] {
  return points.slice(Math.max(0, points.length - n));
}

/** A team as its active members' weekly series, keyed by owner id (the rep included). */
export type TeamSeries = ReadonlyMap<string, readonly WeeklyPoint[]>;

/**
 * Per week of `weeks` (by weekStart), each member's metrics of that week. Members with no point for a week
 * are left out of that week: weeks are matched by date, never by position, so series of different lengths
 * cannot be misaligned.
 */
export function membersByWeek(team: TeamSeries, weeks: readonly string[]): Metrics[][] {
  const index = new Map<string, Map<string, Metrics>>();
  for (const [ownerId, points] of team) {
    const byWeek = new Map<string, Metrics>();
    for (const p of points) byWeek.set(p.weekStart, p.metrics);
    index.set(ownerId, byWeek);
  }
  return weeks.map((week) => {
    const out: Metrics[] = [];
    for (const byWeek of index.values()) {
      const m = byWeek.get(week);
      if (m) out.push(m);
    }
    return out;
  });
}

/** Each member's metrics over `weeks` (by weekStart), for pooling over a window. */
export function memberWindows(team: TeamSeries, weeks: readonly string[]): Metrics[][] {
  const wanted = new Set(weeks);
  return [...team.values()].map((points) =>
    points.filter((p) => wanted.has(p.weekStart)).map((p) => p.metrics),
  );
}
