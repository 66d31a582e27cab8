export * from './activity-metrics.js';
