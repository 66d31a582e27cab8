/**
 * Memory benchmark: peak RSS of the process computing one quarter's metrics, for a 100,000- and a
 * 1,000,000-engagement demo portal. The sandbox runs in its own process so only the metrics process
 * is measured. Goal: within ±20 % of each other (memory must not grow with the engagements).
 *
 *   npm run bench:memory [-- 100000 1000000]
 */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2).map(Number);
const SIZES = args.length > 0 ? args : [100_000, 1_000_000];

async function withSandbox<T>(size: number, fn: (baseUrl: string, token: string) => Promise<T>): Promise<T> {
  const child = spawn(
    process.execPath,
    ['bin/pillars.js', 'sandbox', '--size', String(size), '--port', '0', '--latency', '0', '--no-limits'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    const lines = createInterface({ input: child.stdout });
    const baseUrl = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
    });
    const token = `sandbox-token-100001`;
    return await fn(baseUrl.trim(), token);
  } finally {
    child.kill('SIGTERM');
  }
}

const results: { size: number; maxRssMb: number; records: number; seconds: number }[] = [];
for (const size of SIZES) {
  const r = await withSandbox(size, async (baseUrl, token) => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bench/quarter-metrics-child.ts', baseUrl, token],
      { cwd: root, maxBuffer: 1024 * 1024 },
    );
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
      maxRssMb: number;
      records: number;
      seconds: number;
    };
  });
  results.push({ size, ...r });
}
console.log('One quarter (2026-08-03 to 2026-11-02) of metrics, metrics process only:');
for (const r of results) {
  console.log(
    `  ${r.size.toLocaleString('en-US').padStart(9)} engagements: ${r.records.toLocaleString('en-US').padStart(7)} records read in ${r.seconds.toFixed(1)} s, peak RSS ${r.maxRssMb.toFixed(0)} MB`,
  );
}
const [small, large] = results;
if (small && large) {
  const change = ((large.maxRssMb - small.maxRssMb) / small.maxRssMb) * 100;
  console.log(
    `  peak RSS change from smallest to largest: ${change >= 0 ? '+' : ''}${change.toFixed(1)} % (goal within ±20 %)`,
  );
}
