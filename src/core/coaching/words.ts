/**
 * Numbers in plain words for card-facing text (rounding is for display only, METRICS.md §2).
 */
import type { StepDefinition } from './funnel.js';

/** A proportion as a percentage with one decimal, or a per-event ratio with two decimals; "n/a" for null. */
export function formatRate(value: number | null, kind: 'proportion' | 'ratio' = 'proportion'): string {
  if (value === null) return 'n/a';
  return kind === 'proportion' ? `${(value * 100).toFixed(1)} %` : value.toFixed(2);
}

/** "5.2 % (13 of 252)" for a step's pooled sample. */
export function formatStepRate(def: StepDefinition, numerator: number, denominator: number): string {
  const rate = denominator > 0 ? numerator / denominator : null;
  return `${formatRate(rate, def.kind)} (${formatCount(numerator)} of ${formatCount(denominator)})`;
}

/** A count without needless decimals (medians may be halves). */
export function formatCount(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
