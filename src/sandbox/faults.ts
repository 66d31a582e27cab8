/**
 * Fault injection: rules that make matching requests fail the way HubSpot (or the network between)
 * fails: a status with HubSpot's body, a hung request, a truncated or wrongly shaped body, extra
 * latency, or an answer that fails after the write was committed.
 */
import { AppError } from '../core/errors.js';
import type { FaultHandle, FaultInjector, FaultKind, FaultRule } from './types.js';

class Rule implements FaultHandle {
  fired = 0;
  matched = 0;
  removed = false;
  private readonly times: number;
  private readonly skip: number;

  constructor(readonly rule: FaultRule) {
    this.times = rule.times ?? 1;
    this.skip = rule.skip ?? 0;
  }

  get exhausted(): boolean {
    return this.removed || this.fired >= this.times;
  }

  remove(): void {
    this.removed = true;
  }

  matches(method: string, path: string, portalId: number | undefined): boolean {
    const r = this.rule;
    if (r.method !== undefined && r.method.toUpperCase() !== method) return false;
    if (r.portalId !== undefined && r.portalId !== portalId) return false;
    if (typeof r.path === 'string') return path.startsWith(r.path);
    r.path.lastIndex = 0;
    return r.path.test(path);
  }

  /** Count a match; true when this one should fire (past the skipped ones). */
  take(): boolean {
    this.matched++;
    if (this.matched <= this.skip) return false;
    this.fired++;
    return true;
  }
}

/** The fault rules of a sandbox. */
export class Faults implements FaultInjector {
  private rules: Rule[] = [];

  add(rule: FaultRule): FaultHandle {
    const times = rule.times ?? 1;
    if (!(times > 0) || (!Number.isInteger(times) && times !== Infinity)) {
      throw new AppError('INVALID_INPUT', `fault times must be a positive integer or Infinity; got ${times}`);
    }
    if (rule.skip !== undefined && (!Number.isInteger(rule.skip) || rule.skip < 0)) {
      throw new AppError('INVALID_INPUT', `fault skip must be a non-negative integer; got ${rule.skip}`);
    }
    const r = new Rule(rule);
    this.rules.push(r);
    return r;
  }

  clear(): void {
    for (const r of this.rules) r.remove();
    this.rules = [];
  }

  /** The fault to apply to a request, if a live rule fires for it. */
  pick(method: string, path: string, portalId: number | undefined): FaultKind | undefined {
    this.rules = this.rules.filter((r) => !r.exhausted);
    for (const r of this.rules) {
      if (!r.matches(method, path, portalId)) continue;
      if (r.take()) return r.rule;
    }
    return undefined;
  }
}
