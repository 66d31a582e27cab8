/**
 * `pillars digest`: the weekly meeting pack of each team (or one), as readable text or as JSON (the
 * WeeklyPack contract; one pack with --team, else an array). The CLI is an operator: it sees every
 * team. Reads HubSpot through a token ($HUBSPOT_ACCESS_TOKEN), a fixture (--fixture), or by default a
 * generated demo portal served by an in-process sandbox (as `pillars serve` does with no token); and
 * the backend's store (DATABASE_URL, else SQLITE_FILE or its default), where it stores the weekly
 * snapshots it had to compute, as the backend would.
 */
import type { Command } from 'commander';
import type { PackMember, PackScoreRow, StalledDeal, WeeklyPack } from '@pillars/contracts';
import { RATE_METRICS } from '@pillars/contracts';
import { invalidInput } from '../../core/errors.js';
import { createActivityMetrics } from '../../functions/activity-metrics/activity-metrics.js';
import { createCoachingSettings, PORTAL_DEFAULTS } from '../../functions/coaching/coaching-settings.js';
import { DEFAULT_RULES, DEMO_CATALOGUE, DEMO_TARGETS } from '../../functions/training/default-catalogue.js';
import { createWeeklyPack } from '../../functions/weekly-pack/weekly-pack.js';
import { generateDemoPortal } from '../../sandbox/demo-portal/index.js';
import { openStore } from '../../store/open-store.js';
import type { CliIo } from '../io.js';
import { openPortalSession, TOKEN_VARIABLE } from '../portal-session.js';
import { storeConfigFrom } from '../store-config.js';
import { parseLatency, parseNonNegativeInt } from './options.js';

interface DigestOptions {
  team?: string;
  week?: string;
  json?: boolean;
  fixture?: string;
  seed: string;
  size: string;
  anchor?: string;
  baseUrl?: string;
  latency?: string;
  stats?: boolean;
}

const RATES: ReadonlySet<string> = new Set(RATE_METRICS);

/** The scoreboard's columns in the text pack. */
const COLUMNS: ReadonlyArray<{ metric: PackScoreRow['metric']; label: string }> = [
  { metric: 'dials', label: 'dials' },
  { metric: 'connects', label: 'connects' },
  { metric: 'connectRate', label: 'connect %' },
  { metric: 'meetingsBooked', label: 'booked' },
  { metric: 'meetingsHeld', label: 'held' },
  { metric: 'meetingHeldRate', label: 'held %' },
  { metric: 'dealsCreated', label: 'deals' },
  { metric: 'dealsWon', label: 'won' },
  { metric: 'winRate', label: 'win %' },
  { metric: 'wonAmount', label: 'won amount' },
];

const STATUS_WORDS: Record<PackMember['status'], string> = {
  'on-pace': 'on pace',
  'off-pace': 'OFF PACE',
  'not-enough-data': 'not enough data',
};

function cell(metric: string, value: number | null): string {
  if (value === null) return '-';
  if (RATES.has(metric)) return `${Math.round(value * 100)}%`;
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(1);
}

function days(n: number): string {
  return `${Math.round(n)} ${Math.round(n) === 1 ? 'day' : 'days'}`;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) =>
    '  ' + r.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [fmt(header), ...rows.map(fmt)];
}

function stalledLine(d: StalledDeal): string {
  const name = d.dealName ? `"${d.dealName}"` : `deal ${d.dealId}`;
  const usual = `usually ${days(d.typicalDays.p75)} at most, ${days(d.typicalDays.p90)} for the slowest tenth`;
  const from =
    d.typicalDays.source === 'history'
      ? "the team's won deals"
      : d.typicalDays.source === 'playbook'
        ? "the playbook's SLA"
        : 'a default for the stage';
  return `  - ${name} (${d.ownerName}): ${days(d.daysInStage)} in ${d.stageLabel} (${d.pipelineLabel}), ${usual} (${from}): ${d.age}.`;
}

/** One pack as plain text: headed sections, names, numbers and reasons in words. */
export function formatWeeklyPack(pack: WeeklyPack): string {
  const lines: string[] = [`Weekly meeting pack: ${pack.team.name} (team ${pack.team.id})`];
  lines.push(
    `Week of ${pack.weekStart} (complete), ${pack.timeZone}.` +
      (pack.weekInProgress
        ? ` Week in progress from ${pack.weekInProgress.weekStart}, ${Math.round(pack.weekInProgress.elapsedShare * 100)}% of its working days gone.`
        : ''),
  );
  if (pack.members.length === 0) {
    lines.push('', 'This team has no members in HubSpot.');
    return `${lines.join('\n')}\n`;
  }

  lines.push('', `Scoreboard, week of ${pack.weekStart}`);
  const rows = pack.members.map((m) => [
    m.name,
    STATUS_WORDS[m.status],
    ...COLUMNS.map((c) => cell(c.metric, m.scoreboard.find((r) => r.metric === c.metric)?.value ?? null)),
  ]);
  const first = pack.members.find((m) => m.scoreboard.length > 0)?.scoreboard ?? [];
  const median = [
    'team median',
    '',
    ...COLUMNS.map((c) => cell(c.metric, first.find((r) => r.metric === c.metric)?.teamMedian ?? null)),
  ];
  const target = [
    'target',
    '',
    ...COLUMNS.map((c) => cell(c.metric, first.find((r) => r.metric === c.metric)?.target ?? null)),
  ];
  lines.push(...table(['rep', 'status', ...COLUMNS.map((c) => c.label)], [...rows, median, target]));

  lines.push('', 'Off pace, and why');
  const off = pack.members.filter((m) => m.status === 'off-pace');
  if (off.length === 0) lines.push('  Nobody: every rep with enough data is on pace.');
  for (const m of off) {
    lines.push(`  - ${m.name}:`);
    for (const r of m.reasons) lines.push(`      ${r}`);
  }
  const thin = pack.members.filter((m) => m.status === 'not-enough-data');
  if (thin.length > 0) {
    lines.push('', 'Not enough data to judge');
    for (const m of thin) lines.push(`  - ${m.name}: ${m.diagnosis.summary}`);
  }

  lines.push('', 'Wins to praise');
  if (pack.praise.length === 0) lines.push('  No praise suggested this week.');
  for (const p of pack.praise) lines.push(`  - ${p.name}: ${p.headline}: ${p.evidence}`);

  lines.push('', "Deals past their stage's usual time");
  if (pack.stalledDeals.length === 0)
    lines.push('  None: every open deal of the team is within its usual time.');
  for (const d of pack.stalledDeals) lines.push(stalledLine(d));
  if (pack.truncated.stalledDeals > 0) lines.push(`  ... and ${pack.truncated.stalledDeals} more.`);

  lines.push('', 'Training');
  if (pack.training.overdue.length === 0 && pack.training.due.length === 0)
    lines.push('  Nothing overdue or due in the next 7 days.');
  for (const a of pack.training.overdue)
    lines.push(`  - OVERDUE ${a.ownerName}: ${a.moduleTitle}, due ${a.dueDate}. ${a.reason}`);
  for (const a of pack.training.due)
    lines.push(`  - due ${a.dueDate} ${a.ownerName}: ${a.moduleTitle}. ${a.reason}`);

  lines.push('', 'Module effects (completed training against the rest of the team)');
  if (pack.moduleEffects.length === 0) lines.push('  No completed training measurable yet.');
  for (const e of pack.moduleEffects) {
    const effect =
      e.medianEffect === null
        ? 'no supported measurement yet'
        : `median effect ${e.medianEffect >= 0 ? '+' : ''}${RATES.has(e.metric) ? `${(e.medianEffect * 100).toFixed(1)} points` : e.medianEffect.toFixed(1)}`;
    lines.push(
      `  - ${e.moduleTag} on ${e.metric}: ${effect} (${e.supported} of ${e.total} assignments measurable).`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function registerDigestCommand(program: Command, io: CliIo): void {
  program
    .command('digest')
    .description(
      'The weekly meeting pack per team: scoreboard against targets, who is off pace and why, praise, stalled deals, training due, module effects',
    )
    .option('--team <teamId>', 'only this team (default: every team)')
    .option('--week <date>', 'any local date of the complete week wanted (default: the last complete week)')
    .option('--json', 'print JSON (the WeeklyPack contract: one pack with --team, else an array)')
    .option('--fixture <file>', 'read a portal fixture through the built-in sandbox')
    .option('--seed <n>', 'without a fixture or token: seed of the generated demo portal', '1')
    .option('--size <n>', 'without a fixture or token: engagements in the generated demo portal', '30000')
    .option(
      '--anchor <date>',
      "without a fixture or token: the generated demo portal's today, YYYY-MM-DD (default: today)",
    )
    .option(
      '--base-url <url>',
      'HubSpot API base URL (default: $HUBSPOT_API_BASE_URL or https://api.hubapi.com)',
    )
    .option('--latency <ms>', 'with the sandbox: latency it adds per request (default 50)')
    .option('--stats', 'print HubSpot requests per pack on stderr')
    .addHelpText(
      'after',
      `\nHubSpot: --fixture, else $${TOKEN_VARIABLE}, else a generated demo portal. Reads and writes DATABASE_URL when set,\n` +
        'else SQLITE_FILE (default .pillars/pillars.sqlite).\n' +
        'Example: pillars digest --team 8010001 --json\n',
    )
    .action(async (opts: DigestOptions) => {
      if (opts.team !== undefined && !/^[1-9]\d{0,19}$/.test(opts.team))
        throw invalidInput(`--team must be a HubSpot team id (digits), got "${opts.team}"`);
      if (opts.week !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.week))
        throw invalidInput(`--week must be a date as YYYY-MM-DD, got "${opts.week}"`);
      if (opts.anchor !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.anchor))
        throw invalidInput(`--anchor must be a date as YYYY-MM-DD, got "${opts.anchor}"`);
      const demo = !opts.fixture && !io.env[TOKEN_VARIABLE];
      const session = await openPortalSession({
        env: io.env,
        ...(opts.fixture ? { fixture: opts.fixture } : {}),
        ...(demo
          ? {
              portal: generateDemoPortal({
                seed: parseNonNegativeInt(opts.seed, '--seed'),
                size: parseNonNegativeInt(opts.size, '--size'),
                ...(opts.anchor ? { anchor: opts.anchor } : {}),
              }),
            }
          : {}),
        ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
        ...(opts.latency !== undefined ? { latencyMs: parseLatency(opts.latency) } : {}),
      });
      try {
        const ctx = await session.context();
        const store = await openStore(storeConfigFrom(io.env));
        try {
          const settings = createCoachingSettings(
            store.settings,
            opts.fixture || demo
              ? { catalogue: DEMO_CATALOGUE, targets: DEMO_TARGETS, rules: DEFAULT_RULES }
              : PORTAL_DEFAULTS,
          );
          const weeklyPack = createWeeklyPack({
            settings,
            portalSettings: store.settings,
            activityMetrics: createActivityMetrics(),
            snapshots: store.snapshots,
            assignments: store.trainingAssignments,
            exceptions: store.exceptions,
          });
          const teamIds = opts.team ? [opts.team] : (await weeklyPack.teams(ctx)).teams.map((t) => t.id);
          const packs: WeeklyPack[] = [];
          for (const teamId of teamIds) {
            const before = session.requests();
            packs.push(await weeklyPack({ teamId, ...(opts.week ? { week: opts.week } : {}) }, ctx));
            if (opts.stats)
              io.stderr(`stats: team ${teamId}: ${session.requests() - before} HubSpot requests\n`);
          }
          if (opts.json) io.stdout(`${JSON.stringify(opts.team ? packs[0] : packs, null, 2)}\n`);
          else
            io.stdout(
              packs.length === 0
                ? 'No teams in this HubSpot account.\n'
                : packs.map(formatWeeklyPack).join('\n'),
            );
        } finally {
          await store.close();
        }
      } finally {
        await session.close();
      }
    });
}
