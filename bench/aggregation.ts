/**
 * Aggregation benchmark: the metrics engine over N generated engagement records (default 1,000,000),
 * side by side in one process with a straightforward baseline that loads everything, then groups
 * with arrays. Prints records per second and peak heap for both.
 *
 *   npm run bench:aggregation [-- 1000000]
 */
import type { CrmRecord } from '../src/core/crm.js';
import {
  connectedOutcomeIds,
  createMetricsAccumulator,
  type MetricObjectType,
} from '../src/core/metrics/index.js';
import { BENCH_END, BENCH_START, CONNECTED, syntheticPages } from './synthetic-records.js';

const total = Number(process.argv[2] ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:aggregation does)');

interface Outcome {
  name: string;
  ms: number;
  peakHeapMb: number;
  dials: number;
}

/** Sample heap use while `fn` runs; returns the peak above the starting point. */
async function measure(name: string, fn: () => Promise<number>): Promise<Outcome> {
  gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 5);
  // let the sampler start
  await new Promise((r) => setTimeout(r, 10));
  const t0 = performance.now();
  const dials = await fn();
  const ms = performance.now() - t0;
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  clearInterval(timer);
  return { name, ms, peakHeapMb: (peak - base) / 1048576, dials };
}

// The heap sampler needs the event loop: both runs yield every 100 pages, equally.
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

async function engine(): Promise<number> {
  const acc = createMetricsAccumulator({
    buckets: [{ startMs: BENCH_START, endMs: BENCH_END }],
    connectedOutcomes: connectedOutcomeIds([{ id: CONNECTED, label: 'Connected' }]),
  });
  let pages = 0;
  for (const page of syntheticPages(total)) {
    acc.add(page.type, page.records);
    if (++pages % 100 === 0) await tick();
  }
  let dials = 0;
  for (const counts of acc.result().buckets[0]?.owners.values() ?? []) dials += counts.dials;
  return dials;
}

async function baseline(): Promise<number> {
  const all: { type: MetricObjectType; record: CrmRecord }[] = [];
  let pages = 0;
  for (const page of syntheticPages(total)) {
    for (const record of page.records) all.push({ type: page.type, record });
    if (++pages % 100 === 0) await tick();
  }
  const byOwner = new Map<string, { type: MetricObjectType; record: CrmRecord }[]>();
  for (const item of all) {
    const owner = item.record.properties.hubspot_owner_id ?? '';
    const list = byOwner.get(owner) ?? [];
    list.push(item);
    byOwner.set(owner, list);
  }
  let dials = 0;
  await tick();
  for (const items of byOwner.values()) {
    await tick();
    const inRange = items.filter((i) => {
      const t = Date.parse(i.record.properties.hs_timestamp ?? '');
      return t >= BENCH_START && t < BENCH_END;
    });
    const calls = inRange.filter((i) => i.type === 'calls');
    const ownerDials = calls.filter((i) => i.record.properties.hs_call_direction !== 'INBOUND');
    const connects = ownerDials.filter((i) => i.record.properties.hs_call_disposition === CONNECTED);
    const talk = connects.reduce((s, i) => s + Number(i.record.properties.hs_call_duration ?? 0), 0);
    const sent = inRange.filter(
      (i) => i.type === 'emails' && i.record.properties.hs_email_direction === 'EMAIL',
    );
    const held = inRange.filter(
      (i) => i.type === 'meetings' && i.record.properties.hs_meeting_outcome === 'COMPLETED',
    );
    const tasks = inRange.filter(
      (i) => i.type === 'tasks' && i.record.properties.hs_task_status === 'COMPLETED',
    );
    void [talk, sent.length, held.length, tasks.length];
    dials += ownerDials.length;
  }
  return dials;
}

async function generationOnly(): Promise<number> {
  let n = 0;
  for (const page of syntheticPages(total)) {
    n += page.records.length;
    if (n % 20_000 === 0) await tick();
  }
  return n;
}

const results: Outcome[] = [];
results.push(await measure('generation only (cost included in both rows)', generationOnly));
results.push(await measure('engine (streaming, page by page)', engine));
results.push(await measure('baseline (load all, group with arrays)', baseline));
const engineRun = results[1];
const baselineRun = results[2];
if (engineRun && baselineRun && engineRun.dials !== baselineRun.dials) {
  throw new Error(`engine and baseline disagree on dials: ${engineRun.dials} vs ${baselineRun.dials}`);
}

console.log(`Aggregation over ${total.toLocaleString('en-US')} engagement records (Node ${process.version})`);
console.log('run                                            ms    records/s   peak heap MB');
for (const r of results) {
  console.log(
    `${r.name.padEnd(44)} ${r.ms.toFixed(0).padStart(6)} ${Math.round((total / r.ms) * 1000)
      .toLocaleString('en-US')
      .padStart(12)} ${r.peakHeapMb.toFixed(1).padStart(14)}`,
  );
}
if (engineRun && baselineRun) {
  console.log(
    `engine vs baseline: ${(baselineRun.ms / engineRun.ms).toFixed(2)}× faster, ${(baselineRun.peakHeapMb / Math.max(engineRun.peakHeapMb, 0.1)).toFixed(1)}× less peak heap`,
  );
}
