/**
 * HubSpot's per-portal rolling-window limits: general calls (110 per 10 s) and search calls (5 per
 * second) are separate windows. A refused request does not take a slot: a client that backs off
 * gets through as soon as the window has room.
 */
import type { RateLimitWindow, SandboxLimits } from './types.js';

/** HubSpot's limits for OAuth apps (hubspot-platform.md §6.1). */
export const DEFAULT_LIMITS: Required<SandboxLimits> = {
  general: { max: 110, windowMs: 10_000 },
  search: { max: 5, windowMs: 1_000 },
};

/** Accepted request times inside one rolling window, oldest first. */
class RollingWindow {
  private times: number[] = [];
  private head = 0;

  constructor(readonly limit: RateLimitWindow) {}

  /** Drop times that left the window ending at `now`: a time t counts while now - t < windowMs. */
  private expire(now: number): void {
    const cutoff = now - this.limit.windowMs;
    while (this.head < this.times.length && this.times[this.head] <= cutoff) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  /** Take a slot at `now` if the window has room; returns the slots left, or -1 when refused. */
  tryTake(now: number): number {
    this.expire(now);
    const used = this.times.length - this.head;
    if (used >= this.limit.max) return -1;
    this.times.push(now);
    return this.limit.max - used - 1;
  }
}

/** The outcome of a limit check. */
export interface LimitDecision {
  allowed: boolean;
  /** Slots left in the window after this request (0 when refused). */
  remaining: number;
  limit: RateLimitWindow;
}

/** Rolling windows per portal and kind of call. */
export class RateLimiter {
  private readonly windows = new Map<string, RollingWindow>();
  private readonly limits: Required<SandboxLimits> | undefined;

  /** `false` disables limiting; omitted parts keep HubSpot's defaults. */
  constructor(limits: false | SandboxLimits | undefined) {
    this.limits =
      limits === false
        ? undefined
        : {
            general: limits?.general ?? DEFAULT_LIMITS.general,
            search: limits?.search ?? DEFAULT_LIMITS.search,
          };
  }

  get enabled(): boolean {
    return this.limits !== undefined;
  }

  /** Count one request of a portal; undefined when limits are off. */
  check(portalId: number, kind: 'general' | 'search', now: number): LimitDecision | undefined {
    if (!this.limits) return undefined;
    const key = `${portalId}:${kind}`;
    let w = this.windows.get(key);
    if (!w) {
      w = new RollingWindow(this.limits[kind]);
      this.windows.set(key, w);
    }
    const left = w.tryTake(now);
    return { allowed: left >= 0, remaining: Math.max(0, left), limit: w.limit };
  }

  /** Forget every window (fresh quota for every portal). */
  reset(): void {
    this.windows.clear();
  }
}
