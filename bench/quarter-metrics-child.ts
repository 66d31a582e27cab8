/**
 * Child process of bench/memory.ts: one quarter's metrics for every rep of the portal behind
 * `baseUrl`, through the real gateway (throttle relaxed: the sandbox runs without limits here, since
 * this measures memory, not pacing). Prints one JSON line with the process's peak RSS.
 */
import { createActivityMetrics } from '../src/functions/activity-metrics/activity-metrics.js';
import { createHubSpotGateway, createInProcessThrottle } from '../src/hubspot/index.js';

const [baseUrl, token] = process.argv.slice(2);
if (!baseUrl || !token) throw new Error('usage: quarter-metrics-child.ts BASE_URL TOKEN');
const throttle = createInProcessThrottle({
  limits: { general: { minTime: 0 }, search: { minTime: 0, maxConcurrent: 6 } },
});
const gateway = createHubSpotGateway({ accessToken: token, basePath: baseUrl, throttle });
const details = await gateway.getPortalDetails();
let records = 0;
const t0 = performance.now();
const report = await createActivityMetrics()(
  { from: '2026-08-03', to: '2026-11-02' },
  {
    portalId: details.portalId,
    hubspot: gateway,
    now: () => new Date(),
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    progress: (e) => {
      records = e.done;
    },
  },
);
await throttle.close();
console.log(
  JSON.stringify({
    reps: report.reps.length,
    records,
    seconds: (performance.now() - t0) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
