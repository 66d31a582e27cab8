/**
 * Static mocks and factories for the home page tests. Reports are built from zeros plus the
 * fields a test cares about, so each test states only what it checks. Nothing here mocks a
 * module: the page takes `fetchReport` and `now` as props.
 */
import type { Metrics, MetricsReport, RepReport, TeamReport } from '@pillars/contracts';
import type { FetchReport, ReportRequest } from '../../api';
import type { ScoreboardContext } from '../../TeamScoreboard';

export const BACKEND = 'https://api.pillars.example.com';

/** Wednesday 4 Nov 2026, 10:00 in New York: the current week starts Monday 2026-11-02. */
export const NOW = new Date('2026-11-04T15:00:00.000Z');
export const THIS_WEEK = '2026-11-02';
export const LAST_WEEK = '2026-10-26';
export const now = (): Date => NOW;

export function makeMetrics(overrides: Partial<Metrics> = {}): Metrics {
  return {
    dials: 0,
    connects: 0,
    connectRate: null,
    talkTimeMs: 0,
    inboundCalls: 0,
    emailsSent: 0,
    emailsReceived: 0,
    meetingsBooked: 0,
    meetingsScheduled: 0,
    meetingsHeld: 0,
    meetingsNoShow: 0,
    meetingsCanceled: 0,
    meetingHeldRate: null,
    notes: 0,
    tasksCompleted: 0,
    dealsCreated: 0,
    dealsWon: 0,
    dealsLost: 0,
    winRate: null,
    wonAmount: 0,
    ...overrides,
  };
}

export function makeRep(
  ownerId: string,
  name: string | null,
  teamIds: string[],
  metrics: Partial<Metrics> = {},
): RepReport {
  return {
    ownerId,
    name,
    email: name ? `${name.split(' ')[0]?.toLowerCase()}@example.com` : null,
    archived: false,
    teamIds,
    metrics: makeMetrics(metrics),
  };
}

export function makeTeam(
  teamId: string,
  name: string,
  ownerIds: string[],
  median: Partial<Metrics> = {},
): TeamReport {
  return { teamId, name, ownerIds, totals: makeMetrics(), median: makeMetrics(median) };
}

export function makeReport(
  reps: RepReport[],
  teams: TeamReport[],
  overrides: Partial<MetricsReport> = {},
): MetricsReport {
  return {
    portalId: 123,
    timeZone: 'America/New_York',
    period: {
      from: THIS_WEEK,
      to: '2026-11-09',
      startUtc: '2026-11-02T05:00:00.000Z',
      endUtc: '2026-11-09T05:00:00.000Z',
    },
    reps,
    teams,
    unassigned: makeMetrics(),
    skipped: 0,
    ...overrides,
  };
}

/**
 * Team East (7): Ana above the median on dials and connect rate, Ben below. Medians are the
 * backend's numbers; the page only compares against them.
 */
export function eastReport(): MetricsReport {
  return makeReport(
    [
      makeRep('101', 'Ana Diaz', ['7'], {
        dials: 14,
        connects: 6,
        connectRate: 6 / 14,
        talkTimeMs: 3_900_000,
        meetingsHeld: 3,
        meetingsNoShow: 1,
        meetingHeldRate: 0.75,
        dealsWon: 2,
        wonAmount: 12_500,
      }),
      makeRep('102', 'Ben Okafor', ['7'], {
        dials: 6,
        connects: 1,
        connectRate: 1 / 6,
        talkTimeMs: 40_000,
        meetingsHeld: 1,
        meetingHeldRate: 1,
        dealsWon: 0,
        wonAmount: 0,
      }),
    ],
    [
      makeTeam('7', 'East', ['101', '102'], {
        dials: 10,
        connects: 3.5,
        connectRate: 0.297,
        talkTimeMs: 1_970_000,
        meetingsHeld: 2,
        meetingHeldRate: 0.875,
        dealsWon: 1,
        wonAmount: 6_250,
      }),
      makeTeam('8', 'West', []),
    ],
  );
}

/** HubSpot's context for a user in team East, with the profile variable the page needs. */
export function makeContext(
  overrides: { variables?: ScoreboardContext['variables']; teams?: ScoreboardContext['user']['teams'] } = {},
): ScoreboardContext {
  return {
    user: {
      id: 9001,
      email: 'ana@example.com',
      emails: ['ana@example.com'],
      firstName: 'Ana',
      lastName: 'Diaz',
      roles: [],
      teams: overrides.teams ?? [{ id: 7, name: 'East', teammates: [9002] }],
      locale: 'en-us',
      permissions: [],
    },
    portal: { id: 123, timezone: 'America/New_York' },
    variables: 'variables' in overrides ? overrides.variables : { BACKEND_ORIGIN: BACKEND },
  };
}

interface PendingCall {
  request: ReportRequest;
  resolve: (report: MetricsReport) => void;
  reject: (error: unknown) => void;
}

/** A fetchReport whose answers the test releases one by one, in any order. */
export function controllableFetch(): { fetchReport: FetchReport; calls: PendingCall[] } {
  const calls: PendingCall[] = [];
  const fetchReport: FetchReport = (request) =>
    new Promise<MetricsReport>((resolve, reject) => {
      calls.push({ request, resolve, reject });
    });
  return { fetchReport, calls };
}

/** A fetchReport that answers every request with the same report. */
export function answering(report: MetricsReport): { fetchReport: FetchReport; requests: ReportRequest[] } {
  const requests: ReportRequest[] = [];
  return {
    requests,
    fetchReport: async (request) => {
      requests.push(request);
      return report;
    },
  };
}
