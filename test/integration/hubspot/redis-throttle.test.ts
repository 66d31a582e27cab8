/**
 * The Redis-shared throttle: several throttles (separate connections, and separate processes)
 * sharing one portal never exceed its rate or concurrency together. Runs only when REDIS_URL is set.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createInProcessThrottle } from '../../../src/hubspot/in-process-throttle.js';
import { createRedisThrottle } from '../../../src/hubspot/redis-throttle.js';
import type { PortalThrottle } from '../../../src/hubspot/throttle.js';

const REDIS_URL = process.env.REDIS_URL;
const suite = REDIS_URL ? describe : describe.skip;
const namespace = `pillars-test:${process.pid}:${Date.now()}`;
const here = __dirname; // jest runs tests as CommonJS

/** The k-th start (sorted) never comes before t0 + k * minTime: one slot per minTime, shared. */
function expectSlots(starts: number[], t0: number, minTime: number, slack = 5): void {
  [...starts]
    .sort((a, b) => a - b)
    .forEach((t, k) => expect(t - t0).toBeGreaterThanOrEqual(k * minTime - slack));
}

async function runBoth(
  a: PortalThrottle,
  b: PortalThrottle,
  portalId: number,
  jobs: number,
): Promise<number[]> {
  const job = () => Promise.resolve(Date.now());
  const all = await Promise.all(
    Array.from({ length: jobs }, (_, i) => (i % 2 === 0 ? a : b).schedule(portalId, 'general', job)),
  );
  return all;
}

describe('Redis throttle without Redis', () => {
  it('fails a request with HUBSPOT_TEMPORARY after maxWaitMs instead of hanging, and closes', async () => {
    const throttle = createRedisThrottle({ redisUrl: 'redis://127.0.0.1:1', maxWaitMs: 300 });
    let ran = false;
    const started = Date.now();
    await expect(
      throttle.schedule(1, 'general', async () => {
        ran = true;
      }),
    ).rejects.toMatchObject({ code: 'HUBSPOT_TEMPORARY' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(ran).toBe(false);
    await throttle.close();
  });
});

suite('Redis throttle (REDIS_URL)', () => {
  const url = REDIS_URL ?? '';
  let a: PortalThrottle;
  let b: PortalThrottle;

  beforeAll(async () => {
    const limits = { general: { minTime: 50, maxConcurrent: 2 }, search: { minTime: 100, maxConcurrent: 1 } };
    a = createRedisThrottle({ redisUrl: url, namespace, limits, keyTtlMs: 60_000 });
    b = createRedisThrottle({ redisUrl: url, namespace, limits, keyTtlMs: 60_000 });
    // connect and initialise both before measuring
    await Promise.all([a.schedule(1, 'general', async () => 0), b.schedule(1, 'general', async () => 0)]);
  });

  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    const redis = new Redis(url);
    const keys = await redis.keys(`b_${namespace}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('two throttles with separate connections share one portal’s rate', async () => {
    await new Promise((r) => setTimeout(r, 60));
    const t0 = Date.now();
    const starts = await runBoth(a, b, 7, 24);
    expect(starts).toHaveLength(24);
    expectSlots(starts, t0, 50);
    // control: two in-process throttles do not know about each other and go twice as fast
    const c = createInProcessThrottle({ limits: { general: { minTime: 50 } } });
    const d = createInProcessThrottle({ limits: { general: { minTime: 50 } } });
    const u0 = Date.now();
    const unshared = await runBoth(c, d, 7, 24);
    expect(Math.max(...unshared) - u0).toBeLessThan(23 * 50 * 0.75);
    await Promise.all([c.close(), d.close()]);
  });

  it('shares maxConcurrent across throttles', async () => {
    let running = 0;
    let peak = 0;
    const job = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 120));
      running -= 1;
    };
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).schedule(11, 'general', job)),
    );
    expect(peak).toBeLessThanOrEqual(2);
  });

  it('keeps portals and kinds apart', async () => {
    await new Promise((r) => setTimeout(r, 60));
    const t0 = Date.now();
    const firsts = await Promise.all([
      a.schedule(21, 'general', async () => Date.now()),
      b.schedule(22, 'general', async () => Date.now()),
      a.schedule(21, 'search', async () => Date.now()),
      b.schedule(22, 'search', async () => Date.now()),
    ]);
    expect(Math.max(...firsts) - t0).toBeLessThan(45);
  });

  it('never closes a client it was handed', async () => {
    const mine = new Redis(url);
    const t = createRedisThrottle({ redis: mine, namespace });
    await t.schedule(31, 'general', async () => 0);
    await t.close();
    await expect(mine.ping()).resolves.toBe('PONG');
    await mine.quit();
  });

  it('two processes sharing one portal never exceed the rate together', async () => {
    const worker = path.join(here, 'fixtures', 'redis-throttle-worker.ts');
    const startAt = Date.now() + 4_000; // after both processes have booted
    const run = () =>
      new Promise<number[]>((resolve, reject) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', worker, url, namespace, '41', '15', '100', String(startAt)],
          { timeout: 30_000 },
          (err, stdout, stderr) =>
            err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as number[]),
        );
      });
    const [p1, p2] = await Promise.all([run(), run()]);
    const starts = [...(p1 ?? []), ...(p2 ?? [])];
    expect(starts).toHaveLength(30);
    // the two processes really competed: their starts interleave
    expect(Math.min(...(p2 ?? []))).toBeLessThan(Math.max(...(p1 ?? [])));
    expect(Math.min(...(p1 ?? []))).toBeLessThan(Math.max(...(p2 ?? [])));
    expectSlots(starts, startAt, 100, 10);
    // and a rolling view: never more than 10 starts (1,000 / 100) + 1 in any second
    const sorted = [...starts].sort((x, y) => x - y);
    for (const t of sorted)
      expect(sorted.filter((u) => u >= t && u < t + 1_000).length).toBeLessThanOrEqual(11);
  }, 40_000);
});
