/**
 * The human-readable rendering of a metrics report: one row per rep, then each team's totals and
 * median, then unassigned activity and skipped records. Rounding happens here only (METRICS.md §2).
 */
import type { Metrics, MetricsReport } from '@pillars/contracts';

interface Column {
  title: string;
  value: (m: Metrics) => string;
}

const int = (n: number): string =>
  Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 1 });
const pct = (r: number | null): string => (r === null ? '–' : `${(r * 100).toFixed(1)}%`);
function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes >= 60
    ? `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}`
    : `${minutes}m`;
}

function money(currency: string): (n: number) => string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 });
  return (n) => format.format(n);
}

function columns(currency: string): Column[] {
  const cash = money(currency);
  return [
    { title: 'Dials', value: (m) => int(m.dials) },
    { title: 'Conn', value: (m) => int(m.connects) },
    { title: 'Conn%', value: (m) => pct(m.connectRate) },
    { title: 'Talk', value: (m) => duration(m.talkTimeMs) },
    { title: 'In', value: (m) => int(m.inboundCalls) },
    { title: 'Sent', value: (m) => int(m.emailsSent) },
    { title: 'Recv', value: (m) => int(m.emailsReceived) },
    { title: 'Booked', value: (m) => int(m.meetingsBooked) },
    { title: 'Sched', value: (m) => int(m.meetingsScheduled) },
    { title: 'Held', value: (m) => int(m.meetingsHeld) },
    { title: 'NoShow', value: (m) => int(m.meetingsNoShow) },
    { title: 'Held%', value: (m) => pct(m.meetingHeldRate) },
    { title: 'Notes', value: (m) => int(m.notes) },
    { title: 'Tasks', value: (m) => int(m.tasksCompleted) },
    { title: 'Created', value: (m) => int(m.dealsCreated) },
    { title: 'Won', value: (m) => int(m.dealsWon) },
    { title: 'Lost', value: (m) => int(m.dealsLost) },
    { title: 'Win%', value: (m) => pct(m.winRate) },
    { title: 'Won amt', value: (m) => cash(m.wonAmount) },
  ];
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Render the report as aligned text tables; `currency` formats won amounts. */
export function formatMetricsTable(report: MetricsReport, currency = 'USD'): string {
  const cols = columns(currency);
  const header = ['Rep', ...cols.map((c) => c.title)];
  const repRows = report.reps.map((r) => [
    `${r.name ?? `(owner ${r.ownerId})`}${r.archived ? ' (archived)' : ''}`,
    ...cols.map((c) => c.value(r.metrics)),
  ]);
  const out: string[] = [];
  out.push(
    `Portal ${report.portalId} · ${report.period.from} to ${report.period.to} (exclusive) · ${report.timeZone}`,
  );
  out.push('');
  out.push(table(header, repRows));
  if (report.teams.length > 0) {
    const teamRows: string[][] = [];
    for (const t of report.teams) {
      teamRows.push([`${t.name} total (${t.ownerIds.length})`, ...cols.map((c) => c.value(t.totals))]);
      teamRows.push([`${t.name} median`, ...cols.map((c) => c.value(t.median))]);
    }
    out.push('');
    out.push(table(['Team', ...cols.map((c) => c.title)], teamRows));
  }
  out.push('');
  out.push(
    table(
      ['Unassigned', ...cols.map((c) => c.title)],
      [['(no owner)', ...cols.map((c) => c.value(report.unassigned))]],
    ),
  );
  out.push('');
  out.push(
    report.skipped > 0
      ? `${report.skipped} record${report.skipped === 1 ? '' : 's'} skipped: a deciding date is missing or unreadable.`
      : 'No records skipped.',
  );
  return `${out.join('\n')}\n`;
}
