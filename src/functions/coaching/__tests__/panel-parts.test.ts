import { coachingNoteSchema, relationshipSummarySchema, ZERO_METRICS } from '@pillars/contracts';
import type { CatalogueSetting, Diagnosis, Metrics, WeeklyPoint } from '@pillars/contracts';
import type { Owner } from '../../../core/crm.js';
import type { CoachingNote, TrainingAssignment } from '../../../store/coaching-ports.js';
import {
  assignmentEffect,
  authorNameOf,
  buildScorecard,
  suggestModules,
  teamMembersOf,
  toNoteView,
  weeksNeeded,
} from '../coaching-panel.js';
import { relationshipQuery, summarizeRelationship } from '../relationship-summary.js';
import {
  addDays,
  completeWeekStarts,
  dealActivityOf,
  localDateOf,
  unwaivedExceptionCounts,
  workingWeekShare,
} from '../team-series.js';

const TZ = 'America/New_York';
const DAY = 86_400_000;
const NOW = Date.parse('2026-11-25T17:00:00Z'); // Wednesday noon in New York

const m = (over: Partial<Metrics>): Metrics => ({ ...ZERO_METRICS, ...over });
const rec = (id: string, properties: Record<string, string | null>) => ({ id, properties });
const iso = (ms: number) => new Date(ms).toISOString();

describe('team-series dates', () => {
  it('local today, complete weeks before the current one, and the working-week share', () => {
    expect(localDateOf(Date.parse('2026-11-26T03:00:00Z'), TZ)).toBe('2026-11-25');
    expect(completeWeekStarts('2026-11-25', 3, TZ)).toEqual(['2026-11-02', '2026-11-09', '2026-11-16']);
    expect(completeWeekStarts('2026-11-23', 1, TZ)).toEqual(['2026-11-16']);
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    const monday = Date.parse('2026-11-23T05:00:00Z');
    expect(workingWeekShare(monday + 2.5 * DAY, monday)).toBeCloseTo(0.5);
    expect(workingWeekShare(monday + 6 * DAY, monday)).toBe(1);
    expect(workingWeekShare(monday, monday)).toBeGreaterThan(0);
  });
});

describe('summarizeRelationship', () => {
  it('counts touches of the last 30 days by channel, the last touch and the next activity', () => {
    const s = summarizeRelationship(
      {
        calls: [
          rec('1', { hs_timestamp: iso(NOW - 2 * DAY) }),
          rec('2', { hs_timestamp: iso(NOW - 40 * DAY) }),
        ],
        emails: [rec('3', { hs_timestamp: String(NOW - DAY) })],
        meetings: [
          rec('4', { hs_meeting_start_time: iso(NOW - 3 * DAY), hs_meeting_outcome: 'COMPLETED' }),
          rec('5', { hs_meeting_start_time: iso(NOW - 4 * DAY), hs_meeting_outcome: 'NO_SHOW' }),
          rec('6', {
            hs_meeting_start_time: iso(NOW + 5 * DAY),
            hs_meeting_outcome: 'SCHEDULED',
            hs_meeting_title: 'Demo',
          }),
          rec('7', { hs_meeting_start_time: iso(NOW + 1 * DAY), hs_meeting_outcome: 'CANCELED' }),
        ],
        notes: [],
        tasks: [
          rec('8', {
            hs_task_status: 'COMPLETED',
            hs_task_completion_date: iso(NOW - 5 * DAY),
            hs_timestamp: iso(NOW - 9 * DAY),
          }),
          rec('9', {
            hs_task_status: 'NOT_STARTED',
            hs_timestamp: iso(NOW + 2 * DAY),
            hs_task_subject: ' Call back ',
          }),
          rec('10', { hs_task_status: 'NOT_STARTED', hs_timestamp: iso(NOW - 2 * DAY) }),
        ],
      },
      NOW,
    );
    expect(relationshipSummarySchema.parse(s)).toEqual({
      days: 30,
      touches: { calls: 1, emails: 1, meetings: 1, notes: 0, tasks: 1 },
      lastTouch: { channel: 'emails', at: iso(NOW - DAY) },
      nextActivity: { channel: 'tasks', at: iso(NOW + 2 * DAY), title: 'Call back' },
    });
  });

  it('nothing found: zeros and nulls', () => {
    expect(summarizeRelationship({}, NOW)).toEqual({
      days: 30,
      touches: { calls: 0, emails: 0, meetings: 0, notes: 0, tasks: 0 },
      lastTouch: null,
      nextActivity: null,
    });
  });

  it('each search is scoped to the contact and the window', () => {
    const q = relationshipQuery('meetings', '42', 1000);
    expect(q.filterGroups).toHaveLength(2);
    for (const g of q.filterGroups)
      expect(g.filters[0]).toEqual({ propertyName: 'associations.contact', operator: 'EQ', value: '42' });
    expect(relationshipQuery('calls', '42', 1000).filterGroups).toHaveLength(1);
  });
});

const owner = (id: string, teams: [string, boolean][], userId: number | null = null): Owner => ({
  id,
  userId,
  email: `${id}@x.example`,
  firstName: 'First',
  lastName: id,
  archived: false,
  teams: teams.map(([tid, primary]) => ({ id: tid, name: `Team ${tid}`, primary })),
});

describe('panel parts', () => {
  it('team members: active owners of the rep’s primary team, the rep included', () => {
    const rep = owner('1', [
      ['7', true],
      ['8', false],
    ]);
    const all = [
      rep,
      owner('2', [['7', true]]),
      owner('3', [['8', true]]),
      owner('4', [
        ['9', true],
        ['7', false],
      ]),
    ];
    expect(teamMembersOf(rep, all)).toEqual(['1', '2', '4']);
    expect(teamMembersOf(owner('5', []), all)).toEqual(['5']);
  });

  it('scorecard: this week against target and team median, with the 8-week direction', () => {
    const trend: WeeklyPoint[] = [10, 10, 10, 10, 20, 20, 20, 20].map((dials, i) => ({
      weekStart: addDays('2026-09-28', 7 * i),
      metrics: m({ dials }),
    }));
    const rows = buildScorecard({
      current: m({ dials: 30, connects: 3, connectRate: 0.1 }),
      teamCurrent: [
        m({ dials: 30, connectRate: 0.1 }),
        m({ dials: 10, connectRate: 0.2 }),
        m({ dials: 20, connectRate: null }),
      ],
      trendPoints: trend,
      targets: [{ metric: 'dials', perWeek: 60 }],
    });
    expect(rows.find((r) => r.metric === 'dials')).toEqual({
      metric: 'dials',
      value: 30,
      target: 60,
      teamMedian: 20,
      direction: 'up',
    });
    expect(rows.find((r) => r.metric === 'connectRate')).toMatchObject({
      value: 0.1,
      target: null,
      direction: 'unknown',
    });
    expect(rows.find((r) => r.metric === 'connectRate')?.teamMedian).toBeCloseTo(0.15);
  });

  const catalogue: CatalogueSetting = {
    modules: [
      {
        id: 'a',
        title: 'A',
        url: 'https://x.example/a',
        skillTags: ['cold-calling'],
        format: 'video',
        minutes: 5,
        version: '1',
      },
      {
        id: 'b',
        title: 'B',
        url: 'https://x.example/b',
        skillTags: ['cold-calling'],
        format: 'video',
        minutes: 5,
        version: '1',
        retired: true,
      },
      {
        id: 'c',
        title: 'C',
        url: 'https://x.example/c',
        skillTags: ['cold-calling'],
        format: 'video',
        minutes: 5,
        version: '1',
      },
      {
        id: 'd',
        title: 'D',
        url: 'https://x.example/d',
        skillTags: ['closing'],
        format: 'video',
        minutes: 5,
        version: '1',
      },
    ],
  };
  const diagnosis = (status: Diagnosis['status'], weakestStep: Diagnosis['weakestStep']): Diagnosis => ({
    ownerId: '1',
    weeks: [],
    status,
    weakestStep,
    summary: '',
    steps: [],
    volume: [],
    trends: [],
  });

  it('suggested modules: the weakest step’s skills, not retired, not already open', () => {
    const s = suggestModules(diagnosis('gap', 'connect'), catalogue, new Set(['c']));
    expect(s.map((x) => x.moduleId)).toEqual(['a']);
    expect(s[0]?.reason).toMatch(/connect rate.*cold calling/);
    expect(suggestModules(diagnosis('no-clear-gap', null), catalogue, new Set())).toEqual([]);
    expect(suggestModules(diagnosis('not-enough-data', null), catalogue, new Set())).toEqual([]);
  });

  it('notes: editable only for the author; author name from owners, else users', () => {
    const note: CoachingNote = {
      id: 'n1',
      portalId: 1,
      repOwnerId: '1',
      kind: 'commitment',
      body: 'text',
      dueDate: '2026-12-01',
      done: false,
      authorUserId: 900,
      contactId: '5',
      createdAt: new Date(NOW),
      updatedAt: new Date(NOW),
    };
    expect(coachingNoteSchema.parse(toNoteView(note, 900, 'Ana')).editable).toBe(true);
    expect(toNoteView(note, 901, null).editable).toBe(false);
    const users = [
      { id: '901', email: 'u@x.example', superAdmin: false, primaryTeamId: null, secondaryTeamIds: [] },
    ];
    expect(authorNameOf(900, [owner('2', [], 900)], users)).toBe('First 2');
    expect(authorNameOf(901, [], users)).toBe('u@x.example');
    expect(authorNameOf(902, [], users)).toBeNull();
  });
});

describe('training effect of a completed assignment', () => {
  const weekStarts = Array.from({ length: 12 }, (_, i) => addDays('2026-08-31', 7 * i));
  const series = new Map<string, WeeklyPoint[]>([
    ['1', weekStarts.map((w, i) => ({ weekStart: w, metrics: m({ dials: 100, connects: i < 6 ? 5 : 12 }) }))],
    ['2', weekStarts.map((w) => ({ weekStart: w, metrics: m({ dials: 100, connects: 10 }) }))],
    ['3', weekStarts.map((w) => ({ weekStart: w, metrics: m({ dials: 100, connects: 10 }) }))],
  ]);
  const weeks = { series, weekStarts, timeZone: TZ };
  const assignment = (completedAt: string | null): TrainingAssignment => ({
    id: 'a1',
    portalId: 1,
    repOwnerId: '1',
    moduleId: 'cold-call-openers',
    moduleVersion: '1',
    source: 'coach',
    ruleId: null,
    assignedByUserId: 9,
    reason: 'r',
    metric: 'connectRate',
    dueDate: '2026-10-20',
    status: completedAt ? 'completed' : 'open',
    taskId: null,
    taskClaimedAt: null,
    createdAt: new Date('2026-09-01T12:00:00Z'),
    completedAt: completedAt ? new Date(completedAt) : null,
    completedVia: completedAt ? 'card' : null,
  });

  it('measured against the team without the rep when 4 weeks follow the completion week', () => {
    // Completed in the week of 2026-10-05 (index 5): 4 weeks before (1..4), 4 after (6..9).
    const e = assignmentEffect(assignment('2026-10-07T15:00:00Z'), 'cold-calling', weeks, ['1', '2', '3']);
    expect(e?.supported).toBe(true);
    expect(e?.effect).toBeCloseTo(0.07);
    expect(e?.control).toEqual({ before: 0.1, after: 0.1 });
  });

  it('null when not measurable: open, too recent, or nobody to compare with', () => {
    expect(assignmentEffect(assignment(null), 'x', weeks, ['1', '2'])).toBeNull();
    expect(assignmentEffect(assignment('2026-11-11T15:00:00Z'), 'x', weeks, ['1', '2'])).toBeNull();
    expect(assignmentEffect(assignment('2026-10-07T15:00:00Z'), 'x', weeks, ['1'])).toBeNull();
  });

  it('weeks to load cover an older completion, at most 26', () => {
    expect(weeksNeeded([], '2026-11-25', TZ)).toBe(8);
    expect(weeksNeeded([assignment('2026-08-05T15:00:00Z')], '2026-11-25', TZ)).toBe(20);
    expect(weeksNeeded([assignment('2025-01-05T15:00:00Z')], '2026-11-25', TZ)).toBe(26);
  });
});

describe('unwaivedExceptionCounts', () => {
  const window = { startMs: 1000, endMs: 2000 };
  const at = (ms: number, ownerId: string | null) => ({ occurredAt: new Date(ms), ownerId });

  it('counts per member in the window, only for members with deal activity', () => {
    const counts = unwaivedExceptionCounts(
      [at(1500, '1'), at(1600, '1'), at(2500, '2'), at(1200, null)],
      window,
      new Map([
        ['1', 3],
        ['2', 1],
        ['3', 0],
      ]),
    );
    expect([...counts]).toEqual([
      ['1', 2],
      ['2', 0],
      ['3', undefined],
    ]);
  });

  it('undefined for everyone when no attributed exception is in the window (webhooks not live)', () => {
    const counts = unwaivedExceptionCounts([at(1200, null)], window, new Map([['1', 3]]));
    expect(counts.get('1')).toBeUndefined();
  });

  it('deal activity is created + won + lost over the last weeks', () => {
    const series = new Map<string, WeeklyPoint[]>([
      [
        '1',
        [
          { weekStart: '2026-11-02', metrics: m({ dealsCreated: 5 }) },
          { weekStart: '2026-11-09', metrics: m({ dealsCreated: 1, dealsWon: 1, dealsLost: 1 }) },
        ],
      ],
    ]);
    expect(dealActivityOf({ series }, ['1', '2'], 1)).toEqual(
      new Map([
        ['1', 3],
        ['2', 0],
      ]),
    );
  });
});
