/**
 * The weekly meeting pack on the app home page, for coaches: pick one of the teams you coach, and see
 * the week's scoreboard against targets, who is off pace and why, wins to praise, deals past their
 * stage's usual time, training due and overdue, and what completed training changed. Everything comes
 * from the backend's weekly pack (the same diagnosis as the contact card); this view only presents it.
 */
import { useState } from 'react';
import {
  Button,
  Divider,
  EmptyState,
  ErrorState,
  Flex,
  Heading,
  List,
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
import type { PackMember, PackScoreRow, StalledDeal, WeeklyPack as Pack } from '@pillars/contracts';
import { REPORT_TIMEOUT_MS } from './api';
import { backendOriginFrom, resolveLocale } from '@pillars/ui-kit';
import { NO_VALUE, formatCount, formatRate, formatWeek } from './format';
import type { ScoreboardContext } from './TeamScoreboard';
import type { Failure } from './useMetricsReport';
import type { PackState } from './useWeeklyPack';
import { useWeeklyPack } from './useWeeklyPack';
import type { FetchPack, FetchPackTeams } from './weekly-pack-api';
import { fetchPackTeams, fetchWeeklyPack } from './weekly-pack-api';

export interface WeeklyPackProps {
  context: ScoreboardContext;
  fetchTeams?: FetchPackTeams;
  fetchPack?: FetchPack;
}

/** The scoreboard columns of the pack. */
export const PACK_COLUMNS: ReadonlyArray<{ metric: PackScoreRow['metric']; label: string; rate: boolean }> = [
  { metric: 'dials', label: 'Dials', rate: false },
  { metric: 'connects', label: 'Connects', rate: false },
  { metric: 'connectRate', label: 'Connect rate', rate: true },
  { metric: 'meetingsBooked', label: 'Meetings booked', rate: false },
  { metric: 'meetingsHeld', label: 'Meetings held', rate: false },
  { metric: 'meetingHeldRate', label: 'Held rate', rate: true },
  { metric: 'dealsWon', label: 'Deals won', rate: false },
];

const STATUS_TAG: Record<
  PackMember['status'],
  { label: string; variant: 'success' | 'warning' | 'default' }
> = {
  'on-pace': { label: 'On pace', variant: 'success' },
  'off-pace': { label: 'Off pace', variant: 'warning' },
  'not-enough-data': { label: 'Not enough data', variant: 'default' },
};

function value(
  row: PackScoreRow | undefined,
  key: 'value' | 'target' | 'teamMedian',
  rate: boolean,
  locale: string,
) {
  const v = row?.[key] ?? null;
  if (v === null) return NO_VALUE;
  return rate ? formatRate(v, locale) : formatCount(v, locale);
}

/** Title and message of a failure of the pack or of the team list. */
export function describePackFailure(failure: Failure): { title: string; message: string; retry: boolean } {
  switch (failure.kind) {
    case 'not-authorised':
      return {
        title: "You can't open this team's pack",
        message:
          failure.detail ??
          'Only the coaches of a team can see its weekly pack. Ask a Pillars admin to add you as a coach in the Pillars settings page.',
        retry: failure.status !== 403,
      };
    case 'server':
      return {
        title: "The weekly pack didn't load",
        message: `${failure.detail ?? "Pillars' server could not prepare the pack."}${failure.code ? ` (Error code: ${failure.code})` : ''} Try again in a minute.`,
        retry: true,
      };
    case 'unreachable':
      return {
        title: "The weekly pack didn't load",
        message: `Pillars' server didn't answer within ${REPORT_TIMEOUT_MS / 1000} seconds. Check your connection and try again.`,
        retry: true,
      };
    case 'invalid-response':
      return {
        title: "The weekly pack didn't load",
        message:
          "Pillars' server sent an answer this page doesn't understand; the app may be updating. Try again in a minute.",
        retry: true,
      };
    case 'misconfigured':
      return {
        title: "Pillars isn't set up correctly",
        message: `This build of the app has no usable backend address (${failure.detail ?? 'BACKEND_ORIGIN'}).`,
        retry: false,
      };
  }
}

function FailureView({ failure, onRetry }: { failure: Failure; onRetry: () => void }) {
  const { title, message, retry } = describePackFailure(failure);
  return (
    <ErrorState testId="pack-error" title={title} type={failure.kind === 'not-authorised' ? 'lock' : 'error'}>
      <Text testId="pack-error-message">{message}</Text>
      {retry ? (
        <Button testId="pack-retry" variant="primary" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </ErrorState>
  );
}

export function WeeklyPack({
  context,
  fetchTeams = fetchPackTeams,
  fetchPack = fetchWeeklyPack,
}: WeeklyPackProps) {
  const locale = resolveLocale(context.user.locale);
  const [backend] = useState(() => backendOriginFrom(context.variables));
  const { teams, teamId, selectTeam, pack, reload } = useWeeklyPack(fetchTeams, fetchPack, backend);

  return (
    <Flex direction="column" gap="md" testId="pack">
      <Flex direction="column" gap="xs">
        <Heading testId="pack-title">Weekly meeting pack</Heading>
        <Text variant="microcopy" testId="pack-intro">
          For the team meeting: last week against targets, who is off pace and why, wins to praise, stalled
          deals and training.
        </Text>
      </Flex>
      {teams.status === 'loading' ? (
        <LoadingSpinner
          testId="pack-teams-loading"
          label="Loading the teams you coach"
          showLabel
          layout="centered"
        />
      ) : teams.status === 'error' ? (
        <FailureView failure={teams.failure} onRetry={reload} />
      ) : teams.teams.length === 0 ? (
        <Text testId="pack-no-teams">
          You don&apos;t coach a team, so there is no weekly meeting pack for you. A Pillars admin can add you
          as a team&apos;s coach in the Pillars settings page.
        </Text>
      ) : (
        <Flex direction="column" gap="md">
          <Select
            testId="pack-team-select"
            label="Team"
            name="pack-team"
            value={teamId}
            options={teams.teams.map((t) => ({ label: t.name, value: t.id }))}
            onChange={(v) => selectTeam(String(v))}
          />
          <PackBody state={pack} locale={locale} onRetry={reload} />
        </Flex>
      )}
    </Flex>
  );
}

function PackBody({ state, locale, onRetry }: { state: PackState; locale: string; onRetry: () => void }) {
  switch (state.status) {
    case 'idle':
    case 'loading':
      return (
        <LoadingSpinner testId="pack-loading" label="Preparing the weekly pack" showLabel layout="centered" />
      );
    case 'error':
      return <FailureView failure={state.failure} onRetry={onRetry} />;
    case 'ready':
      return <PackView pack={state.pack} locale={locale} />;
  }
}

function PackView({ pack, locale }: { pack: Pack; locale: string }) {
  if (pack.members.length === 0) {
    return (
      <EmptyState
        testId="pack-empty"
        title="No reps in this team"
        layout="vertical"
        imageName="emptyStateCharts"
      >
        <Text testId="pack-empty-text">
          {`${pack.team.name} has no members in HubSpot. Add users to it under Settings › Users & Teams.`}
        </Text>
      </EmptyState>
    );
  }
  const offPace = pack.members.filter((m) => m.status === 'off-pace');
  const thin = pack.members.filter((m) => m.status === 'not-enough-data');
  const reference = pack.members.find((m) => m.scoreboard.length > 0)?.scoreboard ?? [];
  const row = (rows: readonly PackScoreRow[], metric: string) => rows.find((r) => r.metric === metric);

  return (
    <Flex direction="column" gap="md" testId="pack-report">
      <Text testId="pack-week" format={{ fontWeight: 'demibold' }}>
        {`${pack.team.name}, week of ${formatWeek(pack.weekStart, locale)}`}
      </Text>

      <Heading testId="pack-scoreboard-title">Scoreboard</Heading>
      <Table bordered testId="pack-scoreboard">
        <TableHead>
          <TableRow>
            <TableHeader>Rep</TableHeader>
            <TableHeader>Status</TableHeader>
            {PACK_COLUMNS.map((c) => (
              <TableHeader key={c.metric} align="right">
                {c.label}
              </TableHeader>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {pack.members.map((m) => (
            <TableRow key={m.ownerId} testId={`pack-row-${m.ownerId}`}>
              <TableCell>{m.name}</TableCell>
              <TableCell>
                <Tag variant={STATUS_TAG[m.status].variant} testId={`pack-status-${m.ownerId}`}>
                  {STATUS_TAG[m.status].label}
                </Tag>
              </TableCell>
              {PACK_COLUMNS.map((c) => (
                <TableCell key={c.metric} align="right" testId={`pack-cell-${m.ownerId}-${c.metric}`}>
                  {value(row(m.scoreboard, c.metric), 'value', c.rate, locale)}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
        <TableFooter>
          <TableRow testId="pack-median-row">
            <TableCell>Team median</TableCell>
            <TableCell>{''}</TableCell>
            {PACK_COLUMNS.map((c) => (
              <TableCell key={c.metric} align="right">
                {value(row(reference, c.metric), 'teamMedian', c.rate, locale)}
              </TableCell>
            ))}
          </TableRow>
          <TableRow testId="pack-target-row">
            <TableCell>Target</TableCell>
            <TableCell>{''}</TableCell>
            {PACK_COLUMNS.map((c) => (
              <TableCell key={c.metric} align="right" testId={`pack-target-${c.metric}`}>
                {value(row(reference, c.metric), 'target', c.rate, locale)}
              </TableCell>
            ))}
          </TableRow>
        </TableFooter>
      </Table>

      <Divider />
      <Heading testId="pack-off-pace-title">Off pace, and why</Heading>
      {offPace.length === 0 ? (
        <Text testId="pack-off-pace-none">Nobody: every rep with enough data is on pace.</Text>
      ) : (
        <List testId="pack-off-pace">
          {offPace.map((m) => (
            <Flex key={m.ownerId} direction="column" gap="flush" testId={`pack-off-pace-${m.ownerId}`}>
              <Text format={{ fontWeight: 'demibold' }}>{m.name}</Text>
              {m.reasons.map((r, i) => (
                <Text key={i} testId={`pack-reason-${m.ownerId}-${i}`}>
                  {r}
                </Text>
              ))}
            </Flex>
          ))}
        </List>
      )}
      {thin.length > 0 ? (
        <List testId="pack-not-enough-data">
          {thin.map((m) => (
            <Text key={m.ownerId} testId={`pack-thin-${m.ownerId}`}>
              {`${m.name}: ${m.diagnosis.summary}`}
            </Text>
          ))}
        </List>
      ) : null}

      <Divider />
      <Heading testId="pack-praise-title">Wins to praise</Heading>
      {pack.praise.length === 0 ? (
        <Text testId="pack-praise-none">No praise suggested this week.</Text>
      ) : (
        <List testId="pack-praise">
          {pack.praise.map((p, i) => (
            <Text key={`${p.ownerId}-${i}`} testId={`pack-praise-${i}`}>
              {`${p.name}: ${p.headline}. ${p.evidence}`}
            </Text>
          ))}
        </List>
      )}

      <Divider />
      <Heading testId="pack-deals-title">Deals past their stage&apos;s usual time</Heading>
      {pack.stalledDeals.length === 0 ? (
        <Text testId="pack-deals-none">None: every open deal of the team is within its usual time.</Text>
      ) : (
        <StalledTable deals={pack.stalledDeals} />
      )}

      <Divider />
      <Heading testId="pack-training-title">Training</Heading>
      {pack.training.overdue.length === 0 && pack.training.due.length === 0 ? (
        <Text testId="pack-training-none">Nothing overdue or due in the next 7 days.</Text>
      ) : (
        <List testId="pack-training">
          {[
            ...pack.training.overdue.map((a) => (
              <Flex key={a.id} direction="row" gap="xs" testId={`pack-overdue-${a.id}`}>
                <Tag variant="error">Overdue</Tag>
                <Text>{`${a.ownerName}: ${a.moduleTitle}, due ${a.dueDate}`}</Text>
              </Flex>
            )),
            ...pack.training.due.map((a) => (
              <Text
                key={a.id}
                testId={`pack-due-${a.id}`}
              >{`${a.ownerName}: ${a.moduleTitle}, due ${a.dueDate}`}</Text>
            )),
          ]}
        </List>
      )}

      <Divider />
      <Heading testId="pack-effects-title">What completed training changed</Heading>
      {pack.moduleEffects.length === 0 ? (
        <Text testId="pack-effects-none">No completed training is measurable yet.</Text>
      ) : (
        <List testId="pack-effects">
          {pack.moduleEffects.map((e) => (
            <Text key={`${e.moduleTag}-${e.metric}`} testId={`pack-effect-${e.moduleTag}-${e.metric}`}>
              {`${e.moduleTag} on ${e.metric}: ${
                e.medianEffect === null
                  ? 'no supported measurement yet'
                  : `median effect ${e.medianEffect >= 0 ? '+' : ''}${formatCount(
                      e.metric.endsWith('Rate') ? e.medianEffect * 100 : e.medianEffect,
                      'en-US',
                    )}${e.metric.endsWith('Rate') ? ' points' : ''}`
              } (${e.supported} of ${e.total} measurable)`}
            </Text>
          ))}
        </List>
      )}
    </Flex>
  );
}

function StalledTable({ deals }: { deals: readonly StalledDeal[] }) {
  return (
    <Table bordered testId="pack-deals">
      <TableHead>
        <TableRow>
          <TableHeader>Deal</TableHeader>
          <TableHeader>Rep</TableHeader>
          <TableHeader>Stage</TableHeader>
          <TableHeader align="right">Days in stage</TableHeader>
          <TableHeader align="right">Usually</TableHeader>
          <TableHeader>Age</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {deals.map((d) => (
          <TableRow key={d.dealId} testId={`pack-deal-${d.dealId}`}>
            <TableCell>{d.dealName ?? `Deal ${d.dealId}`}</TableCell>
            <TableCell testId={`pack-deal-rep-${d.dealId}`}>{d.ownerName}</TableCell>
            <TableCell>{`${d.stageLabel} (${d.pipelineLabel})`}</TableCell>
            <TableCell align="right">{String(Math.round(d.daysInStage))}</TableCell>
            <TableCell
              align="right"
              testId={`pack-deal-usual-${d.dealId}`}
            >{`${Math.round(d.typicalDays.p75)}–${Math.round(d.typicalDays.p90)} days`}</TableCell>
            <TableCell>
              <Tag variant={d.age === 'stalled' ? 'error' : 'warning'} testId={`pack-deal-age-${d.dealId}`}>
                {d.age === 'stalled' ? 'Stalled' : 'Slow'}
              </Tag>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
