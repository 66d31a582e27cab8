/**
 * The app home page: the team scoreboard. This week's activity per rep against the team median,
 * with a team selector and week navigation. Data comes only from the backend through `api.ts`;
 * `fetchReport` and `now` are seams that default to the real thing, so tests need no module mocks.
 */
import { useEffect, useState } from 'react';
import {
  Button,
  EmptyState,
  ErrorState,
  Flex,
  Heading,
  LoadingSpinner,
  Select,
  Table,
  TableBody,
  TableCell,
  TableFooter,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import type { AppHomeContext } from '@hubspot/ui-extensions';
import type { MetricsReport } from '@pillars/contracts';
import type { FetchReport } from './api';
import { REPORT_TIMEOUT_MS, fetchMetricsReport } from './api';
import { backendOriginFrom, resolveLocale } from '@pillars/ui-kit';
import { formatWeek } from './format';
import type { Cell } from './scoreboard-model';
import { COLUMNS, buildScoreboard, mergeTeamNames, reportCurrency } from './scoreboard-model';
import type { Failure, ReportState } from './useMetricsReport';
import { useMetricsReport } from './useMetricsReport';
import type { LocalDate } from './week';
import { addWeeks, currentWeek } from './week';

/** What the page reads from HubSpot's context (the whole AppHomeContext satisfies it). */
export type ScoreboardContext = Pick<AppHomeContext, 'user' | 'portal' | 'variables'>;

export interface TeamScoreboardProps {
  context: ScoreboardContext;
  /** Loads a report; defaults to the backend through `hubspot.fetch`. */
  fetchReport?: FetchReport;
  /** The current instant; defaults to the clock. Decides which week is "this week". */
  now?: () => Date;
}

/** Select value for "no team filter". Team ids are numeric, so it cannot collide. */
export const ALL_TEAMS = 'all';

const systemNow = (): Date => new Date();

export function TeamScoreboard({
  context,
  fetchReport = fetchMetricsReport,
  now = systemNow,
}: TeamScoreboardProps) {
  const locale = resolveLocale(context.user.locale);
  const thisWeek = currentWeek(context.portal.timezone, now());
  const [week, setWeek] = useState<LocalDate>(thisWeek);
  // Start on the user's own (first) team: that is the scoreboard a rep or coach opens the page for.
  const [teamId, setTeamId] = useState<string | undefined>(() => {
    const first = context.user.teams[0];
    return first === undefined ? undefined : String(first.id);
  });
  const [teamNames, setTeamNames] = useState<Readonly<Record<string, string>>>(() =>
    mergeTeamNames(
      {},
      context.user.teams.map((t) => ({ teamId: String(t.id), name: t.name })),
    ),
  );
  const [backend] = useState(() => backendOriginFrom(context.variables));
  const { state, reload } = useMetricsReport(fetchReport, backend, week, teamId);

  useEffect(() => {
    // Remember every team a report mentions, so narrowing to one team keeps the others selectable.
    if (state.status === 'ready') setTeamNames((known) => mergeTeamNames(known, state.report.teams));
  }, [state]);

  const teamOptions = [
    { label: 'All teams', value: ALL_TEAMS },
    ...Object.entries(teamNames)
      .map(([value, label]) => ({ value, label }))
      .sort((a, b) => a.label.localeCompare(b.label, locale)),
  ];

  return (
    <Flex direction="column" gap="md" testId="scoreboard">
      <Flex direction="column" gap="xs" testId="scoreboard-header">
        <Heading testId="scoreboard-title">Team scoreboard</Heading>
        <Text variant="microcopy" testId="scoreboard-intro">
          Each rep&apos;s activity for the week, next to the median of their team.
        </Text>
      </Flex>
      <Flex direction="row" gap="md" align="end" wrap="wrap" testId="scoreboard-controls">
        <Select
          testId="team-select"
          label="Team"
          name="team"
          value={teamId ?? ALL_TEAMS}
          options={teamOptions}
          onChange={(value) => setTeamId(value === ALL_TEAMS ? undefined : String(value))}
        />
        <Flex direction="row" gap="sm" align="center" testId="week-nav">
          <Button
            testId="week-previous"
            size="sm"
            variant="secondary"
            onClick={() => setWeek((w) => addWeeks(w, -1))}
          >
            Previous week
          </Button>
          <Text testId="week-label" format={{ fontWeight: 'demibold' }}>
            {formatWeek(week, locale)}
          </Text>
          <Button
            testId="week-next"
            size="sm"
            variant="secondary"
            // Future weeks have no activity yet; string order is date order for YYYY-MM-DD.
            disabled={week >= thisWeek}
            onClick={() => setWeek((w) => addWeeks(w, 1))}
          >
            Next week
          </Button>
          {week !== thisWeek ? (
            <Button testId="week-current" size="sm" variant="transparent" onClick={() => setWeek(thisWeek)}>
              This week
            </Button>
          ) : null}
        </Flex>
      </Flex>
      <ScoreboardBody state={state} teamId={teamId} locale={locale} onRetry={reload} />
    </Flex>
  );
}

interface BodyProps {
  state: ReportState;
  teamId: string | undefined;
  locale: string;
  onRetry: () => void;
}

function ScoreboardBody({ state, teamId, locale, onRetry }: BodyProps) {
  switch (state.status) {
    case 'loading':
      return (
        <LoadingSpinner
          testId="scoreboard-loading"
          label="Loading the week's numbers"
          showLabel
          layout="centered"
        />
      );
    case 'error':
      return <FailureView failure={state.failure} onRetry={onRetry} />;
    case 'ready':
      return <ReportView report={state.report} teamId={teamId} locale={locale} />;
  }
}

function ReportView({
  report,
  teamId,
  locale,
}: {
  report: MetricsReport;
  teamId: string | undefined;
  locale: string;
}) {
  const board = buildScoreboard(report, teamId, { locale, currency: reportCurrency(report) });
  const teamName = board.team?.name ?? 'this team';

  if (board.rows.length === 0) {
    return (
      <EmptyState
        testId="scoreboard-empty-reps"
        title="No reps to show"
        layout="vertical"
        imageName="emptyStateCharts"
      >
        <Text testId="scoreboard-empty-reps-text">
          {teamId === undefined
            ? 'Pillars found no sales reps (HubSpot owners) in this account.'
            : `${teamName} has no reps in HubSpot. Pick another team, or add users to it in HubSpot under Settings › Users & Teams.`}
        </Text>
      </EmptyState>
    );
  }

  if (board.noActivity) {
    return (
      <EmptyState
        testId="scoreboard-empty-activity"
        title="No activity this week"
        layout="vertical"
        imageName="emptyStateCharts"
      >
        <Text testId="scoreboard-empty-activity-text">
          {`No calls, emails, meetings, tasks or deals were logged for ${teamId === undefined ? 'any rep' : teamName} this week. Pick an earlier week to see past numbers.`}
        </Text>
      </EmptyState>
    );
  }

  return (
    <Flex direction="column" gap="sm" testId="scoreboard-report">
      <Table bordered testId="scoreboard-table">
        <TableHead testId="scoreboard-table-head">
          <TableRow testId="scoreboard-table-head-row">
            <TableHeader testId="column-rep">Rep</TableHeader>
            {COLUMNS.map((column) => (
              <TableHeader key={column.metric} testId={`column-${column.metric}`} align="right">
                {column.label}
              </TableHeader>
            ))}
          </TableRow>
        </TableHead>
        <TableBody testId="scoreboard-table-body">
          {board.rows.map((row) => (
            <TableRow key={row.ownerId} testId={`row-${row.ownerId}`}>
              <TableCell testId={`rep-${row.ownerId}`}>{row.name}</TableCell>
              {row.cells.map((cell) => (
                <MetricCell key={cell.metric} cell={cell} testId={`cell-${row.ownerId}-${cell.metric}`} />
              ))}
            </TableRow>
          ))}
        </TableBody>
        {board.median ? (
          <TableFooter testId="scoreboard-table-footer">
            <TableRow testId="median-row">
              <TableCell testId="median-label">{`${teamName} median`}</TableCell>
              {board.median.map((cell) => (
                <MetricCell key={cell.metric} cell={cell} testId={`median-${cell.metric}`} />
              ))}
            </TableRow>
          </TableFooter>
        ) : null}
      </Table>
      {board.team ? null : (
        <Text variant="microcopy" testId="median-hint">
          Pick a team to compare each rep with that team&apos;s median.
        </Text>
      )}
      {report.skipped > 0 ? (
        <Text variant="microcopy" testId="skipped-note">
          {`${report.skipped} ${report.skipped === 1 ? 'activity has' : 'activities have'} no usable date in HubSpot and ${report.skipped === 1 ? 'is' : 'are'} not counted.`}
        </Text>
      ) : null}
    </Flex>
  );
}

const COMPARISON_TAG = {
  above: { variant: 'success', label: 'above median' },
  below: { variant: 'warning', label: 'below median' },
} as const;

function MetricCell({ cell, testId }: { cell: Cell; testId: string }) {
  const tag =
    cell.comparison === 'above' || cell.comparison === 'below' ? COMPARISON_TAG[cell.comparison] : undefined;
  return (
    <TableCell testId={testId} align="right">
      <Text inline testId={`${testId}-value`}>
        {cell.display}
      </Text>
      {tag ? (
        <Tag inline variant={tag.variant} testId={`${testId}-vs-median`}>
          {tag.label}
        </Tag>
      ) : null}
    </TableCell>
  );
}

/** Title, explanation and whether retrying can help, for each failure. Messages say what to do. */
export function describeFailure(failure: Failure): {
  title: string;
  message: string;
  retry: boolean;
  type: 'error' | 'lock' | 'support';
} {
  switch (failure.kind) {
    case 'not-authorised':
      return failure.status === 403
        ? {
            type: 'lock',
            title: "You don't have access to this scoreboard",
            message:
              failure.detail ??
              'Only coaches of a team and Pillars admins can see its scoreboard. Pick a team you coach, or ask a Pillars admin to add you as a coach in the Pillars settings page.',
            retry: false,
          }
        : {
            type: 'lock',
            title: "Pillars couldn't confirm your access",
            message:
              'HubSpot did not vouch for this request, or Pillars is no longer connected to this account. Try again; if it keeps happening, ask a Super Admin to reinstall Pillars from Marketplace › Connected apps.',
            retry: true,
          };
    case 'unreachable':
      return {
        type: 'error',
        title: "The scoreboard didn't load",
        message: `Pillars' server didn't answer within ${REPORT_TIMEOUT_MS / 1000} seconds. Check your connection and try again; if it keeps failing, contact Pillars support.`,
        retry: true,
      };
    case 'invalid-response':
      return {
        type: 'error',
        title: "The scoreboard didn't load",
        message:
          "Pillars' server sent an answer this page doesn't understand, which usually means the app is being updated. Try again in a minute.",
        retry: true,
      };
    case 'server':
      return {
        type: 'error',
        title: "The scoreboard didn't load",
        message: `${failure.detail ?? "Pillars' server could not prepare this week's numbers."} Try again in a minute.${failure.code ? ` (Error code: ${failure.code})` : ''}`,
        retry: true,
      };
    case 'misconfigured':
      return {
        type: 'support',
        title: "Pillars isn't set up correctly",
        message: `This build of the app has no usable backend address (${failure.detail ?? 'BACKEND_ORIGIN'}). The app's developer needs to upload it again with a profile that sets BACKEND_ORIGIN.`,
        retry: false,
      };
  }
}

function FailureView({ failure, onRetry }: { failure: Failure; onRetry: () => void }) {
  const { title, message, retry, type } = describeFailure(failure);
  const testId = failure.kind === 'not-authorised' ? 'scoreboard-not-authorised' : 'scoreboard-error';
  return (
    <ErrorState testId={testId} title={title} type={type}>
      <Text testId={`${testId}-message`}>{message}</Text>
      {retry ? (
        <Button testId="scoreboard-retry" variant="primary" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </ErrorState>
  );
}
