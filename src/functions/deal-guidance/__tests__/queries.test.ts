import type { Criterion, StagePlaybook } from '@pillars/contracts';
import type { Pipeline } from '../../../core/crm.js';
import { defaultPlaybook } from '../../../core/process/index.js';
import { missingProperties } from '../deal-guidance.js';
import {
  CONTACT_BASE_PROPERTIES,
  contactQuery,
  dealProperties,
  engagementPlans,
  stageNeedsContacts,
  stageTimingQuery,
  typesNeedingContactLinks,
} from '../queries.js';

const DAY_MS = 86_400_000;
const NOW = Date.parse('2026-11-28T12:00:00Z');

const pipeline: Pipeline = {
  id: 'default',
  label: 'Sales Pipeline',
  displayOrder: 0,
  stages: [
    { id: 'a', label: 'A', displayOrder: 0, metadata: { probability: '0.2', isClosed: 'false' } },
    { id: 'b', label: 'B', displayOrder: 1, metadata: { probability: '0.6', isClosed: 'false' } },
    { id: 'won', label: 'Won', displayOrder: 2, metadata: { probability: '1.0', isClosed: 'true' } },
  ],
};

function stage(criteria: Criterion[]): StagePlaybook {
  return { goal: 'g', guidance: '', criteria, resources: [], trainingModuleIds: [] };
}

const base = { label: 'l', hint: 'h', level: 'required' as const };
const emails2: Criterion = {
  ...base,
  id: 'e',
  kind: 'activity',
  type: 'emails',
  minCount: 2,
  days: 14,
  minDistinctContacts: 2,
  where: [{ property: 'hs_email_direction', op: 'eq', value: 'EMAIL' }],
};
const meetings30: Criterion = {
  ...base,
  id: 'm30',
  kind: 'activity',
  type: 'meetings',
  minCount: 1,
  days: 30,
  where: [{ property: 'hs_meeting_outcome', op: 'eq', value: 'COMPLETED' }],
};
const meetings60: Criterion = { ...meetings30, id: 'm60', days: 60, where: [] };
const vp: Criterion = {
  ...base,
  id: 'vp',
  kind: 'association',
  minCount: 1,
  where: [{ property: 'seniority_level', op: 'eq', value: 'VP' }],
};
const custom: Criterion = {
  ...base,
  id: 'p',
  kind: 'property',
  condition: { property: 'security_review', op: 'set' },
};

describe('dealProperties', () => {
  test('asks for the base fields, every pipeline stage date and the property criteria of every playbook', () => {
    const playbook = defaultPlaybook(pipeline);
    const withCustom = {
      ...playbook,
      stages: { ...playbook.stages, b: stage([custom]) },
    };
    const props = dealProperties([pipeline], [withCustom]);
    expect(props).toEqual(expect.arrayContaining(['dealstage', 'pipeline', 'closedate', 'hs_is_closed_won']));
    for (const s of pipeline.stages) {
      expect(props).toContain(`hs_v2_date_entered_${s.id}`);
      expect(props).toContain(`hs_v2_date_exited_${s.id}`);
    }
    expect(props).toContain('security_review');
    expect(new Set(props).size).toBe(props.length);
  });
});

describe('contactQuery', () => {
  test('selects the deal’s contacts with the base and criterion properties', () => {
    const playbook = defaultPlaybook(pipeline);
    const q = contactQuery('42', [
      { ...playbook, stages: { ...playbook.stages, b: stage([vp, meetings30]) } },
    ]);
    expect(q.filterGroups).toEqual([
      { filters: [{ propertyName: 'associations.deal', operator: 'EQ', value: '42' }] },
    ]);
    expect(q.properties).toEqual([...CONTACT_BASE_PROPERTIES, 'seniority_level']);
  });
});

describe('engagementPlans', () => {
  test('one search per type, scoped to the deal, from the longest criterion window, future included', () => {
    const plans = engagementPlans('42', stage([emails2, meetings30, meetings60]), NOW);
    // Only the criteria's types: the risks read the deal's calculated properties instead.
    expect(plans.map((p) => p.type)).toEqual(['emails', 'meetings']);
    const [emails, meetings] = plans;
    expect(emails?.sinceMs).toBe(NOW - 14 * DAY_MS);
    expect(emails?.query.filterGroups).toEqual([
      {
        filters: [
          { propertyName: 'associations.deal', operator: 'EQ', value: '42' },
          { propertyName: 'hs_timestamp', operator: 'GTE', value: String(NOW - 14 * DAY_MS) },
        ],
      },
    ]);
    expect(emails?.query.properties).toEqual(['hs_timestamp', 'hs_email_direction']);
    // The longest meeting window wins; the start time also places a meeting in it.
    expect(meetings?.sinceMs).toBe(NOW - 60 * DAY_MS);
    expect(meetings?.query.filterGroups.map((g) => g.filters[1]?.propertyName)).toEqual([
      'hs_timestamp',
      'hs_meeting_start_time',
    ]);
    expect(meetings?.query.properties).toEqual([
      'hs_timestamp',
      'hs_meeting_start_time',
      'hs_meeting_outcome',
    ]);
    for (const p of plans)
      for (const g of p.query.filterGroups)
        expect(g.filters[0]).toEqual({ propertyName: 'associations.deal', operator: 'EQ', value: '42' });
  });

  test('no engagement is read for the risks, and none without activity criteria', () => {
    expect(engagementPlans('42', stage([emails2]), NOW).map((p) => p.type)).toEqual(['emails']);
    expect(engagementPlans('42', undefined, NOW)).toEqual([]);
  });

  test('a task completed in the window but due before it is also selected', () => {
    const done: Criterion = { ...meetings30, id: 't', type: 'tasks', where: [] };
    const [tasks] = engagementPlans('42', stage([done]), NOW).filter((p) => p.type === 'tasks');
    expect(tasks?.query.filterGroups.map((g) => g.filters[1]?.propertyName)).toEqual([
      'hs_timestamp',
      'hs_task_completion_date',
    ]);
  });
});

test('contacts are read only when the stage has association or distinct-contact criteria', () => {
  expect(stageNeedsContacts(stage([emails2]))).toBe(true);
  expect(stageNeedsContacts(stage([meetings30]))).toBe(false);
  expect(stageNeedsContacts(stage([meetings30, vp]))).toBe(true);
  expect(stageNeedsContacts(undefined)).toBe(false);
});

test('contact links are read only for types whose criterion counts distinct contacts', () => {
  expect(typesNeedingContactLinks(stage([emails2, meetings30]))).toEqual(['emails']);
  expect(typesNeedingContactLinks(stage([meetings30, vp]))).toEqual([]);
});

test('stageTimingQuery: won deals of the pipeline closed in the window, with the stage dates', () => {
  const q = stageTimingQuery(pipeline, NOW, 365);
  expect(q.filterGroups).toEqual([
    {
      filters: [
        { propertyName: 'pipeline', operator: 'EQ', value: 'default' },
        { propertyName: 'hs_is_closed_won', operator: 'EQ', value: 'true' },
        { propertyName: 'closedate', operator: 'GTE', value: String(NOW - 365 * DAY_MS) },
        { propertyName: 'closedate', operator: 'LTE', value: String(NOW) },
      ],
    },
  ]);
  expect(q.properties).toContain('hs_v2_date_exited_b');
});

describe('missingProperties', () => {
  const deal = { id: '1', properties: { amount: null, dealstage: 'b' } };
  test('a property HubSpot left out of its answer is missing; one returned as null is only empty', () => {
    const records = { deal, contacts: [], engagements: {} };
    expect(missingProperties(custom, records)).toEqual(['security_review']);
    const amount: Criterion = { ...custom, condition: { property: 'amount', op: 'gt', value: 0 } };
    expect(missingProperties(amount, records)).toEqual([]);
  });
  test('on contacts and engagements only when records came back without it', () => {
    expect(missingProperties(vp, { deal, contacts: [], engagements: {} })).toEqual([]);
    expect(
      missingProperties(vp, {
        deal,
        contacts: [{ id: 'c', properties: { firstname: 'A' } }],
        engagements: {},
      }),
    ).toEqual(['seniority_level']);
    expect(
      missingProperties(emails2, {
        deal,
        contacts: [],
        engagements: { emails: [{ id: 'e', properties: { hs_email_direction: 'EMAIL' } }] },
      }),
    ).toEqual([]);
  });
});
