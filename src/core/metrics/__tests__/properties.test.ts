// Property-based checks of the engine as a whole: streaming, buckets, the report contract.
import fc from 'fast-check';
import { COUNT_METRICS, RATE_METRICS, metricsReportSchema } from '@pillars/contracts';
import type { CrmRecord } from '../../crm.js';
import { parseInstant } from '../../time/instant.js';
import type { TimeBucket } from '../../time/period.js';
import { createMetricsAccumulator } from '../accumulator.js';
import type { AccumulatorResult } from '../accumulator.js';
import { zeroCounts } from '../counts.js';
import type { CountMetrics } from '../counts.js';
import { connectedOutcomeIds } from '../outcomes.js';
import { DECIDING_TIMESTAMPS, METRIC_OBJECT_TYPES } from '../properties.js';
import type { MetricObjectType, PropertyCondition } from '../properties.js';
import { buildMetricsReport } from '../report.js';
import { teamTotals } from '../teams.js';
import { buildWeeklySeries } from '../weekly.js';
import type { Portal } from './arbitraries.js';
import { CUSTOM_CONNECTED, owners, PERIOD, portalRecords, WEEKS, ZONE } from './arbitraries.js';

const CONNECTED_IDS = connectedOutcomeIds([{ id: CUSTOM_CONNECTED, label: 'connected' }]);

function run(pages: [MetricObjectType, CrmRecord[]][], buckets: readonly TimeBucket[]): AccumulatorResult {
  const acc = createMetricsAccumulator({ buckets, connectedOutcomes: CONNECTED_IDS });
  for (const [type, page] of pages) acc.add(type, page);
  return acc.result();
}

const wholePages = (portal: Portal): [MetricObjectType, CrmRecord[]][] =>
  METRIC_OBJECT_TYPES.map((t) => [t, portal[t]]);

/** Split every type's records into pages at the given cut points and interleave the types. */
function paged(portal: Portal, cuts: number[]): [MetricObjectType, CrmRecord[]][] {
  const pages: [MetricObjectType, CrmRecord[]][] = [];
  for (const type of METRIC_OBJECT_TYPES) {
    const records = portal[type];
    let at = 0;
    for (const cut of cuts) {
      const size = cut % (records.length + 1);
      pages.push([type, records.slice(at, at + size)]);
      at += size;
    }
    pages.push([type, records.slice(at)]);
  }
  // Interleave: a stable shuffle keyed on the cuts keeps runs reproducible.
  return pages.sort((a, b) => (a[1].length % 3) - (b[1].length % 3));
}

// --- a naive oracle: METRICS.md §2 restated record by record, one bucket ---------------------------

const up = (v: string | null | undefined) => (v ?? '').trim().toUpperCase();
const blank = (v: string | null | undefined) => up(v) === '';

function oracle(portal: Portal, bucket: TimeBucket): { counts: Map<string, CountMetrics>; skipped: number } {
  const counts = new Map<string, CountMetrics>();
  let skipped = 0;
  const inBucket = (t: number) => t >= bucket.startMs && t < bucket.endMs;
  const add = (ownerRaw: string | null | undefined, metric: keyof CountMetrics, by = 1) => {
    const key = (ownerRaw ?? '').trim();
    const c = counts.get(key) ?? zeroCounts();
    c[metric] += by;
    counts.set(key, c);
  };
  const num = (v: string | null | undefined) => {
    const n = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/.test(v ?? '') ? Number(v) : 0;
    return Number.isFinite(n) ? n : 0;
  };
  for (const { properties: p } of portal.calls) {
    const dir = up(p.hs_call_direction);
    const isDial = dir === 'OUTBOUND' || dir === '';
    if (!isDial && dir !== 'INBOUND') continue;
    const t = parseInstant(p.hs_timestamp);
    if (t === null) {
      skipped++;
      continue;
    }
    if (!inBucket(t)) continue;
    if (!isDial) {
      add(p.hubspot_owner_id, 'inboundCalls');
      continue;
    }
    add(p.hubspot_owner_id, 'dials');
    if (CONNECTED_IDS.has(p.hs_call_disposition?.trim().toLowerCase() ?? '')) {
      add(p.hubspot_owner_id, 'connects');
      add(p.hubspot_owner_id, 'talkTimeMs', Math.max(0, Math.round(num(p.hs_call_duration))));
    }
  }
  for (const { properties: p } of portal.emails) {
    const dir = up(p.hs_email_direction);
    const sent = dir === 'EMAIL' && !['SCHEDULED', 'SENDING', 'FAILED'].includes(up(p.hs_email_status));
    if (!sent && dir !== 'INCOMING_EMAIL') continue;
    const t = parseInstant(p.hs_timestamp);
    if (t === null) skipped++;
    else if (inBucket(t)) add(p.hubspot_owner_id, sent ? 'emailsSent' : 'emailsReceived');
  }
  for (const { properties: p } of portal.meetings) {
    const created = parseInstant(p.hs_createdate);
    const start = parseInstant(blank(p.hs_meeting_start_time) ? p.hs_timestamp : p.hs_meeting_start_time);
    if (created === null || start === null) skipped++;
    if (created !== null && inBucket(created)) add(p.hubspot_owner_id, 'meetingsBooked');
    if (start !== null && inBucket(start)) {
      add(p.hubspot_owner_id, 'meetingsScheduled');
      const outcome = up(p.hs_meeting_outcome);
      if (outcome === 'COMPLETED') add(p.hubspot_owner_id, 'meetingsHeld');
      if (outcome === 'NO_SHOW') add(p.hubspot_owner_id, 'meetingsNoShow');
      if (outcome === 'CANCELED') add(p.hubspot_owner_id, 'meetingsCanceled');
    }
  }
  for (const { properties: p } of portal.notes) {
    const t = parseInstant(p.hs_timestamp);
    if (t === null) skipped++;
    else if (inBucket(t)) add(p.hubspot_owner_id, 'notes');
  }
  for (const { properties: p } of portal.tasks) {
    if (up(p.hs_task_status) !== 'COMPLETED') continue;
    const t = parseInstant(p.hs_task_completion_date);
    if (t === null) skipped++;
    else if (inBucket(t)) add(p.hubspot_owner_id, 'tasksCompleted');
  }
  for (const { properties: p } of portal.deals) {
    const won = up(p.hs_is_closed_won) === 'TRUE';
    const lost = !won && up(p.hs_is_closed) === 'TRUE';
    const created = parseInstant(p.createdate);
    const closed = parseInstant(p.closedate);
    if (created === null || ((won || lost) && closed === null)) skipped++;
    if (created !== null && inBucket(created)) add(p.hubspot_owner_id, 'dealsCreated');
    if (closed !== null && inBucket(closed) && won) {
      add(p.hubspot_owner_id, 'dealsWon');
      add(p.hubspot_owner_id, 'wonAmount', num(p.amount));
    }
    if (closed !== null && inBucket(closed) && lost) add(p.hubspot_owner_id, 'dealsLost');
  }
  return { counts, skipped };
}

/** `skipped` derived from DECIDING_TIMESTAMPS alone, as a gateway would read it. */
function skippedFromDescription(portal: Portal): number {
  const holds = (c: PropertyCondition, p: CrmRecord['properties']) => {
    const v = blank(p[c.property]) ? null : up(p[c.property]);
    if ('in' in c) return c.in.some((x) => (x === null ? v === null : up(x) === v));
    return v === null || !c.notIn.includes(v);
  };
  let skipped = 0;
  for (const type of METRIC_OBJECT_TYPES) {
    for (const { properties: p } of portal[type]) {
      const skip = DECIDING_TIMESTAMPS[type].some((entry) => {
        const qualifies = !entry.when || entry.when.some((group) => group.every((c) => holds(c, p)));
        if (!qualifies) return false;
        const decider = entry.properties.find((name) => !blank(p[name]));
        return decider === undefined || parseInstant(p[decider]) === null;
      });
      if (skip) skipped++;
    }
  }
  return skipped;
}

const sumCounts = (a: CountMetrics, b: CountMetrics): CountMetrics => {
  const out = zeroCounts();
  for (const m of COUNT_METRICS) out[m] = a[m] + b[m];
  return out;
};

describe('metrics engine properties', () => {
  it('gives the same result however records are split into pages and interleaved', () => {
    fc.assert(
      fc.property(portalRecords, fc.array(fc.nat(50), { maxLength: 6 }), (portal, cuts) => {
        const whole = run(wholePages(portal), WEEKS);
        const split = run(paged(portal, cuts), WEEKS);
        expect(split).toEqual(whole);
      }),
      { numRuns: 150 },
    );
  });

  it('agrees with a naive record-by-record reading of METRICS.md', () => {
    fc.assert(
      fc.property(portalRecords, (portal) => {
        const result = run(wholePages(portal), [PERIOD]);
        const expected = oracle(portal, PERIOD);
        expect(result.skipped).toBe(expected.skipped);
        const actual = new Map(result.buckets[0].owners);
        actual.set('', result.buckets[0].unassigned);
        for (const key of new Set([...actual.keys(), ...expected.counts.keys()])) {
          expect([key, actual.get(key) ?? zeroCounts()]).toEqual([
            key,
            expected.counts.get(key) ?? zeroCounts(),
          ]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('counts `skipped` exactly as DECIDING_TIMESTAMPS describes', () => {
    fc.assert(
      fc.property(portalRecords, (portal) => {
        expect(run(wholePages(portal), [PERIOD]).skipped).toBe(skippedFromDescription(portal));
      }),
      { numRuns: 200 },
    );
  });

  it('weekly buckets sum to the whole period, owner by owner', () => {
    fc.assert(
      fc.property(portalRecords, (portal) => {
        const period = run(wholePages(portal), [PERIOD]);
        const weekly = run(wholePages(portal), WEEKS);
        expect(weekly.skipped).toBe(period.skipped);
        const ids = new Set([...period.buckets[0].owners.keys(), ...weekly.buckets[0].owners.keys()]);
        for (const id of ids) {
          const summed = weekly.buckets.reduce(
            (acc, b) => sumCounts(acc, b.owners.get(id) ?? zeroCounts()),
            zeroCounts(),
          );
          expect(summed).toEqual(period.buckets[0].owners.get(id) ?? zeroCounts());
        }
        const unassigned = weekly.buckets.reduce((acc, b) => sumCounts(acc, b.unassigned), zeroCounts());
        expect(unassigned).toEqual(period.buckets[0].unassigned);
      }),
      { numRuns: 150 },
    );
  });

  it('builds reports that honour the contract: schema, listing, totals, rates', () => {
    fc.assert(
      fc.property(portalRecords, owners, (portal, ownerList) => {
        const result = run(wholePages(portal), [PERIOD]);
        const report = buildMetricsReport({
          portalId: 42,
          timeZone: ZONE,
          period: PERIOD,
          owners: ownerList,
          accumulatorResult: result,
        });
        expect(metricsReportSchema.safeParse(report).success).toBe(true);

        const ids = report.reps.map((r) => r.ownerId);
        expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        for (const o of ownerList) {
          const listed = ids.includes(o.id);
          const counted = COUNT_METRICS.some((m) => (result.buckets[0].owners.get(o.id)?.[m] ?? 0) !== 0);
          expect(listed).toBe(!o.archived || counted);
        }
        const byId = new Map(report.reps.map((r) => [r.ownerId, r]));
        for (const t of report.teams) {
          const members = t.ownerIds.map((id) => byId.get(id)!);
          expect(members.every((m) => m.teamIds.includes(t.teamId))).toBe(true);
          const sums = teamTotals(members.map((m) => m.metrics));
          expect(t.totals).toEqual(sums);
        }
        const all = [
          report.unassigned,
          ...report.reps.map((r) => r.metrics),
          ...report.teams.flatMap((t) => [t.totals, t.median]),
        ];
        for (const m of all) {
          for (const rate of RATE_METRICS) {
            const v = m[rate];
            expect(v === null || (v >= 0 && v <= 1)).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('weekly series partition the period report for every owner', () => {
    fc.assert(
      fc.property(portalRecords, owners, (portal, ownerList) => {
        const report = buildMetricsReport({
          portalId: 42,
          timeZone: ZONE,
          period: PERIOD,
          owners: ownerList,
          accumulatorResult: run(wholePages(portal), [PERIOD]),
        });
        const series = buildWeeklySeries(run(wholePages(portal), WEEKS), WEEKS, ownerList);
        expect([...series.owners.keys()]).toEqual(report.reps.map((r) => r.ownerId));
        for (const rep of report.reps) {
          const points = series.owners.get(rep.ownerId)!;
          expect(points.map((p) => p.weekStart)).toEqual(['2026-10-19', '2026-10-26', '2026-11-02']);
          for (const m of COUNT_METRICS) {
            expect(points.reduce((s, p) => s + p.metrics[m], 0)).toBeCloseTo(rep.metrics[m], 9);
          }
        }
        expect([...series.teamMedians.keys()]).toEqual(report.teams.map((t) => t.teamId));
      }),
      { numRuns: 100 },
    );
  });
});
