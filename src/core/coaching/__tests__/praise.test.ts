import type { WeeklyPoint } from '@pillars/contracts';
import { praiseSuggestionSchema } from '@pillars/contracts';
import { suggestPraise } from '../praise.js';
import { TYPICAL, series, steadySeries } from './builders.js';
import { demoSeries } from './demo-series.js';

const STAR = { ...TYPICAL, dials: 70, connects: 9, meetingsBooked: 8, dealsWon: 3, wonAmount: 60_000 };

function teamWith(rep: WeeklyPoint[]): Map<string, WeeklyPoint[]> {
  return new Map([
    ['star', steadySeries(rep.length, STAR)],
    ['m1', steadySeries(rep.length, TYPICAL)],
    ['m2', steadySeries(rep.length, TYPICAL)],
    ['rep', rep],
  ]);
}

function praise(rep: WeeklyPoint[], extra: Partial<Parameters<typeof suggestPraise>[0]> = {}) {
  const out = suggestPraise({ ownerId: 'rep', rep, team: teamWith(rep), ...extra });
  for (const p of out) praiseSuggestionSchema.parse(p);
  return out;
}

describe('suggestPraise', () => {
  it('recognises a steady, middle-of-the-team rep who improved against their own baseline', () => {
    const before = { ...TYPICAL, dials: 40, connects: 3 };
    const after = { ...TYPICAL, dials: 40, connects: 5 };
    const out = praise(series([before, before, before, before, after, after, after, after]));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'most-improved', metric: 'connectRate' });
    expect(out[0].evidence).toBe(
      '12.5 % (20 of 160) in the last 4 weeks, up from 7.5 % (12 of 160) in the 4 before.',
    );
  });

  it('does not praise a rise on a thin sample, nor a flat rep', () => {
    const before = { ...TYPICAL, dials: 10, connects: 1 };
    const after = { ...TYPICAL, dials: 10, connects: 3 };
    expect(praise(series([before, before, before, before, after, after, after, after]))).toEqual([]);
    expect(praise(steadySeries(8, TYPICAL))).toEqual([]);
  });

  it('praises volume growth when no rate qualifies', () => {
    const before = { ...TYPICAL, meetingsBooked: 3 };
    const after = { ...TYPICAL, meetingsBooked: 5 };
    const out = praise(series([before, before, before, before, after, after, after, after]));
    expect(out[0]).toMatchObject({
      kind: 'most-improved',
      metric: 'meetingsBooked',
      figures: { before: 12, after: 20 },
    });
  });

  it('praises targets hit every week, a clean process, and the top won amount', () => {
    const rep = steadySeries(4, { ...TYPICAL, dials: 50, wonAmount: 90_000 });
    const out = praise(rep, {
      targets: [
        { metric: 'dials', perWeek: 45 },
        { metric: 'meetingsBooked', perWeek: 5 },
      ],
      unwaivedExceptions: 0,
    });
    expect(out.map((p) => p.kind)).toEqual(['target-hit', 'clean-process', 'notable-win']);
    expect(out[0].evidence).toBe('50, 50, 50, 50 dials in the last 4 weeks, against a target of 45 a week.');
    expect(out[2].figures).toEqual({ wonAmount: 360_000, teamMedian: 140_000 });
  });

  it('skips clean process when the exception count is unknown or non-zero', () => {
    const rep = steadySeries(4, TYPICAL);
    expect(praise(rep).some((p) => p.kind === 'clean-process')).toBe(false);
    expect(praise(rep, { unwaivedExceptions: 2 }).some((p) => p.kind === 'clean-process')).toBe(false);
  });

  it('on the demo portal, recognises both improving steady reps against their own baseline', () => {
    const demo = demoSeries();
    const byOwner = Object.fromEntries(
      demo.fixture.demo.improving.map((id) => [
        id,
        suggestPraise({ ownerId: id, rep: demo.owners.get(id) ?? [], team: demo.teamOf(id) })[0],
      ]),
    );
    // Seed 1: 61400192 booked 20 meetings against 16; 61400244 connected 12.3 % of 146 dials against 10.8 % of 167.
    expect(byOwner['61400192']).toMatchObject({ kind: 'most-improved', metric: 'meetingsBooked' });
    expect(byOwner['61400244']).toMatchObject({ kind: 'most-improved', metric: 'connectRate' });
  });
});
