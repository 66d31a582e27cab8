import fc from 'fast-check';
import type { CrmRecord } from '../../crm.js';
import { matchesCondition } from '../conditions.js';
import type { Criterion, Playbook, PropertyCondition, Waiver } from '@pillars/contracts';
import type { DealEngagement } from '../criteria.js';
import { evaluateDeal } from '../evaluate.js';
import { NOW, daysAgo, defaultPipeline, eng, meetingDone, openDeal, rec } from './helpers.js';

type Engagements = Parameters<typeof evaluateDeal>[0]['engagements'];

/** Evaluate one criterion on a deal in qualifiedtobuy and return its result. */
function check(
  criterion: Criterion,
  opts: { deal?: CrmRecord; engagements?: Engagements; contacts?: CrmRecord[]; waivers?: Waiver[] } = {},
) {
  const playbook: Playbook = {
    version: 1,
    pipelineId: 'default',
    stages: {
      qualifiedtobuy: {
        goal: 'Qualify',
        guidance: '',
        criteria: [criterion],
        resources: [],
        trainingModuleIds: [],
      },
    },
  };
  const g = evaluateDeal({
    deal: opts.deal ?? openDeal('qualifiedtobuy', 5),
    pipeline: defaultPipeline(),
    playbook,
    engagements: opts.engagements ?? {},
    contacts: opts.contacts ?? [],
    waivers: opts.waivers ?? [],
    now: NOW,
  });
  const result = g.criteria[0];
  if (!result) throw new Error('no criterion result');
  return result;
}

const base = { label: 'x', hint: 'Do the thing.', level: 'required' as const };
const waiver = (criterionId: string): Waiver => ({
  criterionId,
  reason: 'Renewal: no discovery needed',
  userId: '42',
  at: daysAgo(1),
});

describe('property criteria', () => {
  const amount: Criterion = {
    ...base,
    id: 'amt',
    kind: 'property',
    condition: { property: 'amount', op: 'gt', value: 0 },
  };

  it('is met with the property value as evidence', () => {
    const r = check(amount, { deal: openDeal('qualifiedtobuy', 5, { amount: '25000' }) });
    expect(r.status).toBe('met');
    expect(r.evidence.property).toEqual({ name: 'amount', value: '25000' });
    expect(r.evidence.summary).toBe('amount is 25000');
  });

  it('is unmet when missing, blank or zero', () => {
    for (const value of [undefined, '', '0', 'abc']) {
      const r = check(amount, {
        deal: openDeal('qualifiedtobuy', 5, value === undefined ? {} : { amount: value }),
      });
      expect(r.status).toBe('unmet');
    }
    expect(check(amount).evidence.summary).toBe('amount is not set');
  });

  it('is waived when unmet and waived, keeping the waiver', () => {
    const r = check(amount, { waivers: [waiver('amt')] });
    expect(r.status).toBe('waived');
    expect(r.waiver).toEqual({ reason: 'Renewal: no discovery needed', userId: '42', at: daysAgo(1) });
    expect(r.evidence.property).toEqual({ name: 'amount', value: null });
  });

  it('stays met when met, even with a waiver', () => {
    const r = check(amount, {
      deal: openDeal('qualifiedtobuy', 5, { amount: '1' }),
      waivers: [waiver('amt')],
    });
    expect(r.status).toBe('met');
  });

  it('reads dates for inFuture and inPast', () => {
    const future: PropertyCondition = { property: 'closedate', op: 'inFuture' };
    const past: PropertyCondition = { property: 'closedate', op: 'inPast' };
    const nowMs = NOW.getTime();
    expect(matchesCondition(rec({ closedate: daysAgo(-3) }), future, nowMs)).toBe(true);
    expect(matchesCondition(rec({ closedate: daysAgo(3) }), future, nowMs)).toBe(false);
    expect(matchesCondition(rec({ closedate: daysAgo(3) }), past, nowMs)).toBe(true);
    expect(matchesCondition(rec({ closedate: String(nowMs + 1000) }), future, nowMs)).toBe(true);
    expect(matchesCondition(rec({ closedate: 'soon' }), future, nowMs)).toBe(false);
    expect(matchesCondition(rec({}), future, nowMs)).toBe(false);
  });

  it('matches enumerations, multiple checkboxes and text', () => {
    const nowMs = NOW.getTime();
    const roles = rec({ hs_buying_role: 'CHAMPION;DECISION_MAKER', jobtitle: 'SVP Sales' });
    expect(
      matchesCondition(roles, { property: 'hs_buying_role', op: 'eq', value: 'DECISION_MAKER' }, nowMs),
    ).toBe(true);
    expect(
      matchesCondition(
        roles,
        { property: 'hs_buying_role', op: 'in', values: ['BUDGET_HOLDER', 'CHAMPION'] },
        nowMs,
      ),
    ).toBe(true);
    expect(
      matchesCondition(roles, { property: 'hs_buying_role', op: 'notIn', values: ['CHAMPION'] }, nowMs),
    ).toBe(false);
    expect(matchesCondition(roles, { property: 'hs_buying_role', op: 'neq', value: 'END_USER' }, nowMs)).toBe(
      true,
    );
    expect(matchesCondition(roles, { property: 'jobtitle', op: 'contains', value: 'vp' }, nowMs)).toBe(true);
    expect(matchesCondition(roles, { property: 'jobtitle', op: 'set' }, nowMs)).toBe(true);
    expect(matchesCondition(roles, { property: 'email', op: 'notSet' }, nowMs)).toBe(true);
    expect(matchesCondition(rec({}), { property: 'dealtype', op: 'neq', value: 'newbusiness' }, nowMs)).toBe(
      true,
    );
  });

  it('compares numbers as numbers', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: -1e6, max: 1e6 }),
        (x, v) => {
          const r = rec({ amount: String(x) });
          const nowMs = NOW.getTime();
          expect(matchesCondition(r, { property: 'amount', op: 'gt', value: v }, nowMs)).toBe(x > v);
          expect(matchesCondition(r, { property: 'amount', op: 'gte', value: v }, nowMs)).toBe(x >= v);
          expect(matchesCondition(r, { property: 'amount', op: 'lt', value: v }, nowMs)).toBe(x < v);
          expect(matchesCondition(r, { property: 'amount', op: 'lte', value: v }, nowMs)).toBe(x <= v);
        },
      ),
    );
  });
});

describe('activity criteria', () => {
  const meetings: Criterion = {
    ...base,
    id: 'mtg',
    kind: 'activity',
    type: 'meetings',
    minCount: 1,
    days: 30,
    where: [{ property: 'hs_meeting_outcome', op: 'eq', value: 'COMPLETED' }],
  };
  const ana = rec({ firstname: 'Ana', lastname: 'Ruiz' }, 'c1');
  const bo = rec({ email: 'bo@acme.test' }, 'c2');

  it('is met by a completed meeting in the window, with when and with whom', () => {
    const r = check(meetings, {
      engagements: { meetings: [meetingDone(40, ['c1'], 'm-old'), meetingDone(3, ['c1'], 'm1')] },
      contacts: [ana],
    });
    expect(r.status).toBe('met');
    expect(r.evidence.engagements).toEqual([
      { id: 'm1', type: 'meetings', at: daysAgo(3), contactIds: ['c1'] },
    ]);
    expect(r.evidence.contacts).toEqual([{ id: 'c1', name: 'Ana Ruiz' }]);
    expect(r.evidence.summary).toBe(
      `1 of 1 meetings in the last 30 days, last on ${daysAgo(3).slice(0, 10)} with Ana Ruiz`,
    );
    expect([r.evidence.found, r.evidence.needed]).toEqual([1, 1]);
  });

  it('is unmet by no-shows, old meetings and meetings still to come', () => {
    const r = check(meetings, {
      engagements: {
        meetings: [
          eng({ hs_timestamp: daysAgo(2), hs_meeting_outcome: 'NO_SHOW' }),
          meetingDone(31),
          eng({ hs_timestamp: daysAgo(-2), hs_meeting_outcome: 'SCHEDULED' }),
        ],
      },
    });
    expect(r.status).toBe('unmet');
    expect(r.evidence.engagements).toEqual([]);
    expect(r.evidence.found).toBe(0);
  });

  it('is waived when unmet and waived', () => {
    expect(check(meetings, { waivers: [waiver('mtg')] }).status).toBe('waived');
  });

  it('uses the latest waiver of a criterion', () => {
    const older = { ...waiver('mtg'), reason: 'old', at: daysAgo(9) };
    expect(check(meetings, { waivers: [waiver('mtg'), older] }).waiver?.reason).toBe(
      'Renewal: no discovery needed',
    );
  });

  it('filters tasks on status and subject, dated by completion', () => {
    const proposal: Criterion = {
      ...base,
      id: 'prop',
      kind: 'activity',
      type: 'tasks',
      minCount: 1,
      days: 30,
      where: [
        { property: 'hs_task_status', op: 'eq', value: 'COMPLETED' },
        { property: 'hs_task_subject', op: 'contains', value: 'proposal' },
      ],
    };
    const done = eng(
      {
        hs_timestamp: daysAgo(60),
        hs_task_completion_date: daysAgo(4),
        hs_task_status: 'COMPLETED',
        hs_task_subject: 'Send Proposal v2',
      },
      [],
      't1',
    );
    const open = eng({
      hs_timestamp: daysAgo(1),
      hs_task_status: 'NOT_STARTED',
      hs_task_subject: 'Proposal',
    });
    const other = eng({
      hs_timestamp: daysAgo(1),
      hs_task_status: 'COMPLETED',
      hs_task_subject: 'Call back',
    });
    const met = check(proposal, { engagements: { tasks: [done, open, other] } });
    expect(met.status).toBe('met');
    expect(met.evidence.engagements.map((e) => [e.id, e.at])).toEqual([['t1', daysAgo(4)]]);
    expect(check(proposal, { engagements: { tasks: [open, other] } }).status).toBe('unmet');
  });

  it('counts distinct contacts when asked', () => {
    const twoContacts: Criterion = {
      ...base,
      id: 'em',
      kind: 'activity',
      type: 'emails',
      minCount: 2,
      days: 14,
      minDistinctContacts: 2,
    };
    const email = (days: number, who: string[]) => eng({ hs_timestamp: daysAgo(days) }, who);
    const one = check(twoContacts, {
      engagements: { emails: [email(1, ['c1']), email(2, ['c1'])] },
      contacts: [ana, bo],
    });
    expect(one.status).toBe('unmet');
    expect(one.evidence.summary).toContain('1 of 2 contacts reached');
    expect([one.evidence.found, one.evidence.needed]).toEqual([1, 2]);
    const two = check(twoContacts, {
      engagements: { emails: [email(1, ['c1']), email(20, ['c2']), email(3, ['c2'])] },
      contacts: [ana, bo],
    });
    expect(two.status).toBe('met');
    expect(two.evidence.contacts).toEqual([
      { id: 'c1', name: 'Ana Ruiz' },
      { id: 'c2', name: 'bo@acme.test' },
    ]);
    expect(two.evidence.engagements).toHaveLength(2);
  });

  it('is met exactly when enough engagements fall in the window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -10, max: 60 }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 45 }),
        (ages, minCount, days) => {
          const c: Criterion = { ...base, id: 'n', kind: 'activity', type: 'calls', minCount, days };
          const calls: DealEngagement[] = ages.map((a) => eng({ hs_timestamp: daysAgo(a) }));
          const inWindow = ages.filter((a) => a >= 0 && a <= days).length;
          const r = check(c, { engagements: { calls } });
          expect(r.evidence.found).toBe(inWindow);
          expect(r.status).toBe(inWindow >= minCount ? 'met' : 'unmet');
        },
      ),
    );
  });
});

describe('association criteria', () => {
  const dm: Criterion = {
    ...base,
    id: 'dm',
    kind: 'association',
    minCount: 1,
    where: [{ property: 'hs_buying_role', op: 'in', values: ['DECISION_MAKER'] }],
  };

  it('is met by a matching contact, named in the evidence', () => {
    const r = check(dm, {
      contacts: [
        rec({ firstname: 'Kim', hs_buying_role: 'DECISION_MAKER' }, 'c9'),
        rec({ firstname: 'Lee' }, 'c8'),
      ],
    });
    expect(r.status).toBe('met');
    expect(r.evidence.contacts).toEqual([{ id: 'c9', name: 'Kim' }]);
    expect(r.evidence.summary).toBe('1 of 1 matching contacts: Kim');
  });

  it('is unmet without one, and waived when waived', () => {
    const contacts = [rec({ firstname: 'Lee', hs_buying_role: 'END_USER' })];
    expect(check(dm, { contacts }).status).toBe('unmet');
    expect(check(dm, { contacts, waivers: [waiver('dm')] }).status).toBe('waived');
  });

  it('counts contacts with a title condition', () => {
    const vp: Criterion = {
      ...base,
      id: 'vp',
      kind: 'association',
      minCount: 2,
      where: [{ property: 'jobtitle', op: 'contains', value: 'VP' }],
    };
    const contacts = [
      rec({ jobtitle: 'VP Finance' }),
      rec({ jobtitle: 'Analyst' }),
      rec({ jobtitle: 'SVP Ops' }),
    ];
    expect(check(vp, { contacts }).status).toBe('met');
    expect(check(vp, { contacts: contacts.slice(0, 2) }).evidence).toMatchObject({ found: 1, needed: 2 });
  });
});

describe('time criteria', () => {
  const limit: Criterion = { ...base, id: 't', kind: 'time', days: 14 };

  it('is met within the limit and unmet past it, with the days as evidence', () => {
    const ok = check(limit, { deal: openDeal('qualifiedtobuy', 10) });
    expect(ok.status).toBe('met');
    expect(ok.evidence.summary).toBe('10 of at most 14 days in stage');
    const late = check(limit, { deal: openDeal('qualifiedtobuy', 20) });
    expect(late.status).toBe('unmet');
    expect([late.evidence.found, late.evidence.needed]).toEqual([20, 14]);
  });

  it('is waived when waived, and unmet when the entry date is unknown', () => {
    expect(check(limit, { deal: openDeal('qualifiedtobuy', 20), waivers: [waiver('t')] }).status).toBe(
      'waived',
    );
    const unknown = check(limit, { deal: rec({ dealstage: 'qualifiedtobuy' }) });
    expect(unknown.status).toBe('unmet');
    expect(unknown.evidence.summary).toBe('Date entered stage unknown');
  });

  it('falls back to hs_v2_date_entered_current_stage', () => {
    const deal = rec({ dealstage: 'qualifiedtobuy', hs_v2_date_entered_current_stage: daysAgo(3) });
    expect(check(limit, { deal }).status).toBe('met');
  });
});
