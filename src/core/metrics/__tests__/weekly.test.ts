import { weeklyPointSchema } from '@pillars/contracts';
import { AppError } from '../../errors.js';
import { resolvePeriod, splitIntoWeeks } from '../../time/period.js';
import { buildWeeklySeries } from '../weekly.js';
import { accumulate, NY, owner, rec, team } from './helpers.js';

const period = resolvePeriod('2026-10-28', '2026-11-12', NY); // Wednesday to Thursday: clipped weeks
const weeks = splitIntoWeeks(period, NY);
const note = (ownerId: string | undefined, at: string) =>
  rec({ hubspot_owner_id: ownerId, hs_timestamp: at });
const W1 = '2026-10-29T15:00:00Z';
const W2 = '2026-11-04T15:00:00Z';
const W3 = '2026-11-10T15:00:00Z';

describe('buildWeeklySeries', () => {
  const east = team('7', 'East');
  const owners = [
    owner('1', { teams: [east] }),
    owner('2', { teams: [east] }),
    owner('3', { teams: [east] }),
    owner('4', { teams: [east], archived: true }),
  ];
  const result = accumulate(
    {
      notes: [
        note('1', W1),
        note('1', W2),
        note('2', W2),
        note('2', W2),
        note('2', W2),
        note('3', W3),
        note('4', W1),
        note('4', W1),
        note('4', W1),
        note('4', W1),
        note('77', W3),
        note(undefined, W2),
      ],
    },
    weeks,
  );
  const series = buildWeeklySeries(result, weeks, owners);

  it('gives every listed owner one point per week, labelled by its local Monday', () => {
    expect([...series.owners.keys()]).toEqual(['1', '2', '3', '4', '77']);
    expect(series.owners.get('1')?.map((p) => [p.weekStart, p.metrics.notes])).toEqual([
      ['2026-10-26', 1],
      ['2026-11-02', 1],
      ['2026-11-09', 0],
    ]);
    for (const points of series.owners.values()) for (const p of points) weeklyPointSchema.parse(p);
  });

  it('gives team medians over active members and totals over listed members, per week', () => {
    expect(series.teamMedians.get('7')?.map((p) => p.metrics.notes)).toEqual([0, 1, 0]);
    expect(series.teamTotals.get('7')?.map((p) => p.metrics.notes)).toEqual([5, 4, 1]);
    expect(series.unassigned.map((p) => p.metrics.notes)).toEqual([0, 1, 0]);
  });

  it('refuses buckets that are not the weeks', () => {
    expect(() => buildWeeklySeries(result, weeks.slice(1), owners)).toThrow(AppError);
  });
});
