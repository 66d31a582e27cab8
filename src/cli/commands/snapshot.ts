/** `pillars snapshot`: compute one week's metrics and store them as the weekly snapshot for trends. */
import type { Command } from 'commander';
import { createActivityMetrics } from '../../functions/activity-metrics/activity-metrics.js';
import { snapshotWeek } from '../../jobs/weekly-snapshots.js';
import { openStore } from '../../store/open-store.js';
import type { CliIo } from '../io.js';
import { openPortalSession } from '../portal-session.js';
import { storeConfigFrom } from '../store-config.js';
import { parseLatency } from './options.js';

interface SnapshotOptions {
  week: string;
  fixture?: string;
  baseUrl?: string;
  latency?: string;
}

export function registerSnapshotCommand(program: Command, io: CliIo): void {
  program
    .command('snapshot')
    .description(
      "Store one local week's metrics per rep as that week's snapshot (idempotent; rerun to refresh)",
    )
    .requiredOption('--week <date>', 'any local date of the week (Monday to Monday)')
    .option('--fixture <file>', 'read a portal fixture through the built-in sandbox instead of HubSpot')
    .option(
      '--base-url <url>',
      'HubSpot API base URL (default: $HUBSPOT_API_BASE_URL or https://api.hubapi.com)',
    )
    .option('--latency <ms>', 'with --fixture: latency the sandbox adds per request (default 50)')
    .addHelpText(
      'after',
      '\nWrites to DATABASE_URL when set, else to SQLITE_FILE (default .pillars/pillars.sqlite).\n',
    )
    .action(async (opts: SnapshotOptions) => {
      const session = await openPortalSession({
        env: io.env,
        ...(opts.fixture ? { fixture: opts.fixture } : {}),
        ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
        ...(opts.latency !== undefined ? { latencyMs: parseLatency(opts.latency) } : {}),
      });
      try {
        const ctx = await session.context();
        const store = await openStore(storeConfigFrom(io.env));
        try {
          const result = await snapshotWeek(opts.week, ctx, {
            activityMetrics: createActivityMetrics(),
            snapshots: store.snapshots,
          });
          io.stdout(
            `Stored the week of ${result.weekStart} for portal ${result.portalId}: ${result.owners} reps.\n`,
          );
        } finally {
          await store.close();
        }
      } finally {
        await session.close();
      }
    });
}
