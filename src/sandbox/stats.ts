/**
 * Request accounting: totals by endpoint key and status, per portal, and a log of every request
 * that counted against a portal's limits, so tests can prove no rolling window was exceeded.
 */
import type { RequestCounters, RequestLogEntry, SandboxStats } from './types.js';

/** Entries kept in the log; older ones are dropped (a soak test must not exhaust memory). */
const MAX_LOG = 1_000_000;

function emptyCounters(): RequestCounters {
  return { total: 0, byEndpoint: {}, byStatus: {}, rateLimited: 0 };
}

function bump(c: RequestCounters, endpoint: string, status: number): void {
  c.total++;
  c.byEndpoint[endpoint] = (c.byEndpoint[endpoint] ?? 0) + 1;
  c.byStatus[status] = (c.byStatus[status] ?? 0) + 1;
  if (status === 429) c.rateLimited++;
}

function copyCounters(c: RequestCounters): RequestCounters {
  return {
    total: c.total,
    byEndpoint: { ...c.byEndpoint },
    byStatus: { ...c.byStatus },
    rateLimited: c.rateLimited,
  };
}

/** One answered request. */
export interface RequestRecord {
  endpoint: string;
  status: number;
  portalId: number | undefined;
  /** Set when the request counted against a portal's limits. */
  limited?: { at: number; kind: 'general' | 'search' };
}

/** Counts answered requests; snapshots are copies. */
export class StatsCollector {
  private all = emptyCounters();
  private portals = new Map<number, RequestCounters>();
  private log: RequestLogEntry[] = [];

  record(r: RequestRecord): void {
    bump(this.all, r.endpoint, r.status);
    if (r.portalId !== undefined) {
      let c = this.portals.get(r.portalId);
      if (!c) {
        c = emptyCounters();
        this.portals.set(r.portalId, c);
      }
      bump(c, r.endpoint, r.status);
      if (r.limited) {
        if (this.log.length >= MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG + 1);
        this.log.push({
          at: r.limited.at,
          portalId: r.portalId,
          kind: r.limited.kind,
          status: r.status,
          endpoint: r.endpoint,
        });
      }
    }
  }

  /** A snapshot (copies, safe to keep). */
  snapshot(): SandboxStats {
    const byPortal: Record<number, RequestCounters> = {};
    for (const [id, c] of this.portals) byPortal[id] = copyCounters(c);
    return { ...copyCounters(this.all), byPortal, log: this.log.map((e) => ({ ...e })) };
  }

  reset(): void {
    this.all = emptyCounters();
    this.portals = new Map();
    this.log = [];
  }
}
