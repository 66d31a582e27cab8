/**
 * In-process PortalThrottle: a registry holding one general and one search limiter per portal,
 * shared by every gateway of that portal that receives this throttle. Create one per process.
 */
import Bottleneck from 'bottleneck';
import { AppError } from '../core/errors.js';
import {
  resolveLimits,
  scheduleWithin,
  type PortalThrottle,
  type RequestKind,
  type ThrottleLimitsInput,
} from './throttle.js';

export interface InProcessThrottleOptions {
  /** Override the default limits (tests use small ones). */
  limits?: ThrottleLimitsInput;
  /** Give up on a request that waited this long for its slot (HUBSPOT_TEMPORARY); default: wait. */
  maxWaitMs?: number;
}

/** Create the process's throttle registry. */
export function createInProcessThrottle(options: InProcessThrottleOptions = {}): PortalThrottle {
  const limits = resolveLimits(options.limits);
  const limiters = new Map<string, Bottleneck>();
  let closed = false;

  function limiterFor(portalId: number, kind: RequestKind): Bottleneck {
    const key = `${portalId}:${kind}`;
    let limiter = limiters.get(key);
    if (!limiter) {
      limiter = new Bottleneck({ id: `hubspot-${key}`, ...limits[kind] });
      limiters.set(key, limiter);
    }
    return limiter;
  }

  return {
    schedule<T>(portalId: number, kind: RequestKind, fn: () => Promise<T>): Promise<T> {
      if (closed) return Promise.reject(new AppError('INTERNAL', 'HubSpot throttle used after close()'));
      return scheduleWithin(
        limiterFor(portalId, kind),
        options.maxWaitMs,
        fn,
        `HubSpot throttle of portal ${portalId} (${kind})`,
      );
    },
    async close(): Promise<void> {
      closed = true;
      const all = [...limiters.values()];
      limiters.clear();
      await Promise.all(all.map((l) => l.stop({ dropWaitingJobs: false })));
    },
  };
}
