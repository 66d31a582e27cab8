/**
 * Display formatting for the deal card. The backend sends days with one decimal; rounding to
 * whole days happens here only. Formatters take the user's locale and survive one Intl rejects.
 */
import type { Guidance } from './api';

type Stage = Guidance['stage'];
type Timing = NonNullable<Stage['timing']>;

/** Whole days: `21`, `1`, and `< 1` under half a day rather than a misleading `0`. */
export function formatDays(days: number, locale: string): string {
  const whole = Math.round(days);
  if (whole === 0 && days > 0) return '< 1';
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(whole);
}

function daysInStageText(days: number, locale: string): string {
  const shown = formatDays(days, locale);
  if (shown === '< 1') return 'under a day in stage';
  return `${shown} ${shown === '1' ? 'day' : 'days'} in stage`;
}

/** What the expected days are based on, e.g. `team typical 11 (p50), n = 76`. */
export function timingBasis(timing: Timing, locale: string): string {
  const p50 = formatDays(timing.p50, locale);
  switch (timing.source) {
    case 'history':
      return `team typical ${p50} (p50), n = ${new Intl.NumberFormat(locale).format(timing.sampleSize)}`;
    case 'playbook':
      return `playbook target ${p50} days`;
    default:
      // 'default', or a source a newer backend added: say only what the number is.
      return `expected ${p50} days (too few won deals to learn from)`;
  }
}

/** `21 days in stage · team typical 11 (p50), n = 76`; undefined when the entry date is unknown. */
export function formatStageTiming(stage: Stage, locale: string): string | undefined {
  if (stage.daysInStage === null) return undefined;
  const days = daysInStageText(stage.daysInStage, locale);
  return stage.timing ? `${days} · ${timingBasis(stage.timing, locale)}` : days;
}

/** The deal's probability in this stage, `40%`. */
export function formatProbability(probability: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(probability);
}
