/**
 * The per-portal throttle port. HubSpot limits an OAuth app per installing portal (110 requests per
 * rolling 10 s, search 5 per second, counted apart), so every request the gateway sends is scheduled
 * through the portal's limiter of its kind. Implementations: in-process (`in-process-throttle.ts`)
 * and Redis-shared across processes (`redis-throttle.ts`).
 */
import { AppError } from '../core/errors.js';

/** Which HubSpot budget a request spends: CRM search has its own per-second limit. */
export type RequestKind = 'general' | 'search';

/** Serialises a portal's HubSpot requests below HubSpot's limits. */
export interface PortalThrottle {
  /** Run `fn` when the portal's `kind` budget allows; resolves or rejects with `fn`'s outcome. */
  schedule<T>(portalId: number, kind: RequestKind, fn: () => Promise<T>): Promise<T>;
  /** Stop accepting work, let queued work finish, release connections. */
  close(): Promise<void>;
}

/** Bottleneck settings for one limiter. */
export interface LimiterSettings {
  /** Minimum gap between two request starts, in ms. */
  minTime: number;
  /** Most requests in flight at once. */
  maxConcurrent: number;
}

export interface ThrottleLimits {
  general: LimiterSettings;
  search: LimiterSettings;
}

/**
 * Below HubSpot's limits with a margin: 100 ms apart is at most 100 starts in any 10 s window
 * (limit 110), 250 ms apart is 4 searches per second (limit 5).
 */
export const DEFAULT_THROTTLE_LIMITS: Readonly<ThrottleLimits> = Object.freeze({
  general: Object.freeze({ minTime: 100, maxConcurrent: 10 }),
  search: Object.freeze({ minTime: 250, maxConcurrent: 2 }),
});

/** Partial limits, merged over the defaults per kind. */
export type ThrottleLimitsInput = { [K in RequestKind]?: Partial<LimiterSettings> };

/** Fill in missing limits from the defaults. */
export function resolveLimits(input: ThrottleLimitsInput = {}): ThrottleLimits {
  return {
    general: { ...DEFAULT_THROTTLE_LIMITS.general, ...input.general },
    search: { ...DEFAULT_THROTTLE_LIMITS.search, ...input.search },
  };
}

/** Portal id used while the portal is not known yet (e.g. during install); it has a budget of its own. */
export const UNKNOWN_PORTAL_ID = 0;

/** What a throttle needs from a limiter (Bottleneck satisfies it). */
export interface Limiter {
  schedule<R>(fn: () => PromiseLike<R>): Promise<R>;
}

const ABANDONED = Symbol('abandoned');

/**
 * Schedule `fn` on `limiter`, but give up if it has not started within `maxWaitMs` (when given):
 * the caller gets HUBSPOT_TEMPORARY, and `fn` is skipped if its turn comes later, so no request is
 * sent that nobody waits for. Keeps a card from hanging while, say, Redis is unreachable.
 */
export function scheduleWithin<T>(
  limiter: Limiter,
  maxWaitMs: number | undefined,
  fn: () => Promise<T>,
  label: string,
): Promise<T> {
  if (maxWaitMs === undefined) return limiter.schedule(fn);
  let state: 'waiting' | 'started' | 'abandoned' = 'waiting';
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      if (state !== 'waiting') return;
      state = 'abandoned';
      reject(new AppError('HUBSPOT_TEMPORARY', `${label}: no throttle slot within ${maxWaitMs} ms`));
    }, maxWaitMs);
    limiter
      .schedule<T | typeof ABANDONED>(() => {
        if (state === 'abandoned') return Promise.resolve(ABANDONED);
        state = 'started';
        clearTimeout(timer);
        return fn();
      })
      .then(
        (value) => {
          clearTimeout(timer);
          if (value !== ABANDONED) resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          if (state !== 'abandoned') reject(err);
        },
      );
  });
}
