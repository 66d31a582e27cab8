import fc from 'fast-check';
import { COUNT_METRICS, METRIC_NAMES } from '@pillars/contracts';
import type { Metrics } from '@pillars/contracts';
import { withRates, zeroCounts } from '../counts.js';
import type { CountMetrics } from '../counts.js';
import { median, teamMedian, teamTotals } from '../teams.js';

const counts = (c: Partial<CountMetrics>): CountMetrics => ({ ...zeroCounts(), ...c });
const metrics = (c: Partial<CountMetrics>): Metrics => withRates(counts(c));

describe('withRates', () => {
  it('carries all 20 metrics in METRICS.md order, rates null on zero denominators', () => {
    const m = withRates(zeroCounts());
    expect(Object.keys(m)).toEqual([...METRIC_NAMES]);
    expect([m.connectRate, m.meetingHeldRate, m.winRate]).toEqual([null, null, null]);
  });

  it('computes unrounded rates', () => {
    const m = metrics({
      dials: 3,
      connects: 1,
      meetingsHeld: 2,
      meetingsNoShow: 1,
      dealsWon: 1,
      dealsLost: 2,
    });
    expect(m.connectRate).toBe(1 / 3);
    expect(m.meetingHeldRate).toBe(2 / 3);
    expect(m.winRate).toBe(1 / 3);
    // Canceled meetings are not in the held-rate denominator.
    expect(metrics({ meetingsHeld: 1, meetingsCanceled: 5 }).meetingHeldRate).toBe(1);
  });
});

describe('teamTotals', () => {
  it('sums counts and recomputes rates from the sums (not averaged)', () => {
    const t = teamTotals([counts({ dials: 10, connects: 1 }), counts({ dials: 2, connects: 2 })]);
    expect([t.dials, t.connects, t.connectRate]).toEqual([12, 3, 0.25]); // the average of rates would be 0.55
    expect(teamTotals([]).dials).toBe(0);
  });
});

describe('teamMedian', () => {
  it('takes the median of counts including zeros, the mean of the middle two for an even count', () => {
    const m = teamMedian([
      metrics({ dials: 0 }),
      metrics({ dials: 10 }),
      metrics({ dials: 3 }),
      metrics({ dials: 4 }),
    ]);
    expect(m.dials).toBe(3.5);
    expect(teamMedian([metrics({ dials: 0 }), metrics({ dials: 0 }), metrics({ dials: 9 })]).dials).toBe(0);
  });

  it('takes rates only over members whose rate is not null; null when none', () => {
    const m = teamMedian([
      metrics({ dials: 4, connects: 1 }), // 0.25
      metrics({}), // null: not counted
      metrics({ dials: 2, connects: 2 }), // 1
    ]);
    expect(m.connectRate).toBe(0.625);
    expect(m.winRate).toBeNull();
    expect(teamMedian([]).dials).toBe(0);
    expect(teamMedian([]).connectRate).toBeNull();
  });

  it('lies between the min and max of the members, and rates stay in [0, 1]', () => {
    const member = fc
      .record({ dials: fc.nat(50), connects: fc.nat(50), dealsWon: fc.nat(5), dealsLost: fc.nat(5) })
      .map((c) => metrics({ ...c, connects: Math.min(c.connects, c.dials) }));
    fc.assert(
      fc.property(fc.array(member, { minLength: 1, maxLength: 12 }), (members) => {
        const m = teamMedian(members);
        for (const name of COUNT_METRICS) {
          const values = members.map((x) => x[name]);
          expect(m[name]).toBeGreaterThanOrEqual(Math.min(...values));
          expect(m[name]).toBeLessThanOrEqual(Math.max(...values));
        }
        for (const rate of [m.connectRate, m.winRate]) {
          if (rate !== null) expect(rate >= 0 && rate <= 1).toBe(true);
        }
      }),
    );
  });

  it('median() matches a sort-based definition', () => {
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
