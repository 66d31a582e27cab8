export * from './activity-metrics.js';
export * from './process.js';
export * from './coaching.js';
export * from './training.js';
export * from './coaching-panel.js';
export * from './weekly-pack.js';
