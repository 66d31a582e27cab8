/**
 * The in-process throttle: one limiter pair per portal, shared by every gateway of that portal,
 * spacing starts by minTime; portals and kinds do not wait for each other. Measured with small
 * limits on real timers.
 */
import nock from 'nock';
import { createHubSpotGateway } from '../hubspot-gateway.js';
import { createInProcessThrottle } from '../in-process-throttle.js';
import { DEFAULT_THROTTLE_LIMITS, resolveLimits, type PortalThrottle } from '../throttle.js';
import { BASE, expectNockDone, restoreNockAfterAll } from './helpers.js';

restoreNockAfterAll();
afterEach(expectNockDone);

function gaps(times: number[]): number[] {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.slice(1).map((t, i) => t - (sorted[i] ?? t));
}

async function startsOf(run: (record: () => void) => Promise<unknown>[]): Promise<number[]> {
  const starts: number[] = [];
  await Promise.all(run(() => starts.push(Date.now())));
  return starts;
}

const work = (record: () => void) => async () => {
  record();
  await new Promise((r) => setTimeout(r, 1));
};

describe('in-process throttle', () => {
  it('defaults stay below HubSpot: <= 100 per 10 s general, <= 4 per second search', () => {
    expect(DEFAULT_THROTTLE_LIMITS.general.minTime).toBeGreaterThanOrEqual(100);
    expect(DEFAULT_THROTTLE_LIMITS.search.minTime).toBeGreaterThanOrEqual(250);
    expect(resolveLimits({ search: { minTime: 10 } })).toEqual({
      general: DEFAULT_THROTTLE_LIMITS.general,
      search: { minTime: 10, maxConcurrent: DEFAULT_THROTTLE_LIMITS.search.maxConcurrent },
    });
  });

  it('default general limiter: never more than 101 starts in any rolling 10 s (HubSpot allows 110)', async () => {
    jest.useFakeTimers();
    try {
      const throttle = createInProcessThrottle();
      const starts: number[] = [];
      const all = Promise.all(
        Array.from({ length: 300 }, () =>
          throttle.schedule(1, 'general', async () => {
            starts.push(Date.now());
          }),
        ),
      );
      await jest.advanceTimersByTimeAsync(31_000);
      await all;
      expect(starts).toHaveLength(300);
      // Each start is at or after its slot, slots are minTime apart; a late timer can shave 1 ms.
      for (const g of gaps(starts))
        expect(g).toBeGreaterThanOrEqual(DEFAULT_THROTTLE_LIMITS.general.minTime - 1);
      const busiest = Math.max(...starts.map((t) => starts.filter((u) => u >= t && u < t + 10_000).length));
      expect(busiest).toBeLessThanOrEqual(101);
      const closing = throttle.close(); // Bottleneck's stop() polls with timers
      await jest.advanceTimersByTimeAsync(1_000);
      await closing;
    } finally {
      jest.useRealTimers();
    }
  });

  it('spaces starts on the real clock too (within timer jitter)', async () => {
    const throttle = createInProcessThrottle({ limits: { general: { minTime: 40, maxConcurrent: 5 } } });
    const t0 = Date.now();
    const starts = await startsOf((rec) =>
      Array.from({ length: 8 }, () => throttle.schedule(1, 'general', work(rec))),
    );
    expect(starts).toHaveLength(8);
    // Bottleneck gives each job a slot minTime after the previous one and never starts it early
    // (a late timer can bring two actual starts closer, never more than one per slot).
    [...starts].sort((x, y) => x - y).forEach((t, k) => expect(t - t0).toBeGreaterThanOrEqual(k * 40 - 1));
    await throttle.close();
  });

  it('keeps search and general apart, and portals apart', async () => {
    const throttle = createInProcessThrottle({
      limits: { general: { minTime: 200, maxConcurrent: 5 }, search: { minTime: 200, maxConcurrent: 5 } },
    });
    const t0 = Date.now();
    const starts = await startsOf((rec) => [
      throttle.schedule(1, 'general', work(rec)),
      throttle.schedule(1, 'search', work(rec)),
      throttle.schedule(2, 'general', work(rec)),
      throttle.schedule(2, 'search', work(rec)),
    ]);
    // Four independent limiters: all four start at once instead of 200 ms apart.
    expect(Math.max(...starts) - t0).toBeLessThan(150);
    await throttle.close();
  });

  it('default search limiter: 5 searches take at least a second', async () => {
    const throttle = createInProcessThrottle();
    const t0 = Date.now();
    const starts = await startsOf((rec) =>
      Array.from({ length: 5 }, () => throttle.schedule(9, 'search', work(rec))),
    );
    expect(Math.max(...starts) - t0).toBeGreaterThanOrEqual(4 * 250 - 1);
    await throttle.close();
  });

  it('two gateways of one portal share its limiter; another portal does not wait', async () => {
    const inner = createInProcessThrottle({ limits: { general: { minTime: 100, maxConcurrent: 5 } } });
    const starts: Record<number, number[]> = { 1: [], 2: [] };
    // Record when the throttle lets each request go (the wire adds its own jitter).
    const throttle: PortalThrottle = {
      schedule: (portalId, kind, fn) =>
        inner.schedule(portalId, kind, () => {
          starts[portalId]?.push(Date.now());
          return fn();
        }),
      close: () => inner.close(),
    };
    const make = (portalId: number) =>
      createHubSpotGateway({
        portalId,
        accessToken: `t${portalId}`,
        basePath: BASE,
        throttle,
        timeoutMs: 2_000,
      });
    const a1 = make(1);
    const a2 = make(1);
    const b = make(2);
    const tokens: string[] = [];
    nock(BASE)
      .persist()
      .get('/settings/v3/users/teams')
      .reply(function () {
        tokens.push(String(this.req.headers.authorization));
        return [200, { results: [] }];
      });
    const t0 = Date.now();
    await Promise.all([
      a1.listTeams(),
      a2.listTeams(),
      a1.listTeams(),
      a2.listTeams(),
      b.listTeams(),
      b.listTeams(),
    ]);
    expect(tokens.filter((t) => t === 'Bearer t1')).toHaveLength(4);
    expect(tokens.filter((t) => t === 'Bearer t2')).toHaveLength(2);
    const p1 = starts[1] ?? [];
    const p2 = starts[2] ?? [];
    // The k-th start of a portal is never before its slot, t0 + k * minTime.
    [...p1].sort((x, y) => x - y).forEach((t, k) => expect(t - t0).toBeGreaterThanOrEqual(k * 100 - 1));
    // portal 2 is not queued behind portal 1's four
    expect(Math.max(...p2)).toBeLessThan(Math.max(...p1));
    await throttle.close();
  });

  it('gives up on a request that waited longer than maxWaitMs, and never sends it later', async () => {
    const throttle = createInProcessThrottle({
      limits: { general: { minTime: 0, maxConcurrent: 1 } },
      maxWaitMs: 50,
    });
    let release = (): void => undefined;
    const first = throttle.schedule(
      1,
      'general',
      () => new Promise<string>((r) => (release = () => r('first'))),
    );
    let secondRan = false;
    const second = throttle.schedule(1, 'general', async () => {
      secondRan = true;
    });
    await expect(second).rejects.toMatchObject({ code: 'HUBSPOT_TEMPORARY' });
    release();
    await expect(first).resolves.toBe('first');
    await new Promise((r) => setTimeout(r, 20));
    expect(secondRan).toBe(false);
    await throttle.close();
  });

  it('lets queued work finish on close, then refuses new work', async () => {
    const throttle = createInProcessThrottle({ limits: { general: { minTime: 20, maxConcurrent: 1 } } });
    let done = 0;
    const queued = Array.from({ length: 3 }, () =>
      throttle.schedule(1, 'general', async () => {
        done += 1;
      }),
    );
    await throttle.close();
    await Promise.all(queued);
    expect(done).toBe(3);
    await expect(throttle.schedule(1, 'general', async () => 1)).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
