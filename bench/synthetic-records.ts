/**
 * Deterministic synthetic engagement pages for benchmarks: the shapes HubSpot's search returns
 * (string properties), spread over a quarter, 40 owners, generated page by page so a consumer that
 * streams never holds more than one page.
 */
import type { CrmRecord } from '../src/core/crm.js';
import type { MetricObjectType } from '../src/core/metrics/index.js';

export const CONNECTED = 'f240bbac-87c9-4f6e-bf70-924b57d47db7';
export const BENCH_START = Date.parse('2026-08-03T04:00:00Z');
export const BENCH_END = Date.parse('2026-11-02T05:00:00Z');
const TYPES: MetricObjectType[] = [
  'calls',
  'calls',
  'calls',
  'emails',
  'emails',
  'meetings',
  'notes',
  'tasks',
];
const OUTCOMES = [CONNECTED, '73a0d17f-1163-4015-bdd5-ec830791da20', 'b2cf5968-551e-4856-9783-52b3da59a7d0'];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pages of `pageSize` records, `total` in all, each tagged with its object type. */
export function* syntheticPages(
  total: number,
  pageSize = 200,
  seed = 7,
): Generator<{ type: MetricObjectType; records: CrmRecord[] }> {
  const random = mulberry32(seed);
  const span = BENCH_END - BENCH_START;
  let made = 0;
  while (made < total) {
    const type = TYPES[Math.floor(random() * TYPES.length)] ?? 'calls';
    const n = Math.min(pageSize, total - made);
    const records: CrmRecord[] = new Array<CrmRecord>(n);
    for (let i = 0; i < n; i++) {
      const ts = new Date(BENCH_START + Math.floor(random() * span)).toISOString();
      const owner = String(100 + Math.floor(random() * 40));
      const r = random();
      let properties: Record<string, string>;
      switch (type) {
        case 'calls':
          properties = {
            hs_timestamp: ts,
            hubspot_owner_id: owner,
            hs_call_direction: r < 0.9 ? 'OUTBOUND' : 'INBOUND',
            hs_call_disposition: OUTCOMES[Math.floor(random() * 3)] ?? CONNECTED,
            hs_call_duration: String(Math.floor(random() * 300_000)),
          };
          break;
        case 'emails':
          properties = {
            hs_timestamp: ts,
            hubspot_owner_id: owner,
            hs_email_direction: r < 0.7 ? 'EMAIL' : 'INCOMING_EMAIL',
            hs_email_status: 'SENT',
          };
          break;
        case 'meetings':
          properties = {
            hs_timestamp: ts,
            hs_meeting_start_time: ts,
            hs_createdate: ts,
            hubspot_owner_id: owner,
            hs_meeting_outcome: r < 0.75 ? 'COMPLETED' : 'NO_SHOW',
          };
          break;
        case 'tasks':
          properties = {
            hs_timestamp: ts,
            hubspot_owner_id: owner,
            hs_task_status: 'COMPLETED',
            hs_task_completion_date: ts,
          };
          break;
        default:
          properties = { hs_timestamp: ts, hubspot_owner_id: owner };
      }
      records[i] = { id: String(made + i + 1), properties };
    }
    made += n;
    yield { type, records };
  }
}
