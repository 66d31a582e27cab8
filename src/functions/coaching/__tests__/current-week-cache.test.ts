import type { ActivityMetricsInput, MetricsReport } from '@pillars/contracts';
import type { FunctionContext } from '../../context.js';
import { createCurrentWeekCache } from '../team-series.js';

const ctxOf = (portalId: number) => ({ portalId }) as unknown as FunctionContext;

function fakeMetrics() {
  const calls: { input: ActivityMetricsInput; portalId: number }[] = [];
  let fail = false;
  const fn = (input: ActivityMetricsInput, ctx: FunctionContext): Promise<MetricsReport> => {
    calls.push({ input, portalId: ctx.portalId });
    if (fail) return Promise.reject(new Error('HubSpot down'));
    return Promise.resolve({ portalId: ctx.portalId } as unknown as MetricsReport);
  };
  return { fn, calls, failNext: (v: boolean) => (fail = v) };
}

test('one portal-wide report per (portal, week) within the TTL, shared by concurrent callers', async () => {
  const m = fakeMetrics();
  let now = 0;
  const cache = createCurrentWeekCache(m.fn, { ttlMs: 1000, now: () => now });
  await Promise.all([cache(ctxOf(1), '2026-11-25'), cache(ctxOf(1), '2026-11-25')]);
  await cache(ctxOf(1), '2026-11-25');
  expect(m.calls).toEqual([{ input: { week: '2026-11-25' }, portalId: 1 }]);
  // Another portal never shares it.
  expect(await cache(ctxOf(2), '2026-11-25')).toMatchObject({ portalId: 2 });
  expect(m.calls).toHaveLength(2);
  now = 1000;
  await cache(ctxOf(1), '2026-11-25');
  expect(m.calls).toHaveLength(3);
  cache.clear(1);
  await cache(ctxOf(1), '2026-11-25');
  expect(m.calls).toHaveLength(4);
});

test('a failure is never kept: the next caller asks again', async () => {
  const m = fakeMetrics();
  const cache = createCurrentWeekCache(m.fn, { ttlMs: 60_000 });
  m.failNext(true);
  await expect(cache(ctxOf(1), '2026-11-25')).rejects.toThrow('HubSpot down');
  m.failNext(false);
  await expect(cache(ctxOf(1), '2026-11-25')).resolves.toMatchObject({ portalId: 1 });
  expect(m.calls).toHaveLength(2);
});
