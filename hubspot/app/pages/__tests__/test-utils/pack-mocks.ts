/**
 * Factories for the weekly pack view tests: a team pack of New Business West with one rep per
 * situation (off pace at connect, not enough data, on pace and praised), a stalled deal and training.
 */
import type { PackMember, PackScoreRow, PackTeam, WeeklyPack } from '@pillars/contracts';
import type { FetchPack, FetchPackTeams, PackRequest } from '../../weekly-pack-api';

export const WEST: PackTeam = { id: '8010002', name: 'New Business West' };
export const EAST: PackTeam = { id: '8010001', name: 'New Business East' };

export function row(
  metric: PackScoreRow['metric'],
  value: number | null,
  target: number | null,
  teamMedian: number | null,
): PackScoreRow {
  return { metric, value, target, teamMedian };
}

function scoreboard(dials: number, connectRate: number | null): PackScoreRow[] {
  return [
    row('dials', dials, 60, 35),
    row('connects', 4, 12, 4),
    row('connectRate', connectRate, null, 0.11),
    row('meetingsBooked', 3, 4, 3),
    row('meetingsHeld', 3, 3, 3.5),
    row('meetingHeldRate', 0.75, null, 1),
    row('dealsWon', 0, null, 0),
  ];
}

export function makeMember(
  overrides: Partial<PackMember> & Pick<PackMember, 'ownerId' | 'name'>,
): PackMember {
  return {
    scoreboard: scoreboard(35, 0.11),
    status: 'on-pace',
    reasons: [],
    diagnosis: { status: 'no-clear-gap', weakestStep: null, summary: 'No clear gap.' },
    praise: [],
    ...overrides,
  };
}

export function westPack(overrides: Partial<WeeklyPack> = {}): WeeklyPack {
  return {
    team: WEST,
    timeZone: 'America/New_York',
    weekStart: '2026-11-16',
    weekInProgress: { weekStart: '2026-11-23', elapsedShare: 0.6 },
    diagnosisWeeks: ['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16'],
    members: [
      makeMember({
        ownerId: '61400270',
        name: 'Hannah Kim',
        scoreboard: scoreboard(74, 0.04),
        status: 'off-pace',
        reasons: [
          'Weakest step: connect rate (connects per dial), 5.2 % (13 of 252) against a team median of 10.7 %.',
        ],
        diagnosis: {
          status: 'gap',
          weakestStep: 'connect',
          summary: 'Weakest step: connect rate (connects per dial).',
        },
      }),
      makeMember({
        ownerId: '61400296',
        name: 'Grace Liu',
        status: 'not-enough-data',
        reasons: ['Not enough data: 82 dials in the last 4 weeks.'],
        diagnosis: {
          status: 'not-enough-data',
          weakestStep: null,
          summary: 'Not enough data: 82 dials in the last 4 weeks.',
        },
      }),
      makeMember({ ownerId: '61400244', name: 'Lena Fischer' }),
    ],
    praise: [
      {
        kind: 'most-improved',
        metric: 'connectRate',
        headline: 'Improved connect rate',
        evidence: '12.3 % in the last 4 weeks, up from 10.6 %.',
        figures: { before: 0.106, after: 0.123 },
        ownerId: '61400244',
        name: 'Lena Fischer',
      },
    ],
    stalledDeals: [
      {
        dealId: '15000000873',
        dealName: 'Maple Software - Team licenses',
        ownerId: '61400257',
        ownerName: 'Diego Alvarez',
        pipelineId: 'default',
        pipelineLabel: 'Sales Pipeline',
        stageId: 'presentationscheduled',
        stageLabel: 'Presentation scheduled',
        daysInStage: 92.4,
        typicalDays: { p75: 21, p90: 35, source: 'history' },
        age: 'stalled',
      },
    ],
    training: {
      due: [],
      overdue: [
        {
          id: 'a1',
          repOwnerId: '61400270',
          moduleId: 'cold-call-openers',
          moduleTitle: 'Cold-call openers',
          moduleUrl: 'https://learn.example.com/openers',
          moduleVersion: '1',
          source: 'rule',
          reason: 'Connect rate below the team median in 3 of 4 weeks.',
          metric: 'connectRate',
          dueDate: '2026-11-20',
          status: 'open',
          overdue: true,
          taskId: null,
          createdAt: '2026-11-06T10:00:00.000Z',
          completedAt: null,
          ownerName: 'Hannah Kim',
        },
      ],
    },
    moduleEffects: [
      { moduleTag: 'cold-calling', metric: 'connectRate', medianEffect: 0.021, supported: 2, total: 3 },
    ],
    truncated: { members: 0, stalledDeals: 0, due: 0, overdue: 0 },
    generatedAt: '2026-11-25T15:00:00.000Z',
    ...overrides,
  };
}

interface Pending<T, R> {
  request: R;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/** Fetchers whose answers the test releases one by one. */
export function controllablePack(): {
  fetchTeams: FetchPackTeams;
  fetchPack: FetchPack;
  teamCalls: Pending<PackTeam[], string>[];
  packCalls: Pending<WeeklyPack, PackRequest>[];
} {
  const teamCalls: Pending<PackTeam[], string>[] = [];
  const packCalls: Pending<WeeklyPack, PackRequest>[] = [];
  return {
    teamCalls,
    packCalls,
    fetchTeams: (origin) =>
      new Promise((resolve, reject) => {
        teamCalls.push({ request: origin, resolve, reject });
      }),
    fetchPack: (request) =>
      new Promise((resolve, reject) => {
        packCalls.push({ request, resolve, reject });
      }),
  };
}
