export * from './activity-metrics.js';
export * from './process.js';
export * from './coaching.js';
