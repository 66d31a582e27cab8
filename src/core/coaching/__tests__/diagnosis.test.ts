import fc from 'fast-check';
import type { WeeklyPoint } from '@pillars/contracts';
import type { CountMetrics } from '../../metrics/index.js';
import { diagnosisSchema } from '@pillars/contracts';
import { assessStep, diagnose, dialsToDetect } from '../diagnosis.js';
import { FUNNEL } from '../funnel.js';
import { TYPICAL, series, steadySeries } from './builders.js';

const CONNECT = FUNNEL[0];

/** Five typical teammates (10 % connect rate) plus the rep. */
function teamWith(rep: WeeklyPoint[]): Map<string, WeeklyPoint[]> {
  const team = new Map<string, WeeklyPoint[]>();
  for (let i = 1; i <= 5; i++) team.set(`m${i}`, steadySeries(rep.length, TYPICAL));
  team.set('rep', rep);
  return team;
}

const weekOf = (dials: number, connects: number): Partial<CountMetrics> => ({ ...TYPICAL, dials, connects });

function run(perWeek: Partial<CountMetrics>[]) {
  const rep = series(perWeek);
  const d = diagnose({ ownerId: 'rep', rep, team: teamWith(rep) });
  diagnosisSchema.parse(d);
  return d;
}

describe('diagnose: the Wilson guard', () => {
  it('never calls a gap on three dials, whatever the outcome', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        (dials, connectsRaw, teamRate) => {
          const connects = Math.min(dials, connectsRaw);
          const rep = series([weekOf(dials, connects)]);
          const team = new Map([
            ['rep', rep],
            ['m', series([weekOf(1000, Math.round(1000 * teamRate))])],
            ['n', series([weekOf(1000, Math.round(1000 * teamRate))])],
          ]);
          expect(assessStep(CONNECT, rep, team).realGap).toBe(false);
        },
      ),
    );
  });

  it('says "not enough data" for a rep with three calls a week', () => {
    const d = run([weekOf(3, 0), weekOf(3, 0), weekOf(3, 0), weekOf(3, 0)]);
    expect(d.status).toBe('not-enough-data');
    expect(d.weakestStep).toBeNull();
    expect(d.summary).toMatch(/12 dials/);
  });

  it('needs more dials to detect a halved rate when the team rate is lower', () => {
    const atTen = dialsToDetect(0.1, 0.5) ?? 0;
    const atFive = dialsToDetect(0.05, 0.5) ?? 0;
    expect(atTen).toBeGreaterThan(100);
    expect(atTen).toBeLessThan(160);
    expect(atFive).toBeGreaterThan(atTen);
    expect(dialsToDetect(null, 0.5)).toBeNull();
  });
});

describe('diagnose: persistence', () => {
  it('one disastrous week is a real gap overall but not a persistent one', () => {
    const d = run([weekOf(40, 4), weekOf(200, 0), weekOf(40, 4), weekOf(40, 4)]);
    const connect = d.steps.find((s) => s.step === 'connect');
    expect(connect?.realGap).toBe(true);
    expect(connect?.weeksBelow).toBe(1);
    expect(d.status).toBe('no-clear-gap');
  });

  it('two weeks below the team make it persistent', () => {
    const d = run([weekOf(40, 4), weekOf(120, 0), weekOf(120, 0), weekOf(40, 4)]);
    expect(d.status).toBe('gap');
    expect(d.weakestStep).toBe('connect');
    expect(d.summary).toMatch(/connect rate/);
    expect(d.summary).toMatch(/2 of 4 weeks/);
  });

  it('weeks under the weekly minimum denominator do not count towards persistence', () => {
    const d = run([weekOf(19, 0), weekOf(19, 0), weekOf(19, 0), weekOf(150, 2)]);
    const connect = d.steps.find((s) => s.step === 'connect');
    expect(connect?.realGap).toBe(true);
    expect(connect?.weeksJudged).toBe(1);
    expect(d.status).toBe('no-clear-gap');
  });

  it('a rep at the team rate has no gap', () => {
    expect(
      run([TYPICAL, TYPICAL, TYPICAL, TYPICAL].map((c) => ({ ...c, dials: 60, connects: 6 }))).status,
    ).toBe('no-clear-gap');
  });

  it('picks the largest relative shortfall among real, persistent gaps', () => {
    // Connect 7 % (30 % short) and held 40 % (50 % short of 80 %): held is the weakest.
    const bad = {
      ...TYPICAL,
      dials: 200,
      connects: 14,
      meetingsBooked: 14,
      meetingsHeld: 4,
      meetingsNoShow: 6,
    };
    const d = run([bad, bad, bad, bad]);
    expect(d.steps.filter((s) => s.realGap && s.persistent).map((s) => s.step)).toEqual(['connect', 'held']);
    expect(d.weakestStep).toBe('held');
  });
});

describe('diagnose: volume, pace and trends', () => {
  it('checks targets with pace of the current week', () => {
    const rep = series([weekOf(30, 3), weekOf(45, 4), weekOf(50, 5), weekOf(40, 4)]);
    const d = diagnose({
      ownerId: 'rep',
      rep,
      team: teamWith(rep),
      targets: [{ metric: 'dials', perWeek: 40 }],
      currentWeek: {
        weekStart: '2026-10-26',
        metrics: series([weekOf(25, 2)])[0].metrics,
        elapsedShare: 0.5,
      },
    });
    expect(d.volume).toEqual([
      {
        metric: 'dials',
        targetPerWeek: 40,
        averagePerWeek: 41.25,
        weeksHit: 3,
        weeks: 4,
        pace: { weekStart: '2026-10-26', soFar: 25, projected: 50, onPace: true },
      },
    ]);
  });

  it('reports an 8-week slope and first-half against second-half change, rates pooled', () => {
    const perWeek = [30, 32, 34, 36, 38, 40, 42, 44].map((dials, i) => weekOf(dials, i < 4 ? 3 : 6));
    const rep = series(perWeek);
    const d = diagnose({ ownerId: 'rep', rep, team: teamWith(rep) });
    expect(d.weeks).toHaveLength(4);
    const dials = d.trends.find((t) => t.metric === 'dials');
    expect(dials?.slopePerWeek).toBeCloseTo(2, 10);
    expect(dials?.firstHalf).toBe(33);
    expect(dials?.secondHalf).toBe(41);
    expect(dials?.direction).toBe('up');
    const rate = d.trends.find((t) => t.metric === 'connectRate');
    expect(rate?.firstHalf).toBeCloseTo(12 / 132, 12);
    expect(rate?.secondHalf).toBeCloseTo(24 / 164, 12);
    expect(d.trends.find((t) => t.metric === 'winRate')?.direction).toBe('flat');
  });
});

describe('diagnose: invariants', () => {
  const weekArb = fc.record({
    dials: fc.integer({ min: 0, max: 120 }),
    connects: fc.integer({ min: 0, max: 20 }),
    meetingsBooked: fc.integer({ min: 0, max: 10 }),
    meetingsHeld: fc.integer({ min: 0, max: 10 }),
    meetingsNoShow: fc.integer({ min: 0, max: 5 }),
    dealsCreated: fc.integer({ min: 0, max: 5 }),
    dealsWon: fc.integer({ min: 0, max: 3 }),
    dealsLost: fc.integer({ min: 0, max: 3 }),
  });
  const seriesArb = fc
    .array(weekArb, { minLength: 8, maxLength: 8 })
    .map((weeks) => series(weeks.map((w) => ({ ...w, connects: Math.min(w.connects, w.dials) }))));

  it('always fits the contract, and names a weakest step only for a real, persistent gap', () => {
    fc.assert(
      fc.property(seriesArb, fc.array(seriesArb, { minLength: 1, maxLength: 6 }), (rep, others) => {
        const team = new Map<string, WeeklyPoint[]>(others.map((s, i) => [`m${i}`, s]));
        team.set('rep', rep);
        const d = diagnosisSchema.parse(diagnose({ ownerId: 'rep', rep, team }));
        if (d.status === 'gap') {
          const s = d.steps.find((x) => x.step === d.weakestStep);
          expect(s?.realGap && s.persistent).toBe(true);
          expect(s?.weeksBelow).toBeGreaterThanOrEqual(2);
        } else {
          expect(d.weakestStep).toBeNull();
        }
      }),
      { numRuns: 200 },
    );
  });
});
