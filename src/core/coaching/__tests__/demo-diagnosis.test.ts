import { diagnosisSchema } from '@pillars/contracts';
import { diagnose } from '../diagnosis.js';
import { demoSeries } from './demo-series.js';

describe('diagnose: the demo portal profiles (seed 1, anchor 2026-11-25, last 4 of 8 complete weeks)', () => {
  const demo = demoSeries();
  const run = (ownerId: string) => {
    const d = diagnose({ ownerId, rep: demo.owners.get(ownerId) ?? [], team: demo.teamOf(ownerId) });
    diagnosisSchema.parse(d);
    return d;
  };
  const ofProfile = (profile: string) => run(demo.ownerWithProfile(profile));

  it('diagnoses the low-connect rep at the connect step', () => {
    const d = ofProfile('low-connect');
    expect(d.status).toBe('gap');
    expect(d.weakestStep).toBe('connect');
    const s = d.steps[0];
    expect(s.rep).toMatchObject({ numerator: 13, denominator: 252 });
    expect(s.rep.high ?? 1).toBeLessThan(s.teamMedian ?? 0);
    expect(s.weeksBelow).toBe(4);
  });

  it('diagnoses the no-show rep at held meetings', () => {
    const d = ofProfile('no-show');
    expect(d.status).toBe('gap');
    expect(d.weakestStep).toBe('held');
    expect(d.steps[2].rep).toMatchObject({ numerator: 16, denominator: 32 });
  });

  it('finds no false gap for the star', () => {
    const d = ofProfile('star');
    expect(d.status).toBe('no-clear-gap');
    expect(d.steps.some((s) => s.realGap)).toBe(false);
  });

  it('says "not enough data" for the new hire (82 dials in the window, ~131 needed)', () => {
    const d = ofProfile('new-hire');
    expect(d.status).toBe('not-enough-data');
    expect(d.summary).toMatch(/82 dials/);
  });

  it('calls no gap for any steady or staller rep (their gaps are not in these metrics)', () => {
    for (const [id, profile] of Object.entries(demo.fixture.demo.profiles)) {
      if (profile === 'steady' || profile === 'staller')
        expect([id, run(id).status]).toEqual([id, 'no-clear-gap']);
    }
  });
});
