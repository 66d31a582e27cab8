/**
 * Redis-shared PortalThrottle: Bottleneck's clustering keeps each portal's limiter state in Redis,
 * so every process (and every instance behind the load balancer) spends one shared budget per
 * portal and kind. Limiter ids are `<namespace>:<portalId>:<kind>`.
 */
import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import { AppError } from '../core/errors.js';
import type { GatewayLogger } from './logger.js';
import {
  resolveLimits,
  scheduleWithin,
  type PortalThrottle,
  type RequestKind,
  type ThrottleLimitsInput,
} from './throttle.js';

export interface RedisThrottleOptions {
  /** Redis to connect to, e.g. `redis://127.0.0.1:6379`. Either this or `redis`. */
  redisUrl?: string;
  /** An existing ioredis client; the throttle works on its own duplicate and never closes yours. */
  redis?: Redis;
  /** Key prefix; processes sharing a budget must use the same one. Default `pillars:hubspot`. */
  namespace?: string;
  /**
   * Limits. The first process to create a portal's limiter writes them to Redis; later processes
   * share those until the keys expire, so every instance must run with the same limits.
   */
  limits?: ThrottleLimitsInput;
  /** Idle limiter state expires from Redis after this many ms (default 1 h). */
  keyTtlMs?: number;
  /**
   * Give up on a request that waited this long for its slot, e.g. while Redis is unreachable
   * (HUBSPOT_TEMPORARY; default 30 s). Without it a request would wait for Redis to come back.
   */
  maxWaitMs?: number;
  logger?: GatewayLogger;
}

/** Create a throttle whose budgets are shared through Redis. */
export function createRedisThrottle(options: RedisThrottleOptions): PortalThrottle {
  if (!options.redis && !options.redisUrl) {
    throw new AppError('CONFIG_INVALID', 'createRedisThrottle needs redisUrl or an ioredis client');
  }
  const limits = resolveLimits(options.limits);
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  const namespace = options.namespace ?? 'pillars:hubspot';
  // A duplicate, because Bottleneck's disconnect() quits the client it was given.
  const client = options.redis ? options.redis.duplicate() : new Redis(options.redisUrl ?? '');
  const connection = new Bottleneck.IORedisConnection({ client, Redis });
  // ioredis reports every reconnect attempt: log the first error of an outage only.
  let failing = false;
  client.on('ready', () => (failing = false));
  connection.on('error', (err: unknown) => {
    if (failing) return;
    failing = true;
    options.logger?.warn({ err }, 'HubSpot throttle: Redis unreachable');
  });
  const limiters = new Map<string, Bottleneck>();
  let closed = false;

  function limiterFor(portalId: number, kind: RequestKind): Bottleneck {
    const id = `${namespace}:${portalId}:${kind}`;
    let limiter = limiters.get(id);
    if (!limiter) {
      limiter = new Bottleneck({
        id,
        datastore: 'ioredis',
        connection,
        clearDatastore: false, // other processes are using this state right now
        timeout: options.keyTtlMs ?? 3_600_000,
        ...limits[kind],
      });
      limiter.on('error', (err: unknown) =>
        options.logger?.warn({ err, portalId, kind }, 'HubSpot throttle error'),
      );
      limiters.set(id, limiter);
    }
    return limiter;
  }

  return {
    schedule<T>(portalId: number, kind: RequestKind, fn: () => Promise<T>): Promise<T> {
      if (closed) return Promise.reject(new AppError('INTERNAL', 'HubSpot throttle used after close()'));
      return scheduleWithin(
        limiterFor(portalId, kind),
        maxWaitMs,
        fn,
        `HubSpot throttle of portal ${portalId} (${kind})`,
      );
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const all = [...limiters.values()];
      limiters.clear();
      // Queued work may finish, but with Redis gone it never would: wait no longer than a request would.
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, maxWaitMs)));
      await Promise.race([Promise.all(all.map((l) => l.stop({ dropWaitingJobs: false }))), grace]);
      clearTimeout(timer);
      await connection.disconnect(client.status === 'ready'); // flush (QUIT) only when connected
    },
  };
}
