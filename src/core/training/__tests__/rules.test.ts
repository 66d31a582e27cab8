import type { WeeklyPoint } from '@pillars/contracts';
import { AppError } from '../../errors.js';
import { ruleFiringSchema } from '@pillars/contracts';
import type { TrainingRule } from '@pillars/contracts';
import { TYPICAL, series, steadySeries } from '../../coaching/__tests__/builders.js';
import { demoSeries } from '../../coaching/__tests__/demo-series.js';
import { evaluateRule, evaluateRules, parseTrainingRules } from '../rules.js';
import { DEFAULT_SKILL_MAPPING, skillsForStep } from '../skills.js';

const RULE: TrainingRule = {
  id: 'r1',
  metric: 'connectRate',
  comparator: 'belowTeamMedian',
  weeks: 3,
  outOf: 4,
  moduleTag: 'cold-calling',
};

function team(rep: WeeklyPoint[]): Map<string, WeeklyPoint[]> {
  return new Map([
    ['m1', steadySeries(rep.length, TYPICAL)],
    ['m2', steadySeries(rep.length, TYPICAL)],
    ['m3', steadySeries(rep.length, { ...TYPICAL, connects: 5 })],
    ['rep', rep],
  ]);
}

const low = { ...TYPICAL, dials: 40, connects: 2 };

describe('parseTrainingRules', () => {
  it('accepts a valid rule', () => {
    expect(parseTrainingRules([RULE])).toEqual([RULE]);
  });

  it('refuses an unknown metric, naming it and where it is', () => {
    let error: unknown;
    try {
      parseTrainingRules([RULE, { ...RULE, metric: 'conectRate' }]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.publicMessage).toMatch(
      /^rules\[1\]\.metric: unknown metric "conectRate"; known metrics: dials, /,
    );
  });

  it('refuses weeks above outOf, unknown keys and bad tags', () => {
    expect(() => parseTrainingRules([{ ...RULE, weeks: 5 }])).toThrow(/rules\[0\]\.weeks/);
    expect(() => parseTrainingRules([{ ...RULE, extra: 1 }])).toThrow(AppError);
    expect(() => parseTrainingRules([{ ...RULE, moduleTag: 'Cold Calling' }])).toThrow(/moduleTag/);
  });
});

describe('evaluateRule', () => {
  it('fires when the rep is below the weekly team median in enough weeks, with the reason', () => {
    const firings = evaluateRule(RULE, team(series([TYPICAL, low, low, low])));
    expect(firings).toHaveLength(1);
    ruleFiringSchema.parse(firings[0]);
    expect(firings[0]).toMatchObject({
      ownerId: 'rep',
      ruleId: 'r1',
      moduleTag: 'cold-calling',
      weeksMatched: 3,
      outOf: 4,
    });
    expect(firings[0].reason).toBe(
      'connectRate below the team median in 3 of the last 4 weeks (2026-10-05: 5.0 % vs 10.0 %; 2026-10-12: 5.0 % vs 10.0 %; 2026-10-19: 5.0 % vs 10.0 %).',
    );
  });

  it('does not fire on too few weeks, nor on weeks under the weekly minimum', () => {
    expect(evaluateRule(RULE, team(series([TYPICAL, TYPICAL, low, low])))).toEqual([]);
    const thin = { ...TYPICAL, dials: 10, connects: 0 };
    expect(evaluateRule(RULE, team(series([thin, thin, thin, low])))).toEqual([]);
  });

  it('only looks at the last outOf weeks', () => {
    expect(evaluateRule(RULE, team(series([low, low, low, TYPICAL, TYPICAL, TYPICAL, TYPICAL])))).toEqual([]);
  });

  it('evaluates counts (median includes zeros) and aboveTeamMedian', () => {
    const rule: TrainingRule = {
      metric: 'meetingsNoShow',
      comparator: 'aboveTeamMedian',
      weeks: 2,
      outOf: 2,
      moduleTag: 'discovery',
    };
    const firings = evaluateRules(
      [rule],
      team(
        series([
          { ...TYPICAL, meetingsNoShow: 3 },
          { ...TYPICAL, meetingsNoShow: 4 },
        ]),
      ),
    );
    expect(firings.map((f) => [f.ownerId, f.ruleId])).toEqual([['rep', null]]);
  });

  it('on the demo portal, a cold-calling rule fires for the low-connect rep', () => {
    const demo = demoSeries();
    const lowConnect = demo.ownerWithProfile('low-connect');
    const firings = evaluateRule(RULE, demo.teamOf(lowConnect));
    expect(firings.map((f) => f.ownerId)).toContain(lowConnect);
    expect(firings.find((f) => f.ownerId === lowConnect)?.weeksMatched).toBeGreaterThanOrEqual(3);
  });
});

describe('skills', () => {
  it('maps every funnel step to at least one skill, with known metrics', () => {
    for (const step of ['connect', 'booking', 'held', 'dealCreation', 'win'] as const)
      expect(skillsForStep(step).length).toBeGreaterThan(0);
    expect(skillsForStep('connect')).toEqual(['cold-calling']);
    expect(skillsForStep('held')).toEqual(['discovery']);
    expect(DEFAULT_SKILL_MAPPING.map((m) => m.tag)).toContain('product-knowledge');
  });
});
