/**
 * hubspotRequestCount-style accounting: plug `onRequest` into createHubSpotGateway (one counter can
 * serve many gateways) and read totals for benchmarks; a Prometheus exporter can wrap the same hook.
 */
import type { HubSpotRequestEvent } from './request-runner.js';

/** Totals of HubSpot HTTP attempts. */
export interface HubSpotRequestCount {
  /** Every attempt, retries included. */
  total: number;
  /** Attempts after the first of their request. */
  retries: number;
  /** Attempts per endpoint key, e.g. `POST /crm/v3/objects/calls/search`. */
  byEndpoint: Record<string, number>;
  /** Attempts per HTTP status ('0' when HubSpot never answered). */
  byStatus: Record<string, number>;
  /** Attempts per portal id. */
  byPortal: Record<string, number>;
}

export interface HubSpotRequestCounter {
  /** The hook to pass as `onRequest`. */
  onRequest(e: HubSpotRequestEvent): void;
  /** A copy of the totals so far. */
  snapshot(): HubSpotRequestCount;
  /** Start again from zero. */
  reset(): void;
}

function empty(): HubSpotRequestCount {
  return { total: 0, retries: 0, byEndpoint: {}, byStatus: {}, byPortal: {} };
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

/** Create a request counter. */
export function createRequestCounter(): HubSpotRequestCounter {
  let count = empty();
  return {
    onRequest(e) {
      count.total += 1;
      if (e.attempt > 1) count.retries += 1;
      bump(count.byEndpoint, e.endpoint);
      bump(count.byStatus, String(e.status));
      bump(count.byPortal, String(e.portalId));
    },
    snapshot() {
      return {
        total: count.total,
        retries: count.retries,
        byEndpoint: { ...count.byEndpoint },
        byStatus: { ...count.byStatus },
        byPortal: { ...count.byPortal },
      };
    },
    reset() {
      count = empty();
    },
  };
}
