/**
 * The demo portal generator: a deterministic, realistic HubSpot portal (METRICS.md §5 fixture) for
 * the sandbox, demos and tests, and a streaming writer for fixtures of any size.
 */
export { generateDemoPortal } from './generate.js';
export type { DemoPortalFixture, DemoPortalInfo, DemoPortalOptions } from './generate.js';
export { DEMO_PROFILES } from './profiles.js';
export type { DemoProfile } from './profiles.js';
export { jsonChunks, writePortalFixture } from './writer.js';
