/**
 * HubSpot requests benchmark: one week of metrics for every rep of the demo portal (default size)
 * and of a 1,000,000-engagement demo portal, through the real gateway against the in-process sandbox
 * with HubSpot's rate limits enforced. Prints the requests made against the lower bound (one search
 * page per 200 records per object type, plus the metadata calls) and the requests the sandbox refused.
 *
 *   npm run bench:requests [-- 30000 1000000]
 */
import { createActivityMetrics } from '../src/functions/activity-metrics/activity-metrics.js';
import type { FunctionContext } from '../src/functions/context.js';
import type { HubSpotGateway, SearchStats } from '../src/hubspot/gateway.js';
import { createHubSpotGateway, createInProcessThrottle } from '../src/hubspot/index.js';
import { withMetadataCache } from '../src/hubspot/metadata-cache.js';
import { generateDemoPortal } from '../src/sandbox/demo-portal/index.js';
import { createSandbox } from '../src/sandbox/index.js';

const sizes = process.argv.slice(2).map(Number);
const SIZES = sizes.length > 0 ? sizes : [30_000, 1_000_000];
const ANCHOR = '2026-11-25';
const WEEK = '2026-11-16';
const METADATA_CALLS = 4; // account details, active owners, archived owners, call dispositions
const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

for (const size of SIZES) {
  const fixture = generateDemoPortal({ seed: 1, size, anchor: ANCHOR });
  const portalId = fixture.portal.portalId;
  const sandbox = createSandbox({ portals: [fixture], latencyMs: 0 });
  await sandbox.start();
  const throttle = createInProcessThrottle();
  const perType = new Map<string, SearchStats>();
  const inner = createHubSpotGateway({
    portalId,
    accessToken: sandbox.tokenFor(portalId),
    basePath: sandbox.baseUrl,
    throttle,
  });
  const counting: HubSpotGateway = {
    ...inner,
    getPortalDetails: () => inner.getPortalDetails(),
    listOwners: (o) => inner.listOwners(o),
    listCallDispositions: () => inner.listCallDispositions(),
    searchAll: async (type, query, onPage) => {
      const stats = await inner.searchAll(type, query, onPage);
      perType.set(type, stats);
      return stats;
    },
  };
  const ctx: FunctionContext = {
    portalId,
    hubspot: withMetadataCache(counting, { ttlMs: 60_000 }),
    now: () => new Date(),
    logger: silent,
  };
  sandbox.resetStats();
  const t0 = performance.now();
  const report = await createActivityMetrics()({ week: WEEK }, ctx);
  const seconds = (performance.now() - t0) / 1000;
  const stats = sandbox.stats();
  let bound = METADATA_CALLS;
  let records = 0;
  const lines: string[] = [];
  for (const [type, s] of perType) {
    const pages = Math.max(1, Math.ceil(s.records / 200));
    bound += pages;
    records += s.records;
    lines.push(
      `    ${type.padEnd(9)} ${String(s.records).padStart(7)} records  ${String(s.requests).padStart(4)} requests (bound ${pages})`,
    );
  }
  const engagements =
    fixture.objects.calls.length +
    fixture.objects.emails.length +
    fixture.objects.meetings.length +
    fixture.objects.notes.length +
    fixture.objects.tasks.length;
  console.log(
    `Demo portal, ${engagements.toLocaleString('en-US')} engagements, week of ${WEEK}, ${report.reps.length} reps:`,
  );
  console.log(lines.join('\n'));
  console.log(
    `  requests made ${stats.total}, lower bound ${bound} (${records.toLocaleString('en-US')} records), ratio ${(stats.total / bound).toFixed(3)}×, refused by limits (429) ${stats.rateLimited}, ${seconds.toFixed(1)} s`,
  );
  await throttle.close();
  await sandbox.stop();
}
