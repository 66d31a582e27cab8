import fc from 'fast-check';
import { leastSquaresSlope, medianOf, ratioInterval, wilsonInterval } from '../stats.js';

describe('wilsonInterval', () => {
  it('matches textbook values', () => {
    const zeroOfThree = wilsonInterval(0, 3);
    expect(zeroOfThree.low).toBe(0);
    expect(zeroOfThree.high).toBeCloseTo(0.5615, 4);
    const i = wilsonInterval(13, 252);
    expect(i.low).toBeCloseTo(0.0305, 3);
    expect(i.high).toBeCloseTo(0.0862, 3);
    expect(wilsonInterval(0, 0)).toEqual({ low: null, high: null });
  });

  it('brackets the observed rate inside [0, 1] and narrows as the sample grows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, p) => {
        const k = Math.round(p * n);
        const a = wilsonInterval(k, n);
        const b = wilsonInterval(k * 4, n * 4);
        const rate = k / n;
        expect(a.low).toBeGreaterThanOrEqual(0);
        expect(a.high).toBeLessThanOrEqual(1);
        expect(a.low ?? 0).toBeLessThanOrEqual(rate + 1e-12);
        expect(a.high ?? 1).toBeGreaterThanOrEqual(rate - 1e-12);
        expect((b.high ?? 0) - (b.low ?? 0)).toBeLessThan((a.high ?? 0) - (a.low ?? 0) + 1e-12);
      }),
    );
  });
});

describe('ratioInterval', () => {
  it('brackets the ratio, allows ratios above 1, and is wide on small counts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 500 }), (a, b) => {
        const i = ratioInterval(a, b);
        expect(i.low ?? 0).toBeLessThanOrEqual(a / b + 1e-12);
        expect(i.high ?? 0).toBeGreaterThanOrEqual(a / b - 1e-12);
      }),
    );
    expect(ratioInterval(37, 16).low).toBeGreaterThan(1);
    expect(ratioInterval(0, 3).high).toBeGreaterThan(1);
    expect(ratioInterval(1, 0)).toEqual({ low: null, high: null });
  });
});

describe('medianOf and leastSquaresSlope', () => {
  it('computes medians and slopes', () => {
    expect(medianOf([])).toBeNull();
    expect(medianOf([3, 1, 2])).toBe(2);
    expect(medianOf([4, 1, 2, 3])).toBe(2.5);
    expect(leastSquaresSlope([{ x: 0, y: 1 }])).toBeNull();
    expect(leastSquaresSlope([0, 1, 2, 3].map((x) => ({ x, y: 2 * x + 5 })))).toBeCloseTo(2, 12);
  });
});
