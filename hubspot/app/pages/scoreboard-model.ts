/**
 * Turns a metrics report into what the scoreboard shows: one row per rep of the chosen team, each
 * metric formatted and compared with the team median the backend computed. No metric is computed
 * here; the card only presents what the activity-metrics function returns (DESIGN.md §3).
 */
import type { Metrics, MetricsReport, RepReport, TeamReport } from '@pillars/contracts';
import { formatCount, formatDuration, formatMoney, formatRate } from './format';

type ColumnKind = 'count' | 'rate' | 'duration' | 'money';

export interface Column {
  metric: keyof Metrics;
  label: string;
  kind: ColumnKind;
}

/** The scoreboard's columns, in METRICS.md §2 order. */
export const COLUMNS: readonly Column[] = [
  { metric: 'dials', label: 'Dials', kind: 'count' },
  { metric: 'connects', label: 'Connects', kind: 'count' },
  { metric: 'connectRate', label: 'Connect rate', kind: 'rate' },
  { metric: 'talkTimeMs', label: 'Talk time', kind: 'duration' },
  { metric: 'meetingsHeld', label: 'Meetings held', kind: 'count' },
  { metric: 'meetingHeldRate', label: 'Held rate', kind: 'rate' },
  { metric: 'dealsWon', label: 'Deals won', kind: 'count' },
  { metric: 'wonAmount', label: 'Won amount', kind: 'money' },
];

/** Where a rep's value sits against the team median; `none` when either side has no value. */
export type Comparison = 'above' | 'below' | 'at' | 'none';

export interface Cell {
  metric: keyof Metrics;
  display: string;
  comparison: Comparison;
}

export interface Row {
  ownerId: string;
  name: string;
  cells: Cell[];
}

export interface Scoreboard {
  /** The team whose median the rows are compared with; undefined for "all teams". */
  team: TeamReport | undefined;
  rows: Row[];
  /** The median row (formatted), when a team is selected. */
  median: Cell[] | undefined;
  /** True when no rep has a single non-zero metric this week. */
  noActivity: boolean;
}

export interface FormatOptions {
  locale: string;
  currency: string | undefined;
}

export function compareToMedian(value: number | null, median: number | null | undefined): Comparison {
  if (value === null || median === null || median === undefined) return 'none';
  if (value > median) return 'above';
  if (value < median) return 'below';
  return 'at';
}

export function formatMetric(kind: ColumnKind, value: number | null, options: FormatOptions): string {
  switch (kind) {
    case 'rate':
      return formatRate(value, options.locale);
    case 'duration':
      return value === null ? formatRate(null, options.locale) : formatDuration(value);
    case 'money':
      return value === null
        ? formatRate(null, options.locale)
        : formatMoney(value, options.currency, options.locale);
    case 'count':
      return value === null ? formatRate(null, options.locale) : formatCount(value, options.locale);
  }
}

/**
 * The report's currency, if the backend sends one. The contract has no such field yet
 * (packages/contracts), so until it does, amounts show as plain numbers rather than a guessed currency.
 */
export function reportCurrency(report: MetricsReport): string | undefined {
  if ('currency' in report) {
    const currency: unknown = report.currency;
    if (typeof currency === 'string' && /^[A-Z]{3}$/.test(currency)) return currency;
  }
  return undefined;
}

export function repName(rep: RepReport): string {
  const name = rep.name?.trim() || rep.email || `Owner ${rep.ownerId}`;
  // Archived or deleted owners only appear when they still have activity in the week.
  return rep.archived ? `${name} (deactivated)` : name;
}

function hasActivity(metrics: Metrics): boolean {
  return Object.values(metrics).some((value) => value !== null && value !== 0);
}

export function buildScoreboard(
  report: MetricsReport,
  teamId: string | undefined,
  options: FormatOptions,
): Scoreboard {
  const team = teamId === undefined ? undefined : report.teams.find((t) => t.teamId === teamId);
  // The backend narrows by teamId already; filtering again keeps the table right if it ever does not.
  const reps = teamId === undefined ? report.reps : report.reps.filter((rep) => rep.teamIds.includes(teamId));
  const rows = reps
    .map((rep): Row => ({
      ownerId: rep.ownerId,
      name: repName(rep),
      cells: COLUMNS.map(({ metric, kind }) => ({
        metric,
        display: formatMetric(kind, rep.metrics[metric], options),
        comparison: compareToMedian(rep.metrics[metric], team?.median[metric]),
      })),
    }))
    .sort((a, b) => a.name.localeCompare(b.name, options.locale));
  const median = team
    ? COLUMNS.map(({ metric, kind }) => ({
        metric,
        display: formatMetric(kind, team.median[metric], options),
        comparison: 'none' as const,
      }))
    : undefined;
  return { team, rows, median, noActivity: !reps.some((rep) => hasActivity(rep.metrics)) };
}

/** Team choices: every team seen in a report, plus the user's own teams from HubSpot. */
export function mergeTeamNames(
  known: Readonly<Record<string, string>>,
  teams: readonly { teamId: string; name: string }[],
): Readonly<Record<string, string>> {
  const changes = teams.filter(({ teamId, name }) => known[teamId] !== name);
  // The same object when nothing changed, so React skips the re-render.
  if (changes.length === 0) return known;
  const next: Record<string, string> = { ...known };
  for (const { teamId, name } of changes) next[teamId] = name;
  return next;
}
