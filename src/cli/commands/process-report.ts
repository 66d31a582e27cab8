/**
 * `pillars process-report`: per pipeline and criterion, how often the team skipped a step (waivers,
 * stage exceptions) and the win rates of deals closed in the period with and without skipping it.
 * Reads HubSpot (or a fixture through the built-in sandbox) and the backend's store, like
 * `pillars snapshot` (DATABASE_URL, else SQLITE_FILE or its default); it writes nothing.
 */
import type { Command } from 'commander';
import type { ProcessReport, WinRate } from '@pillars/contracts';
import { createProcessReport } from '../../functions/process-report/process-report.js';
import { openStore } from '../../store/open-store.js';
import type { CliIo } from '../io.js';
import { openPortalSession } from '../portal-session.js';
import { parseLatency } from './options.js';
import { storeConfigFrom } from '../store-config.js';

interface ProcessReportOptions {
  from: string;
  to: string;
  fixture?: string;
  json?: boolean;
  baseUrl?: string;
  latency?: string;
}

/** "45% of 20", "- of 0": a rate never without its n. */
export function formatWinRate(w: WinRate): string {
  return w.rate === null ? `- of ${w.n}` : `${Math.round(w.rate * 100)}% of ${w.n}`;
}

/** The report as plain-text tables, one per pipeline. */
export function formatProcessReportTable(report: ProcessReport): string {
  const lines: string[] = [
    `Process report ${report.period.from} to ${report.period.to} (exclusive), ${report.timeZone}`,
  ];
  for (const p of report.pipelines) {
    lines.push(
      '',
      `${p.label} (${p.pipelineId}), ${p.playbookSource} playbook, ${p.closedDeals} deals closed`,
    );
    if (p.criteria.length === 0) {
      lines.push('  no criterion skipped');
      continue;
    }
    const header = ['criterion', 'waived', 'left unmet', 'win rate skipped', 'win rate not skipped'];
    const rows = p.criteria.map((c) => [
      c.label,
      String(c.waived),
      String(c.leftUnmet),
      formatWinRate(c.winRateWithSkip),
      formatWinRate(c.winRateWithoutSkip),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const fmt = (r: string[]) =>
      '  ' +
      r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
    lines.push(fmt(header), ...rows.map(fmt));
  }
  return `${lines.join('\n')}\n`;
}

export function registerProcessReportCommand(program: Command, io: CliIo): void {
  program
    .command('process-report')
    .description('Skipped process steps per pipeline and criterion, and win rates with and without them')
    .requiredOption('--from <date>', 'first local date of the period, YYYY-MM-DD')
    .requiredOption('--to <date>', 'local date the period ends before (exclusive), YYYY-MM-DD')
    .option('--fixture <file>', 'read a portal fixture through the built-in sandbox instead of HubSpot')
    .option('--json', 'print one JSON document (the ProcessReport contract) instead of tables')
    .option(
      '--base-url <url>',
      'HubSpot API base URL (default: $HUBSPOT_API_BASE_URL or https://api.hubapi.com)',
    )
    .option('--latency <ms>', 'with --fixture: latency the sandbox adds per request (default 50)')
    .addHelpText(
      'after',
      '\nReads waivers and stage exceptions from DATABASE_URL when set, else SQLITE_FILE (default .pillars/pillars.sqlite).\n' +
        'Example: pillars process-report --from 2026-10-01 --to 2026-11-01 --fixture portal.json --json\n',
    )
    .action(async (opts: ProcessReportOptions) => {
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
          const report = await createProcessReport({
            settings: store.settings,
            waivers: store.waivers,
            exceptions: store.exceptions,
          })({ from: opts.from, to: opts.to }, ctx);
          io.stdout(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatProcessReportTable(report));
        } finally {
          await store.close();
        }
      } finally {
        await session.close();
      }
    });
}
