/**
 * `pillars process-report --fixture F [--json]` on the contract fixture, reading a SQLite store
 * seeded with one waiver (as `pillars snapshot` does, the CLI uses SQLITE_FILE).
 * In 2026-11-01..2026-11-09 the fixture closes 3002 (won) and 3003 (lost) in the default pipeline;
 * 3002 carries the waiver, so the win rate with the skip is 1 of 1 and without it 0 of 1.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processReportSchema } from '@pillars/contracts';
import { run } from '../../../src/cli/main.js';
import type { CliIo } from '../../../src/cli/io.js';
import { openStore } from '../../../src/store/open-store.js';

const FIXTURE = join(__dirname, '../../fixtures/portal-contract.json');
const PERIOD = ['--from', '2026-11-01', '--to', '2026-11-09'];
const CRITERION = 'presentationscheduled.time';

let dir: string;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pillars-process-report-'));
  env = { SQLITE_FILE: join(dir, 'pillars.sqlite') };
  const store = await openStore({ kind: 'sqlite', file: join(dir, 'pillars.sqlite') });
  try {
    const portalId = await portalIdOfFixture();
    await store.waivers.waive({
      portalId,
      dealId: '3002',
      criterionId: CRITERION,
      stageId: 'presentationscheduled',
      reason: 'champion already saw the demo',
      userId: 1,
      createdAt: new Date('2026-11-04T15:00:00.000Z'),
    });
  } finally {
    await store.close();
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function portalIdOfFixture(): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const fixture = JSON.parse(await readFile(FIXTURE, 'utf8')) as { portal: { portalId: number } };
  return fixture.portal.portalId;
}

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = {
    stderrIsTty: false,
    env,
    stdout(t: string) {
      out += t;
    },
    stderr(t: string) {
      err += t;
    },
  };
  const code = await run(['node', 'pillars', ...args], io);
  return { code, stdout: out, stderr: err };
}

test('--json prints the ProcessReport contract with counts and win rates with their n', async () => {
  const { code, stdout, stderr } = await cli([
    'process-report',
    ...PERIOD,
    '--fixture',
    FIXTURE,
    '--latency',
    '0',
    '--json',
  ]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const report = processReportSchema.parse(JSON.parse(stdout));
  const pipeline = report.pipelines.find((p) => p.pipelineId === 'default');
  expect(pipeline?.closedDeals).toBe(2);
  expect(pipeline?.criteria).toHaveLength(1);
  expect(pipeline?.criteria[0]).toMatchObject({
    criterionId: CRITERION,
    waived: 1,
    leftUnmet: 0,
    skipped: 1,
    reasonsSample: ['champion already saw the demo'],
    winRateWithSkip: { n: 1, won: 1, rate: 1 },
    winRateWithoutSkip: { n: 1, won: 0, rate: 0 },
  });
});

test('without --json it prints a table, every rate with its n', async () => {
  const { code, stdout } = await cli(['process-report', ...PERIOD, '--fixture', FIXTURE, '--latency', '0']);
  expect(code).toBe(0);
  expect(stdout).toContain('Process report 2026-11-01 to 2026-11-09');
  expect(stdout).toMatch(/win rate skipped\s+win rate not skipped/);
  expect(stdout).toMatch(/100% of 1\s+0% of 1/);
});
