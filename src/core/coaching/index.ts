/**
 * The coaching pillar's pure core: funnel diagnosis against the team, volume and trends, praise.
 */
export { assessStep, diagnose, dialsToDetect } from './diagnosis.js';
export type { DiagnosisInput, DiagnosisOptions } from './diagnosis.js';
export { FUNNEL, pooled, stepInterval, stepOfMetric } from './funnel.js';
export type { StepDefinition } from './funnel.js';
export { suggestPraise } from './praise.js';
export type { PraiseInput } from './praise.js';
export { lastWeeks, memberWindows, membersByWeek } from './series.js';
export type { TeamSeries } from './series.js';
export { Z95, leastSquaresSlope, medianOf, ratioInterval, wilsonInterval } from './stats.js';
export type { Interval } from './stats.js';
export { DEFAULT_TREND_METRICS, FLAT_BAND, metricTrend } from './trend.js';
export { volumeChecks } from './volume.js';
export type { CurrentWeek } from './volume.js';
