import { dealGuidanceSchema } from '@pillars/contracts';
import type { StageTiming } from '@pillars/contracts';
import { defaultPlaybook } from '../default-playbook.js';
import { evaluateDeal } from '../evaluate.js';
import type { EvaluateDealInput } from '../evaluate.js';
import {
  NOW,
  daysAgo,
  defaultPipeline,
  eng,
  meetingDone,
  onboardingPipeline,
  openDeal,
  rec,
} from './helpers.js';

const pipeline = defaultPipeline();
const playbook = defaultPlaybook(pipeline);
const timing: StageTiming = {
  pipelineId: 'default',
  computedAt: NOW.toISOString(),
  windowDays: 365,
  stages: {
    presentationscheduled: {
      stageId: 'presentationscheduled',
      sampleSize: 40,
      p50: 10,
      p75: 16,
      p90: 22,
      source: 'history',
    },
  },
};
const ana = rec({ firstname: 'Ana', lastname: 'Ruiz', hs_buying_role: 'DECISION_MAKER' }, 'c1');
const bo = rec({ firstname: 'Bo', lastname: 'Lin' }, 'c2');
const futureMeeting = eng({ hs_timestamp: daysAgo(-3), hs_meeting_outcome: 'SCHEDULED' });

function evaluate(overrides: Partial<EvaluateDealInput>) {
  const g = evaluateDeal({
    deal: openDeal('presentationscheduled', 5, { closedate: daysAgo(-20), amount: '12000' }),
    pipeline,
    playbook,
    engagements: {},
    contacts: [],
    waivers: [],
    now: NOW,
    stageTiming: timing,
    ...overrides,
  });
  // What the card receives must match the contract.
  expect(dealGuidanceSchema.parse(g)).toEqual(g);
  return g;
}

const codes = (g: ReturnType<typeof evaluate>) => g.risks.map((r) => r.code);

describe('evaluateDeal: stage', () => {
  it('places the deal in its pipeline with days in stage and age', () => {
    const g = evaluate({ deal: openDeal('presentationscheduled', 18.25) });
    expect(g.stage).toMatchObject({
      id: 'presentationscheduled',
      label: 'Presentation scheduled',
      index: 2,
      count: 7,
      probability: 0.6,
      outcome: 'open',
      enteredAt: daysAgo(18.25),
      daysInStage: 18.3,
      age: 'slow',
    });
    expect(g.goal).toMatch(/buying group/);
    expect(g.criteria.map((c) => c.id)).toEqual(
      playbook.stages.presentationscheduled?.criteria.map((c) => c.id),
    );
  });

  it('refuses a playbook of another pipeline', () => {
    expect(() => evaluate({ playbook: defaultPlaybook(onboardingPipeline()) })).toThrow(
      'playbook is for pipeline 75211345, not default',
    );
  });

  it('gives no age without timing, and says so for an unknown stage', () => {
    expect(evaluate({ stageTiming: undefined }).stage.age).toBeNull();
    const g = evaluate({ deal: openDeal('gone', 3) });
    expect(g.stage).toMatchObject({ id: 'gone', index: -1, outcome: 'open' });
    expect(g.criteria).toEqual([]);
    expect(g.goal).toBeNull();
  });
});

describe('evaluateDeal: next step', () => {
  it('is the first unmet required criterion’s hint', () => {
    const g = evaluate({});
    expect(g.nextStep).toEqual({
      kind: 'criterion',
      text: 'Hold the presentation and log it as Completed.',
      criterionId: 'presentationscheduled.demo-held',
      nextStageId: null,
    });
  });

  it('skips waived and recommended criteria', () => {
    const g = evaluate({
      engagements: { meetings: [meetingDone(2, ['c1'])] },
      waivers: [
        {
          criterionId: 'presentationscheduled.two-stakeholders',
          reason: 'Owner-led firm',
          userId: '7',
          at: daysAgo(1),
        },
      ],
    });
    expect(g.criteria.find((c) => c.id === 'presentationscheduled.multithreaded-email')?.status).toBe(
      'unmet',
    );
    expect(g.nextStep).toEqual({
      kind: 'advance',
      text: 'Ready to advance to Decision maker bought-in.',
      criterionId: null,
      nextStageId: 'decisionmakerboughtin',
    });
  });

  it('advances the last open stage to closed won, never to closed lost', () => {
    const deal = openDeal('contractsent', 2, { closedate: daysAgo(-10), amount: '9000' });
    const tasks = [
      eng({ hs_timestamp: daysAgo(2), hs_task_status: 'COMPLETED', hs_task_subject: 'Send contract' }),
    ];
    const g = evaluate({ deal, engagements: { tasks } });
    expect(g.nextStep).toMatchObject({
      kind: 'advance',
      text: 'Ready to advance to Closed won.',
      nextStageId: 'closedwon',
    });
  });

  it('says a closed deal is closed, with the handoff checklist when won', () => {
    const won = evaluate({
      deal: rec({ dealstage: 'closedwon', hs_is_closed: 'true', hs_is_closed_won: 'true' }),
    });
    expect(won.stage.outcome).toBe('won');
    expect(won.nextStep.kind).toBe('closed');
    expect(won.nextStep.text).toMatch(/^This deal is closed won\. Handoff: Write a note starting "Handoff"/);
    expect(won.risks).toEqual([]);
    const lost = evaluate({ deal: rec({ dealstage: 'closedlost', hs_is_closed: 'true' }) });
    expect(lost.nextStep).toEqual({
      kind: 'closed',
      text: 'This deal is closed lost.',
      criterionId: null,
      nextStageId: null,
    });
  });

  it('reports a completed handoff checklist', () => {
    const note = eng({ hs_timestamp: daysAgo(1), hs_note_body: 'Handoff: goals, people, risks' });
    const intro = eng({
      hs_timestamp: daysAgo(1),
      hs_task_status: 'COMPLETED',
      hs_task_subject: 'Intro to AM',
    });
    const contacts = [rec({ email: 'a@x.test' }), rec({ email: 'b@x.test' })];
    const deal = rec({ dealstage: 'closedwon', amount: '100' });
    const g = evaluate({ deal, engagements: { notes: [note], tasks: [intro] }, contacts });
    expect(g.criteria.every((c) => c.status === 'met')).toBe(true);
    expect(g.nextStep.text).toBe('This deal is closed won; the handoff checklist is complete.');
  });

  it('works on a post-sale pipeline', () => {
    const onboarding = onboardingPipeline();
    const deal = rec({
      dealstage: '75211347',
      pipeline: onboarding.id,
      hs_v2_date_entered_75211347: daysAgo(4),
    });
    const g = evaluateDeal({
      deal,
      pipeline: onboarding,
      playbook: defaultPlaybook(onboarding),
      engagements: { meetings: [meetingDone(1)] },
      contacts: [],
      waivers: [],
      now: NOW,
    });
    expect(g.stage).toMatchObject({ label: 'Kickoff', index: 1, count: 4 });
    expect(g.nextStep).toMatchObject({ kind: 'advance', text: 'Ready to advance to First value.' });
  });
});

describe('evaluateDeal: risks', () => {
  it('flags no next activity, a single contact late, a past close date and a stall', () => {
    const deal = openDeal('presentationscheduled', 30, { closedate: daysAgo(2) });
    const g = evaluate({ deal, contacts: [ana] });
    expect(codes(g)).toEqual(['stalledInStage', 'closeDatePast', 'noNextActivity', 'singleThreaded']);
    expect(g.risks[0]).toEqual({
      code: 'stalledInStage',
      severity: 'critical',
      message: "Stalled in Presentation scheduled (30 days): longer than 90% of the team's won deals.",
    });
  });

  it('flags nothing on a healthy deal', () => {
    const g = evaluate({ engagements: { meetings: [futureMeeting] }, contacts: [ana, bo] });
    expect(g.risks).toEqual([]);
  });

  it('counts an open task due later as a next activity, not a done or canceled one', () => {
    const open = eng({ hs_timestamp: daysAgo(-1), hs_task_status: 'NOT_STARTED' });
    const done = eng({ hs_timestamp: daysAgo(-1), hs_task_status: 'COMPLETED' });
    const canceled = eng({ hs_timestamp: daysAgo(-1), hs_meeting_outcome: 'CANCELED' });
    const overdue = eng({ hs_timestamp: daysAgo(1), hs_task_status: 'NOT_STARTED' });
    const contacts = [ana, bo];
    expect(codes(evaluate({ engagements: { tasks: [open] }, contacts }))).toEqual([]);
    expect(
      codes(evaluate({ engagements: { tasks: [done, overdue], meetings: [canceled] }, contacts })),
    ).toEqual(['noNextActivity']);
  });

  it("reads HubSpot's calculated next activity date and contact count when nothing else was read", () => {
    const base = { closedate: daysAgo(-20), amount: '12000' };
    const scheduled = openDeal('presentationscheduled', 5, {
      ...base,
      notes_next_activity_date: daysAgo(-2),
      num_associated_contacts: '2',
    });
    expect(codes(evaluate({ deal: scheduled, contactsRead: false }))).toEqual([]);
    const past = openDeal('presentationscheduled', 5, {
      ...base,
      notes_next_activity_date: daysAgo(2),
      num_associated_contacts: '1',
    });
    expect(codes(evaluate({ deal: past, contactsRead: false }))).toEqual([
      'noNextActivity',
      'singleThreaded',
    ]);
    // Unknown count (property missing): no single-threaded claim either way.
    const unknown = openDeal('presentationscheduled', 5, { ...base, notes_next_activity_date: daysAgo(-2) });
    expect(codes(evaluate({ deal: unknown, contactsRead: false }))).toEqual([]);
    // Contacts read: they decide, whatever the property says.
    expect(codes(evaluate({ deal: scheduled, contacts: [ana] }))).toEqual(['singleThreaded']);
  });

  it('flags slow between p75 and p90, and a single contact only from probability 0.6', () => {
    const slow = evaluate({
      deal: openDeal('presentationscheduled', 17),
      engagements: { meetings: [futureMeeting] },
      contacts: [ana, bo],
    });
    expect(slow.risks).toEqual([expect.objectContaining({ code: 'slowInStage', severity: 'warning' })]);
    const early = evaluate({
      deal: openDeal('qualifiedtobuy', 1),
      engagements: { meetings: [futureMeeting] },
      contacts: [ana],
    });
    expect(codes(early)).toEqual([]);
    const none = evaluate({ engagements: { meetings: [futureMeeting] }, contacts: [] });
    expect(none.risks.map((r) => r.message)).toEqual([
      'No contact associated in a late stage: add the buying group.',
    ]);
  });
});
