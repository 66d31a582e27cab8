/**
 * Small statistics for coaching: intervals on a rate with its sample, medians, least-squares slope.
 */

/** z for a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

/** A 95 % interval; null bounds when there is no sample. */
export interface Interval {
  low: number | null;
  high: number | null;
}

/**
 * Wilson score interval (95 %) of a proportion `successes / trials`. Unlike the normal interval it stays
 * inside [0, 1] and is honest at small n: 0 of 3 gives [0, 0.56], so three calls can never show a gap.
 */
export function wilsonInterval(successes: number, trials: number, z = Z95): Interval {
  if (trials <= 0) return { low: null, high: null };
  const p = Math.min(1, Math.max(0, successes / trials));
  const z2 = z * z;
  const denom = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denom;
  // At p = 0 or 1 the bound is exactly 0 or 1; floating point would leave a 1e-17 crumb.
  return {
    low: p === 0 ? 0 : Math.max(0, centre - half),
    high: p === 1 ? 1 : Math.min(1, centre + half),
  };
}

/**
 * 95 % interval of a per-event ratio `events / base` whose numerator is not a subset of the denominator
 * (meetings are also booked by email, so booked per connect may exceed 1 and Wilson does not apply). Both
 * counts are treated as Poisson (log-ratio interval, variance 1/events + 1/base): the base (connects, held
 * meetings) is itself a noisy count, and treating it as fixed would call gaps from noise. A zero numerator
 * is taken as 0.5 for the upper bound (its lower bound is 0).
 */
export function ratioInterval(events: number, base: number, z = Z95): Interval {
  if (base <= 0) return { low: null, high: null };
  const a = events > 0 ? events : 0.5;
  const centre = Math.log(a / base);
  const se = Math.sqrt(1 / a + 1 / base);
  return {
    low: events > 0 ? Math.exp(centre - z * se) : 0,
    high: Math.exp(centre + z * se),
  };
}

/** Median (mean of the two middle values for an even count); null for none. */
export function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Least-squares slope of y over x; null with fewer than two distinct x. */
export function leastSquaresSlope(points: readonly { x: number; y: number }[]): number | null {
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
  }
  return sxx === 0 ? null : sxy / sxx;
}
