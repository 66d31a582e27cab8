/**
 * End-to-end benchmark: `pillars metrics --fixture F --week W --json --stats` as a real process, for
 * one week of a 100,000-engagement demo portal, with the sandbox's default latency. Prints wall time
 * and request count next to the minimum HubSpot's rate limits allow (5 searches/s, 110 requests/10 s).
 *
 *   npm run bench:e2e [-- 100000]
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_SANDBOX_LATENCY_MS } from '../src/cli/portal-session.js';
import { generateDemoPortal, writePortalFixture } from '../src/sandbox/demo-portal/index.js';

const size = Number(process.argv[2] ?? 100_000);
const root = join(import.meta.dirname, '..');
const out = join(root, 'bench', 'out');
mkdirSync(out, { recursive: true });
const file = join(out, `demo-${size}.json`);
if (!existsSync(file))
  await writePortalFixture(generateDemoPortal({ seed: 1, size, anchor: '2026-11-25' }), file);

const METADATA_CALLS = 4;
const t0 = performance.now();
const { stdout, stderr } = await promisify(execFile)(
  process.execPath,
  ['bin/pillars.js', 'metrics', '--week', '2026-11-16', '--fixture', file, '--json', '--stats'],
  { cwd: root, maxBuffer: 64 * 1024 * 1024 },
);
const wall = (performance.now() - t0) / 1000;
const report = JSON.parse(stdout) as { reps: unknown[] };
const match = /stats: (\d+) HubSpot requests, ([\d.]+) s, peak RSS (\d+) MB/.exec(stderr);
if (!match) throw new Error(`no stats line in: ${stderr}`);
const requests = Number(match[1]);
const searches = requests - METADATA_CALLS;
const minimum = Math.max((searches - 1) / 5, (METADATA_CALLS - 1) / 11) + DEFAULT_SANDBOX_LATENCY_MS / 1000;
console.log(
  `pillars metrics --fixture (${size.toLocaleString('en-US')} engagements), one week, ${report.reps.length} reps, sandbox latency ${DEFAULT_SANDBOX_LATENCY_MS} ms`,
);
console.log(`  process wall time ${wall.toFixed(2)} s (fixture load and sandbox start included)`);
console.log(
  `  metrics run       ${match[2]} s for ${requests} requests (${searches} searches), peak RSS ${match[3]} MB`,
);
console.log(
  `  rate-limit floor  ${minimum.toFixed(2)} s for those requests at 5 searches/s; run/floor ${(Number(match[2]) / minimum).toFixed(2)}×`,
);
