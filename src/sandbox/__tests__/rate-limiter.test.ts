import { DEFAULT_LIMITS, RateLimiter } from '../rate-limiter.js';

describe('RateLimiter', () => {
  test('a rolling window: a slot frees windowMs after it was taken; refusals take no slot', () => {
    const rl = new RateLimiter({ general: { max: 3, windowMs: 1000 } });
    expect(rl.check(1, 'general', 0)).toMatchObject({ allowed: true, remaining: 2 });
    expect(rl.check(1, 'general', 10)).toMatchObject({ allowed: true, remaining: 1 });
    expect(rl.check(1, 'general', 20)).toMatchObject({ allowed: true, remaining: 0 });
    for (let t = 21; t < 1000; t += 97) expect(rl.check(1, 'general', t)?.allowed).toBe(false);
    expect(rl.check(1, 'general', 999)?.allowed).toBe(false);
    expect(rl.check(1, 'general', 1000)).toMatchObject({ allowed: true, remaining: 0 });
    expect(rl.check(1, 'general', 1009)?.allowed).toBe(false);
    expect(rl.check(1, 'general', 1010)?.allowed).toBe(true);
  });

  test('search and general windows, and portals, are independent; defaults are HubSpot’s', () => {
    const rl = new RateLimiter(undefined);
    for (let i = 0; i < 5; i++) expect(rl.check(1, 'search', 0)?.allowed).toBe(true);
    expect(rl.check(1, 'search', 0)?.allowed).toBe(false);
    expect(rl.check(2, 'search', 0)?.allowed).toBe(true);
    expect(rl.check(1, 'general', 0)).toMatchObject({
      allowed: true,
      remaining: 109,
      limit: DEFAULT_LIMITS.general,
    });
  });

  test('limits: false turns limiting off', () => {
    const rl = new RateLimiter(false);
    expect(rl.enabled).toBe(false);
    expect(rl.check(1, 'search', 0)).toBeUndefined();
  });

  test('a long run keeps memory bounded and stays exact', () => {
    const rl = new RateLimiter({ search: { max: 5, windowMs: 1000 } });
    let accepted = 0;
    for (let t = 0; t < 100_000; t += 10) if (rl.check(1, 'search', t)?.allowed) accepted++;
    expect(accepted).toBe(500);
  });
});
