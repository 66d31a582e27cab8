/**
 * Activity volume against the targets ops set per team (counts per week), with the pace of the week in
 * progress: what the rep has so far, projected linearly over the share of the working week elapsed.
 */
import type { Metrics, WeeklyPoint } from '@pillars/contracts';
import type { ActivityTarget, VolumeCheck } from '@pillars/contracts';

/** The week in progress: its metrics so far and the share of its working time elapsed, in (0, 1]. */
export interface CurrentWeek {
  weekStart: string;
  metrics: Metrics;
  elapsedShare: number;
}

/** Each target against the window's weeks, and the pace of the current week when given. */
export function volumeChecks(
  window: readonly WeeklyPoint[],
  targets: readonly ActivityTarget[],
  current?: CurrentWeek,
): VolumeCheck[] {
  return targets.map((t) => {
    const values = window.map((p) => p.metrics[t.metric]);
    const total = values.reduce((s, v) => s + v, 0);
    let pace: VolumeCheck['pace'] = null;
    if (current && current.elapsedShare > 0) {
      const soFar = current.metrics[t.metric];
      const projected = soFar / Math.min(1, current.elapsedShare);
      pace = { weekStart: current.weekStart, soFar, projected, onPace: projected >= t.perWeek };
    }
    return {
      metric: t.metric,
      targetPerWeek: t.perWeek,
      averagePerWeek: window.length > 0 ? total / window.length : 0,
      weeksHit: values.filter((v) => v >= t.perWeek).length,
      weeks: window.length,
      pace,
    };
  });
}
