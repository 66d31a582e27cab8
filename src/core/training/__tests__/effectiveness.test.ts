import type { CountMetrics } from '../../metrics/index.js';
import { series } from '../../coaching/__tests__/builders.js';
import { trainingEffectSchema } from '@pillars/contracts';
import { rollUpModuleEffects, trainingEffect } from '../effectiveness.js';
import type { EffectInput } from '../effectiveness.js';

// Weeks 2026-09-28 .. 2026-11-23; the assignment is completed in the week of 2026-10-26 (left out).
const COMPLETED = '2026-10-26';
const around = (before: Partial<CountMetrics>, during: Partial<CountMetrics>, after: Partial<CountMetrics>) =>
  series([before, before, before, before, during, after, after, after, after]);

function effect(input: Partial<EffectInput> & Pick<EffectInput, 'rep' | 'control'>) {
  const e = trainingEffect({
    ownerId: 'rep',
    moduleTag: 'cold-calling',
    metric: 'connectRate',
    completedWeek: COMPLETED,
    ...input,
  });
  trainingEffectSchema.parse(e);
  return e;
}

describe('trainingEffect (difference in differences)', () => {
  it('measures a known rate effect: rep 10 % -> 15 %, team 10 % -> 11 %, effect +4 points', () => {
    const e = effect({
      rep: around({ dials: 200, connects: 20 }, { dials: 0 }, { dials: 200, connects: 30 }),
      control: around({ dials: 800, connects: 80 }, { dials: 0 }, { dials: 800, connects: 88 }),
    });
    expect(e.supported).toBe(true);
    expect(e.effect).toBeCloseTo(0.04, 12);
    expect(e.samples).toEqual({ repBefore: 800, repAfter: 800, controlBefore: 3200, controlAfter: 3200 });
    // variance = .1*.9/800 + .15*.85/800 + .1*.9/3200 + .11*.89/3200
    const half = 1.959963984540054 * Math.sqrt(0.09 / 800 + 0.1275 / 800 + 0.09 / 3200 + 0.0979 / 3200);
    expect(e.interval?.low).toBeCloseTo(0.04 - half, 12);
    expect(e.interval?.high).toBeCloseTo(0.04 + half, 12);
    expect(e.reason).toMatch(/excludes 0/);
  });

  it('measures a known count effect on a per-rep scale: +10 dials a week against the team +4', () => {
    const e = effect({
      metric: 'dials',
      rep: around({ dials: 40 }, { dials: 0 }, { dials: 50 }),
      control: around({ dials: 160 }, { dials: 0 }, { dials: 176 }),
      controlMembers: 4,
    });
    expect(e).toMatchObject({
      supported: true,
      effect: 6,
      rep: { before: 40, after: 50 },
      control: { before: 40, after: 44 },
    });
  });

  it('claims nothing when the rep sample is small', () => {
    const e = effect({
      rep: around({ dials: 10, connects: 1 }, { dials: 0 }, { dials: 10, connects: 3 }),
      control: around({ dials: 800, connects: 80 }, { dials: 0 }, { dials: 800, connects: 80 }),
    });
    expect(e).toMatchObject({ supported: false, effect: null, interval: null });
    expect(e.reason).toMatch(/at least 80 in the denominator/);
    expect(e.rep.after).toBeCloseTo(0.3, 12);
  });

  it('claims nothing without full weeks on both sides', () => {
    const rep = around({ dials: 200, connects: 20 }, { dials: 0 }, { dials: 200, connects: 30 }).slice(0, 7);
    const e = effect({
      rep,
      control: around({ dials: 800, connects: 80 }, {}, { dials: 800, connects: 88 }),
    });
    expect(e.supported).toBe(false);
    expect(e.reason).toMatch(/4 full weeks/);
  });
});

describe('rollUpModuleEffects', () => {
  it('takes the median over supported assignments only, with counts', () => {
    const base = {
      rep: around({ dials: 200, connects: 20 }, {}, { dials: 200, connects: 30 }),
      control: around({ dials: 800, connects: 80 }, {}, { dials: 800, connects: 88 }),
    };
    const a = effect(base); // +0.04
    const b = effect({
      ...base,
      rep: around({ dials: 200, connects: 20 }, {}, { dials: 200, connects: 26 }),
    }); // +0.02
    const c = effect({ ...base, rep: around({ dials: 5, connects: 0 }, {}, { dials: 5, connects: 5 }) }); // unsupported
    const [roll] = rollUpModuleEffects([a, b, c]);
    expect(roll).toMatchObject({ moduleTag: 'cold-calling', metric: 'connectRate', supported: 2, total: 3 });
    expect(roll.medianEffect).toBeCloseTo(0.03, 12);
    expect(rollUpModuleEffects([c])[0].medianEffect).toBeNull();
  });
});
