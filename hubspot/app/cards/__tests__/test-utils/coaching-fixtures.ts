/**
 * Fixtures for the coaching card tests, typed against the contract: a coach's full panel of a rep
 * (Ben Ortiz, team East) whose booking step is the diagnosed gap, the rep's own view, a rep without
 * data, and the summary-only and no-owner views. Each test states only what it changes. Nothing here
 * mocks a module: the card takes `api` as a prop.
 */
import type {
  CoachingNoteView,
  CoachingPanel,
  Diagnosis,
  FullPanel,
  PanelAssignment,
  RelationshipSummary,
  SuggestedModule,
  SummaryPanel,
  TrainingAssignmentView,
} from '@pillars/contracts';
import type {
  AssignTrainingRequest,
  AssignTrainingResult,
  CoachingApi,
  CompleteTrainingRequest,
  CreateNoteRequest,
  DeleteNoteRequest,
  PanelRequest,
  UpdateNoteRequest,
} from '../../coaching-api';
import type { CoachingCardContext } from '../../CoachingPanelCard';

export const BACKEND = 'https://api.pillars.example.com';
export const CONTACT_ID = '5150';
export const REP_OWNER_ID = '301';
export const REP_NAME = 'Ben Ortiz';
/** A fixed "today" (a Saturday) so due-date checks do not depend on the clock. */
export const TODAY = '2026-11-28';

export const WEEKS = [
  '2026-10-05',
  '2026-10-12',
  '2026-10-19',
  '2026-10-26',
  '2026-11-02',
  '2026-11-09',
  '2026-11-16',
  '2026-11-23',
];

export function makeRelationship(overrides: Partial<RelationshipSummary> = {}): RelationshipSummary {
  return {
    days: 30,
    touches: { calls: 4, emails: 9, meetings: 2, notes: 1, tasks: 3 },
    lastTouch: { channel: 'emails', at: '2026-11-26T15:30:00.000Z' },
    nextActivity: { channel: 'meetings', at: '2026-12-02T14:00:00.000Z', title: 'Pricing review' },
    ...overrides,
  };
}

export function makeDiagnosis(overrides: Partial<Diagnosis> = {}): Diagnosis {
  return {
    ownerId: REP_OWNER_ID,
    weeks: WEEKS,
    status: 'gap',
    weakestStep: 'booking',
    summary:
      'Ben connects as often as the team but books fewer meetings from those calls: 12% against a team median of 21%, below the team in 6 of 8 weeks.',
    steps: [
      {
        step: 'connect',
        rep: { numerator: 96, denominator: 410, rate: 96 / 410, low: 0.19, high: 0.28 },
        teamMedian: 0.22,
        realGap: false,
        weeksBelow: 3,
        weeksJudged: 8,
        persistent: false,
        relativeGap: 96 / 410 / 0.22 - 1,
      },
      {
        step: 'booking',
        rep: { numerator: 12, denominator: 96, rate: 0.125, low: 0.07, high: 0.2 },
        teamMedian: 0.21,
        realGap: true,
        weeksBelow: 6,
        weeksJudged: 8,
        persistent: true,
        relativeGap: 0.125 / 0.21 - 1,
      },
      {
        step: 'win',
        rep: { numerator: 0, denominator: 0, rate: null, low: null, high: null },
        teamMedian: 0.3,
        realGap: false,
        weeksBelow: 0,
        weeksJudged: 0,
        persistent: false,
        relativeGap: null,
      },
    ],
    volume: [],
    trends: [],
    ...overrides,
  };
}

export function makeNote(id: string, overrides: Partial<CoachingNoteView> = {}): CoachingNoteView {
  return {
    id,
    repOwnerId: REP_OWNER_ID,
    kind: 'note',
    body: `Note ${id}`,
    dueDate: null,
    done: null,
    authorUserId: 9001,
    authorName: 'Ana Diaz',
    contactId: CONTACT_ID,
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    editable: true,
    ...overrides,
  };
}

export function makeAssignment(
  id: string,
  overrides: Partial<TrainingAssignmentView> = {},
): TrainingAssignmentView {
  return {
    id,
    repOwnerId: REP_OWNER_ID,
    moduleId: `module-${id}`,
    moduleTitle: `Module ${id}`,
    moduleUrl: `https://learn.example.com/${id}`,
    moduleVersion: '1',
    source: 'coach',
    reason: 'Assigned by Ana Diaz.',
    metric: null,
    dueDate: '2026-12-12',
    status: 'open',
    overdue: false,
    taskId: null,
    createdAt: '2026-11-28T09:00:00.000Z',
    completedAt: null,
    ...overrides,
  };
}

export function makePanelAssignment(id: string, overrides: Partial<PanelAssignment> = {}): PanelAssignment {
  const { effect = null, ...rest } = overrides;
  return { ...makeAssignment(id, rest), effect };
}

export const NOTES: CoachingNoteView[] = [
  makeNote('n1', {
    body: 'Good discovery call with Acme: you let them talk.',
    createdAt: '2026-11-18T09:00:00.000Z',
    updatedAt: '2026-11-18T09:00:00.000Z',
  }),
  makeNote('n2', {
    kind: 'commitment',
    body: 'Ask for the meeting on every connected call this week.',
    dueDate: '2026-12-04',
    done: false,
    createdAt: '2026-11-25T09:00:00.000Z',
    updatedAt: '2026-11-25T09:00:00.000Z',
  }),
  makeNote('n3', {
    kind: 'praise',
    body: 'Great turnaround on the Globex renewal.',
    authorUserId: 9050,
    authorName: 'Chris Park',
    editable: false,
    createdAt: '2026-11-10T09:00:00.000Z',
    updatedAt: '2026-11-11T09:00:00.000Z',
  }),
];

export const ASSIGNED: PanelAssignment[] = [
  makePanelAssignment('a1', {
    moduleId: 'booking-objections',
    moduleTitle: 'Handling "send me an email"',
    source: 'rule',
    reason: 'Booking rate below the team median in 6 of the last 8 weeks.',
    metric: 'bookingRate',
    dueDate: '2026-11-20',
    overdue: true,
  }),
  makePanelAssignment('a2', {
    moduleId: 'discovery-basics',
    moduleTitle: 'Discovery basics',
    reason: 'Assigned by Ana Diaz.',
    metric: 'meetingHeldRate',
    dueDate: '2026-10-01',
    status: 'completed',
    completedAt: '2026-09-28T12:00:00.000Z',
    effect: {
      ownerId: REP_OWNER_ID,
      moduleTag: 'discovery',
      metric: 'meetingHeldRate',
      supported: true,
      reason: 'Enough meetings on both sides of the completion date.',
      rep: { before: 0.62, after: 0.78 },
      control: { before: 0.7, after: 0.72 },
      samples: { repBefore: 40, repAfter: 45, controlBefore: 400, controlAfter: 410 },
      effect: 0.14,
      interval: { low: 0.03, high: 0.25 },
    },
  }),
  makePanelAssignment('a3', {
    moduleId: 'cold-call-openers',
    moduleTitle: 'Cold call openers',
    metric: 'connectRate',
    dueDate: '2026-11-01',
    status: 'completed',
    completedAt: '2026-10-30T12:00:00.000Z',
    effect: {
      ownerId: REP_OWNER_ID,
      moduleTag: 'openers',
      metric: 'connectRate',
      supported: false,
      reason: 'Only 2 weeks of calls since completion; at least 4 are needed.',
      rep: { before: 0.2, after: 0.3 },
      control: { before: 0.22, after: 0.22 },
      samples: { repBefore: 200, repAfter: 30, controlBefore: 2000, controlAfter: 300 },
      effect: null,
      interval: null,
    },
  }),
];

export const SUGGESTED: SuggestedModule[] = [
  {
    moduleId: 'booking-the-next-step',
    title: 'Booking the next step',
    url: 'https://learn.example.com/booking-the-next-step',
    format: 'video',
    minutes: 12,
    skillTag: 'booking',
    reason: 'Targets the booking step, where Ben is furthest below the team.',
  },
  {
    moduleId: 'booking-roleplay',
    title: 'Booking role-play',
    url: 'https://learn.example.com/booking-roleplay',
    format: 'roleplay',
    minutes: 30,
    skillTag: 'booking',
    reason: 'Practice asking for the meeting.',
  },
];

export function makeFullPanel(overrides: Partial<FullPanel> = {}): FullPanel {
  return {
    view: 'full',
    access: 'coach',
    contact: { id: CONTACT_ID, name: 'Dana Lee' },
    relationship: makeRelationship(),
    rep: { ownerId: REP_OWNER_ID, name: REP_NAME, teams: [{ id: '7', name: 'East' }] },
    weekStart: '2026-11-23',
    hasData: true,
    scorecard: [
      { metric: 'dials', value: 48, target: 60, teamMedian: 55, direction: 'down' },
      { metric: 'connects', value: 12, target: null, teamMedian: 11.5, direction: 'flat' },
      { metric: 'connectRate', value: 0.25, target: null, teamMedian: 0.2, direction: 'up' },
      { metric: 'talkTimeMs', value: 5_400_000, target: null, teamMedian: 4_500_000, direction: 'up' },
      { metric: 'meetingsBooked', value: 1, target: 4, teamMedian: 3, direction: 'unknown' },
      { metric: 'winRate', value: null, target: null, teamMedian: 0.3, direction: 'unknown' },
    ],
    diagnosis: makeDiagnosis(),
    trend: {
      weeks: WEEKS,
      series: [
        { metric: 'connectRate', values: [0.2, 0.22, 0.25, 0.21, 0.24, 0.23, 0.26, 0.25] },
        { metric: 'dials', values: [50, 52, 61, 47, 55, 58, 49, 48] },
        { metric: 'connects', values: [10, 11, 15, 10, 13, 13, 12, 12] },
        { metric: 'meetingsBooked', values: [2, 1, 2, null, 1, 2, 1, 1] },
      ],
    },
    praise: [
      {
        kind: 'most-improved',
        metric: 'connectRate',
        headline: 'Connect rate up to 25%',
        evidence: 'From 20% in the first four weeks to 25% in the last four, above the team median of 20%.',
        figures: { before: 0.2, after: 0.25, teamMedian: 0.2 },
      },
    ],
    notes: NOTES,
    training: { assigned: ASSIGNED, suggested: SUGGESTED },
    permissions: { writeNotes: true, assignTraining: true, completeTraining: true },
    generatedAt: '2026-11-28T09:00:00.000Z',
    ...overrides,
  };
}

/** The rep's own view: the backend decides what they may do. */
export function makeSelfPanel(overrides: Partial<FullPanel> = {}): FullPanel {
  return makeFullPanel({
    access: 'self',
    notes: NOTES.map((n) => ({ ...n, editable: false })),
    permissions: { writeNotes: false, assignTraining: false, completeTraining: true },
    ...overrides,
  });
}

/** A rep with no activity in the trend window. */
export function makeNoDataPanel(overrides: Partial<FullPanel> = {}): FullPanel {
  return makeFullPanel({
    hasData: false,
    scorecard: [
      { metric: 'dials', value: 0, target: 60, teamMedian: 55, direction: 'unknown' },
      { metric: 'connects', value: 0, target: null, teamMedian: 11.5, direction: 'unknown' },
    ],
    diagnosis: makeDiagnosis({
      status: 'not-enough-data',
      weakestStep: null,
      summary: 'Not enough activity to diagnose.',
      steps: [],
    }),
    trend: { weeks: WEEKS, series: [{ metric: 'dials', values: WEEKS.map(() => 0) }] },
    praise: [],
    notes: [],
    training: { assigned: [], suggested: [] },
    ...overrides,
  });
}

export function makeSummaryPanel(view: SummaryPanel['view'] = 'summary-only'): SummaryPanel {
  return {
    view,
    contact: { id: CONTACT_ID, name: 'Dana Lee' },
    relationship: makeRelationship(),
    generatedAt: '2026-11-28T09:00:00.000Z',
  };
}

/** HubSpot's context for a contact record tab, with the profile variable the card needs. */
export function makeCoachingContext(
  overrides: { variables?: CoachingCardContext['variables']; objectId?: number } = {},
): CoachingCardContext {
  return {
    user: {
      id: 9001,
      email: 'ana@example.com',
      emails: ['ana@example.com'],
      firstName: 'Ana',
      lastName: 'Diaz',
      roles: [],
      teams: [{ id: 7, name: 'East', teammates: [9002] }],
      locale: 'en-us',
      permissions: [],
    },
    crm: { objectId: overrides.objectId ?? Number(CONTACT_ID), objectTypeId: '0-1' },
    variables: 'variables' in overrides ? overrides.variables : { BACKEND_ORIGIN: BACKEND },
    portal: { timezone: 'America/New_York' },
  };
}

export interface Pending<Req, Res> {
  request: Req;
  resolve: (value: Res) => void;
  reject: (error: unknown) => void;
}

/**
 * A CoachingApi whose panel requests answer `panel` (or wait, with `holdPanel`) and whose actions
 * wait until the test resolves or rejects them, one call at a time.
 */
export function controllableApi(panel?: CoachingPanel) {
  const panels: Pending<PanelRequest, CoachingPanel>[] = [];
  const creates: Pending<CreateNoteRequest, CoachingNoteView>[] = [];
  const updates: Pending<UpdateNoteRequest, CoachingNoteView>[] = [];
  const deletes: Pending<DeleteNoteRequest, void>[] = [];
  const assigns: Pending<AssignTrainingRequest, AssignTrainingResult>[] = [];
  const completes: Pending<CompleteTrainingRequest, TrainingAssignmentView>[] = [];
  const api: CoachingApi = {
    fetchPanel: (request) =>
      panel === undefined
        ? new Promise((resolve, reject) => panels.push({ request, resolve, reject }))
        : (panels.push({ request, resolve: () => undefined, reject: () => undefined }),
          Promise.resolve(panel)),
    createNote: (request) => new Promise((resolve, reject) => creates.push({ request, resolve, reject })),
    updateNote: (request) => new Promise((resolve, reject) => updates.push({ request, resolve, reject })),
    deleteNote: (request) => new Promise((resolve, reject) => deletes.push({ request, resolve, reject })),
    assignTraining: (request) => new Promise((resolve, reject) => assigns.push({ request, resolve, reject })),
    completeTraining: (request) =>
      new Promise((resolve, reject) => completes.push({ request, resolve, reject })),
  };
  return { api, panels, creates, updates, deletes, assigns, completes };
}
