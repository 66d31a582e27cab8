import fc from 'fast-check';
import { AppError } from '../../errors.js';
import { ENGAGEMENT_TYPES } from '../../crm.js';
import type { Pipeline } from '../../crm.js';
import { defaultPlaybook } from '../default-playbook.js';
import { parsePlaybook } from '../parse-playbook.js';
import { isPostSalePipeline, stagePosition } from '../pipeline.js';
import { ACTIVITY_TYPES } from '@pillars/contracts';
import type { Criterion, Playbook } from '@pillars/contracts';
import { customPipeline, defaultPipeline, onboardingPipeline } from './helpers.js';

function refusal(value: unknown): string {
  try {
    parsePlaybook(value);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    const err = e as AppError;
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.publicMessage).toBe(err.message);
    return err.message;
  }
  throw new Error('expected parsePlaybook to refuse');
}

/** A deep copy of the default sales playbook, to break one field at a time. */
function sample(): Playbook {
  return structuredClone(defaultPlaybook(defaultPipeline()));
}

function kinds(pb: Playbook, stageId: string): string[] {
  return (pb.stages[stageId]?.criteria ?? []).map((c) => `${c.kind}:${c.level}`);
}

function find(pb: Playbook, id: string): Criterion {
  for (const s of Object.values(pb.stages)) for (const c of s.criteria) if (c.id === id) return c;
  throw new Error(`no criterion ${id}`);
}

describe('contract', () => {
  it('lists the same engagement types as the core', () => {
    expect([...ACTIVITY_TYPES]).toEqual([...ENGAGEMENT_TYPES]);
  });
});

describe('default playbooks', () => {
  it('give every stage of the default pipeline a goal and the issue 3 criteria', () => {
    const pb = defaultPlaybook(defaultPipeline());
    expect(pb.pipelineId).toBe('default');
    expect(Object.keys(pb.stages)).toEqual([
      'appointmentscheduled',
      'qualifiedtobuy',
      'presentationscheduled',
      'decisionmakerboughtin',
      'contractsent',
      'closedwon',
      'closedlost',
    ]);
    expect(find(pb, 'qualifiedtobuy.discovery')).toMatchObject({
      kind: 'activity',
      type: 'meetings',
      days: 30,
      level: 'required',
      where: [{ property: 'hs_meeting_outcome', op: 'eq', value: 'COMPLETED' }],
    });
    expect(find(pb, 'qualifiedtobuy.amount-set')).toMatchObject({
      kind: 'property',
      level: 'required',
      condition: { property: 'amount', op: 'gt', value: 0 },
    });
    expect(find(pb, 'qualifiedtobuy.decision-maker')).toMatchObject({
      kind: 'association',
      level: 'recommended',
    });
    expect(find(pb, 'contractsent.close-date-ahead')).toMatchObject({
      condition: { property: 'closedate', op: 'inFuture' },
      level: 'required',
    });
    expect(find(pb, 'contractsent.contract-sent')).toMatchObject({ kind: 'activity', type: 'tasks' });
    expect(find(pb, 'presentationscheduled.multithreaded-email')).toMatchObject({
      minDistinctContacts: 2,
      days: 14,
    });
    // closedwon shows the handoff checklist; none of it blocks anything.
    expect(pb.stages.closedwon?.criteria.map((c) => c.id)).toContain('closedwon.handoff-note');
    expect(kinds(pb, 'closedwon').every((k) => k.endsWith(':recommended'))).toBe(true);
    expect(kinds(pb, 'closedlost')).toEqual(['property:recommended']);
  });

  it('give a custom pipeline early, middle and late templates by probability', () => {
    const p = customPipeline();
    const pb = defaultPlaybook(p);
    expect(Object.keys(pb.stages)).toEqual([
      '8812002',
      '8812003',
      '8812004',
      '8812005',
      '8812006',
      '8812007',
    ]);
    expect(['8812002', '8812003', '8812004', '8812005'].map((id) => stagePosition(p, id))).toEqual([
      'early',
      'early',
      'middle',
      'late',
    ]);
    expect(pb.stages['8812002']?.goal).toMatch(/qualify/i);
    expect(pb.stages['8812004']?.goal).toMatch(/value/i);
    expect(pb.stages['8812005']?.goal).toMatch(/signature/i);
    expect(pb.stages['8812006']?.criteria.map((c) => c.id)).toContain('8812006.handoff-note');
    expect(pb.stages['8812007']?.criteria.map((c) => c.id)).toEqual(['8812007.lost-reason']);
    expect(isPostSalePipeline(p)).toBe(false);
  });

  it('falls back to stage order when a custom stage has no probability', () => {
    const p = customPipeline();
    for (const s of p.stages) if (s.metadata.isClosed === 'false') delete s.metadata.probability;
    p.label = 'Enterprise';
    // Every open stage without probability, but closed ones keep theirs: still a sales pipeline.
    expect(isPostSalePipeline(p)).toBe(false);
    expect(['8812002', '8812003', '8812004', '8812005'].map((id) => stagePosition(p, id))).toEqual([
      'early',
      'middle',
      'middle',
      'late',
    ]);
  });

  it('give a post-sale pipeline handoff, kickoff and first-value criteria', () => {
    const p = onboardingPipeline();
    expect(isPostSalePipeline(p)).toBe(true);
    const pb = defaultPlaybook(p);
    expect(pb.stages['75211346']?.criteria.map((c) => c.id)).toContain('75211346.handoff-note');
    expect(pb.stages['75211347']?.criteria.map((c) => c.id)).toContain('75211347.kickoff-held');
    expect(pb.stages['75211348']?.criteria.map((c) => c.id)).toContain('75211348.value-review');
    expect(pb.stages['75211349']?.criteria.map((c) => c.id)).toContain('75211349.handoff-note');
  });

  it('detect post-sale pipelines by words or by missing probabilities', () => {
    const byStage = customPipeline();
    byStage.label = 'Delivery';
    (byStage.stages[0] as { label: string }).label = 'Implementation';
    expect(isPostSalePipeline(byStage)).toBe(true);
    const noProbability = customPipeline();
    noProbability.label = 'Delivery';
    for (const s of noProbability.stages) delete s.metadata.probability;
    expect(isPostSalePipeline(noProbability)).toBe(true);
    const customerSuccess = { ...customPipeline(), label: 'Customer Success' };
    expect(isPostSalePipeline(customerSuccess)).toBe(true);
    expect(isPostSalePipeline(defaultPipeline())).toBe(false);
  });

  it('all pass parsePlaybook unchanged', () => {
    for (const p of [defaultPipeline(), customPipeline(), onboardingPipeline()]) {
      const pb = defaultPlaybook(p);
      expect(parsePlaybook(pb)).toEqual(pb);
    }
  });

  it('pass parsePlaybook for any pipeline shape', () => {
    const stageArb = fc.record({
      id: fc.oneof(
        fc.stringMatching(/^[0-9]{1,12}$/),
        fc.constantFrom('appointmentscheduled', 'closedwon', 'x'),
      ),
      label: fc.string({ maxLength: 40 }),
      probability: fc.option(fc.constantFrom('0', '0.1', '0.5', '0.9', '1.0', 'n/a'), { nil: undefined }),
      isClosed: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(stageArb, { selector: (s) => s.id, minLength: 1, maxLength: 12 }),
        fc.string({ maxLength: 30 }),
        (defs, label) => {
          const pipeline: Pipeline = {
            id: '123',
            label,
            displayOrder: 0,
            stages: defs.map((d, i) => ({
              id: d.id,
              label: d.label,
              displayOrder: i,
              metadata: {
                isClosed: String(d.isClosed),
                ...(d.probability === undefined ? {} : { probability: d.probability }),
              },
            })),
          };
          const pb = defaultPlaybook(pipeline);
          expect(parsePlaybook(pb)).toEqual(pb);
          expect(Object.keys(pb.stages)).toHaveLength(defs.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('parsePlaybook', () => {
  it('names the failing field with its problem', () => {
    const bad = sample() as unknown as { stages: Record<string, { criteria: Record<string, unknown>[] }> };
    (bad.stages.presentationscheduled?.criteria[2] as Record<string, unknown>).days = 0;
    expect(refusal(bad)).toBe(
      'stages.presentationscheduled.criteria[2].days: must be a whole number from 1 to 365',
    );
    (bad.stages.presentationscheduled?.criteria[2] as Record<string, unknown>).days = 2.5;
    expect(refusal(bad)).toBe(
      'stages.presentationscheduled.criteria[2].days: must be a whole number from 1 to 365',
    );
  });

  it.each<[string, (pb: Record<string, unknown> & Playbook) => void, string]>([
    [
      'an http resource',
      (pb) => pb.stages.qualifiedtobuy?.resources.push({ title: 'Guide', url: 'http://x.test/a' }),
      'stages.qualifiedtobuy.resources[0].url: must be an https URL',
    ],
    [
      'a javascript: url',
      (pb) => pb.stages.qualifiedtobuy?.resources.push({ title: 'x', url: 'javascript:alert(1)' }),
      'stages.qualifiedtobuy.resources[0].url: must be an https URL',
    ],
    [
      'an empty goal',
      (pb) => {
        (pb.stages.closedlost as { goal: string }).goal = '  ';
      },
      'stages.closedlost.goal: must be 1 to 200 characters',
    ],
    [
      'an unknown field',
      (pb) => {
        (pb.stages.closedlost as unknown as Record<string, unknown>).owner = 'me';
      },
      'stages.closedlost',
    ],
    [
      'an unknown criterion kind',
      (pb) => {
        (pb.stages.closedlost?.criteria[0] as unknown as Record<string, unknown>).kind = 'vibes';
      },
      'stages.closedlost.criteria[0].kind: must have kind property, activity, association or time',
    ],
    [
      'an unknown operator',
      (pb) => {
        (
          pb.stages.closedlost?.criteria[0] as unknown as { condition: Record<string, unknown> }
        ).condition.op = 'like';
      },
      'stages.closedlost.criteria[0].condition.op: must have op one of',
    ],
    [
      'a bad level',
      (pb) => {
        (pb.stages.closedlost?.criteria[0] as unknown as Record<string, unknown>).level = 'optional';
      },
      'stages.closedlost.criteria[0].level: must be required or recommended',
    ],
    [
      'a duplicate criterion id',
      (pb) => {
        (pb.stages.closedlost?.criteria[0] as { id: string }).id = 'closedwon.handoff-note';
      },
      'stages.closedlost.criteria[0].id: must be unique in the playbook',
    ],
    [
      'an SLA over a year',
      (pb) => {
        (pb.stages.contractsent as { slaDays?: number }).slaDays = 400;
      },
      'stages.contractsent.slaDays: must be a whole number from 1 to 365',
    ],
    [
      'an activity type',
      (pb) => {
        (pb.stages.qualifiedtobuy?.criteria[0] as unknown as Record<string, unknown>).type = 'sms';
      },
      'stages.qualifiedtobuy.criteria[0].type: must be one of calls, emails, meetings, notes, tasks',
    ],
    [
      'a long label',
      (pb) => {
        (pb.stages.qualifiedtobuy?.criteria[0] as { label: string }).label = 'x'.repeat(121);
      },
      'stages.qualifiedtobuy.criteria[0].label: must be 1 to 120 characters',
    ],
    [
      'a bad property name',
      (pb) => {
        (
          pb.stages.qualifiedtobuy?.criteria[1] as unknown as { condition: Record<string, unknown> }
        ).condition.property = 'amount; drop';
      },
      'stages.qualifiedtobuy.criteria[1].condition.property: must be a HubSpot property name',
    ],
    [
      'too many criteria',
      (pb) => {
        const s = pb.stages.closedlost as { criteria: Criterion[] };
        s.criteria = Array.from({ length: 21 }, (_, i) => ({ ...(s.criteria[0] as Criterion), id: `c${i}` }));
      },
      'stages.closedlost.criteria: must have at most 20 criteria',
    ],
    [
      'a wrong version',
      (pb) => {
        (pb as Record<string, unknown>).version = 2;
      },
      'version: must be 1',
    ],
  ])('refuses %s', (_name, breakIt, expected) => {
    const pb = sample() as Record<string, unknown> & Playbook;
    breakIt(pb);
    expect(refusal(pb)).toContain(expected);
  });

  it('refuses what is not a playbook at all', () => {
    expect(refusal(null)).toMatch(/^playbook: /);
    expect(refusal({ version: 1, pipelineId: 'default' })).toMatch(/^stages: /);
  });
});
