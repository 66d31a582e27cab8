/** `pillars metrics`: the activity metrics of a period (METRICS.md §4). */
import type { Command } from 'commander';
import type { ActivityMetricsInput } from '@pillars/contracts';
import { createActivityMetrics } from '../../functions/activity-metrics/activity-metrics.js';
import { formatMetricsTable } from '../format-metrics-table.js';
import { createProgressLine, type CliIo } from '../io.js';
import { openPortalSession } from '../portal-session.js';
import { parseLatency } from './options.js';

interface MetricsOptions {
  from?: string;
  to?: string;
  week?: string;
  fixture?: string;
  json?: boolean;
  team?: string;
  owner?: string;
  baseUrl?: string;
  latency?: string;
  stats?: boolean;
}

export function registerMetricsCommand(program: Command, io: CliIo): void {
  program
    .command('metrics')
    .description('Activity metrics per rep and team for a period of local dates (--to is exclusive)')
    .option('--from <date>', 'first local date of the period, YYYY-MM-DD')
    .option('--to <date>', 'local date the period ends before (exclusive), YYYY-MM-DD')
    .option('--week <date>', 'instead of --from/--to: the Monday-to-Monday week containing this date')
    .option('--fixture <file>', 'read a portal fixture through the built-in sandbox instead of HubSpot')
    .option('--json', 'print one JSON document (the METRICS.md contract) instead of tables')
    .option('--team <teamId>', 'only this team and its reps')
    .option('--owner <ownerIds>', 'only these owners (comma-separated owner ids)')
    .option(
      '--base-url <url>',
      'HubSpot API base URL (default: $HUBSPOT_API_BASE_URL or https://api.hubapi.com)',
    )
    .option('--latency <ms>', 'with --fixture: latency the sandbox adds per request (default 50)')
    .option('--stats', 'print HubSpot requests, wall time and peak memory on stderr when done')
    .addHelpText(
      'after',
      '\nWithout --fixture the token comes from $HUBSPOT_ACCESS_TOKEN.\n' +
        'Example: pillars metrics --from 2026-11-02 --to 2026-11-09 --fixture portal.json --json\n',
    )
    .action(async (opts: MetricsOptions) => {
      const input: ActivityMetricsInput = opts.week
        ? { week: opts.week }
        : ({ from: opts.from, to: opts.to } as ActivityMetricsInput);
      if (opts.team) input.teamId = opts.team;
      if (opts.owner)
        input.ownerIds = opts.owner
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
      const progress = createProgressLine(io);
      const session = await openPortalSession({
        env: io.env,
        ...(opts.fixture ? { fixture: opts.fixture } : {}),
        ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
        ...(opts.latency !== undefined ? { latencyMs: parseLatency(opts.latency) } : {}),
        progress: (e) => progress.update(`${e.phase}… ${e.done.toLocaleString('en-US')} records`),
      });
      const started = Date.now();
      try {
        const ctx = await session.context();
        const details = await ctx.hubspot.getPortalDetails();
        const report = await createActivityMetrics()(input, ctx);
        progress.done();
        // Printed only once complete: an error above leaves stdout empty (no partial JSON).
        io.stdout(
          opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatMetricsTable(report, details.currency),
        );
        if (opts.stats) {
          const rssMb = process.resourceUsage().maxRSS / 1024;
          io.stderr(
            `stats: ${session.requests()} HubSpot requests, ${((Date.now() - started) / 1000).toFixed(2)} s, peak RSS ${rssMb.toFixed(0)} MB\n`,
          );
        }
      } finally {
        progress.done();
        await session.close();
      }
    });
}
