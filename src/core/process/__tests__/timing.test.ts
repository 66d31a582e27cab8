import fc from 'fast-check';
import type { CrmRecord } from '../../crm.js';
import type { Playbook } from '@pillars/contracts';
import { DEFAULT_STAGE_DAYS, classifyStageAge, computeStageTiming, percentile } from '../timing.js';
import { NOW, customPipeline, daysAgo, defaultPipeline, rec } from './helpers.js';

/** A won deal that spent `days` in presentationscheduled and closed `closedDaysAgo` days ago. */
function wonDeal(days: number, closedDaysAgo = 10, extra: Record<string, string> = {}): CrmRecord {
  const exited = closedDaysAgo + 5;
  return rec({
    pipeline: 'default',
    dealstage: 'closedwon',
    hs_is_closed: 'true',
    hs_is_closed_won: 'true',
    closedate: daysAgo(closedDaysAgo),
    hs_v2_date_entered_presentationscheduled: daysAgo(exited + days),
    hs_v2_date_exited_presentationscheduled: daysAgo(exited),
    ...extra,
  });
}

describe('percentile', () => {
  it('matches numpy’s default (linear) on known samples', () => {
    // numpy.percentile([1, 2, 3, 4], [50, 75, 90]) -> [2.5, 3.25, 3.7]
    expect(percentile([1, 2, 3, 4], 0.5)).toBeCloseTo(2.5, 12);
    expect(percentile([1, 2, 3, 4], 0.75)).toBeCloseTo(3.25, 12);
    expect(percentile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12);
    // numpy.percentile(range(1, 11), [50, 75, 90]) -> [5.5, 7.75, 9.1]
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect([0.5, 0.75, 0.9].map((p) => percentile(ten, p))).toEqual([5.5, 7.75, expect.closeTo(9.1, 12)]);
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('is monotone in p and bounded by the sample', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (xs) => {
          const s = [...xs].sort((a, b) => a - b);
          const [a, b, c] = [0.5, 0.75, 0.9].map((p) => percentile(s, p)) as [number, number, number];
          expect(a).toBeLessThanOrEqual(b);
          expect(b).toBeLessThanOrEqual(c);
          expect(a).toBeGreaterThanOrEqual(s[0] as number);
          expect(c).toBeLessThanOrEqual(s[s.length - 1] as number);
        },
      ),
    );
  });
});

describe('computeStageTiming', () => {
  it('uses history from 10 won deals, exited minus entered', () => {
    const deals = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((d) => wonDeal(d));
    const t = computeStageTiming({ deals, pipeline: defaultPipeline(), now: NOW });
    expect(t.stages.presentationscheduled).toEqual({
      stageId: 'presentationscheduled',
      sampleSize: 10,
      p50: 5.5,
      p75: 7.8,
      p90: 9.1,
      source: 'history',
    });
    // Closed stages get no timing; open ones without samples fall back.
    expect(Object.keys(t.stages)).toEqual([
      'appointmentscheduled',
      'qualifiedtobuy',
      'presentationscheduled',
      'decisionmakerboughtin',
      'contractsent',
    ]);
    expect(t).toMatchObject({ pipelineId: 'default', windowDays: 365, computedAt: NOW.toISOString() });
  });

  it('ignores lost, open, other-pipeline and old deals, and bad dates', () => {
    const noise = [
      wonDeal(50, 10, { hs_is_closed_won: 'false', dealstage: 'closedlost' }),
      wonDeal(50, 400),
      wonDeal(50, 10, { pipeline: 'other' }),
      wonDeal(50, 10, { hs_v2_date_exited_presentationscheduled: 'garbage' }),
      wonDeal(50, 10, { hs_v2_date_exited_presentationscheduled: daysAgo(500) }),
    ];
    const deals = [...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => wonDeal(d)), ...noise];
    const t = computeStageTiming({ deals, pipeline: defaultPipeline(), now: NOW });
    expect(t.stages.presentationscheduled).toMatchObject({ sampleSize: 9, source: 'default' });
  });

  it('falls back under 10 samples to the playbook SLA, then to the default by position', () => {
    const deals = [1, 2, 3].map((d) => wonDeal(d));
    const playbook: Playbook = {
      version: 1,
      pipelineId: 'default',
      stages: {
        presentationscheduled: {
          goal: 'x',
          guidance: '',
          criteria: [],
          resources: [],
          trainingModuleIds: [],
          slaDays: 20,
        },
      },
    };
    const t = computeStageTiming({ deals, pipeline: defaultPipeline(), now: NOW, playbook });
    expect(t.stages.presentationscheduled).toEqual({
      stageId: 'presentationscheduled',
      sampleSize: 3,
      p50: 10,
      p75: 20,
      p90: 30,
      source: 'playbook',
    });
    const [p50, p75, p90] = DEFAULT_STAGE_DAYS.early;
    expect(t.stages.appointmentscheduled).toEqual({
      stageId: 'appointmentscheduled',
      sampleSize: 0,
      p50,
      p75,
      p90,
      source: 'default',
    });
    expect(t.stages.contractsent).toMatchObject({ p75: DEFAULT_STAGE_DAYS.late[1], source: 'default' });
  });

  it('defaults a custom pipeline by position', () => {
    const t = computeStageTiming({ deals: [], pipeline: customPipeline(), now: NOW });
    expect(Object.values(t.stages).map((s) => s.p90)).toEqual([21, 21, 35, 30]);
  });
});

describe('classifyStageAge', () => {
  const timing = { p75: 14, p90: 21 };
  it('is ok to p75, slow past p75, stalled past p90', () => {
    expect(classifyStageAge(0, timing)).toBe('ok');
    expect(classifyStageAge(14, timing)).toBe('ok');
    expect(classifyStageAge(14.1, timing)).toBe('slow');
    expect(classifyStageAge(21, timing)).toBe('slow');
    expect(classifyStageAge(21.1, timing)).toBe('stalled');
  });
});
