/**
 * `pillars digest` on the generated demo portal (its default source: no fixture, no token), anchored on
 * the coaching suites' DEMO_ANCHOR and asked for the week of 2026-11-16, so the packs read the same
 * complete weeks whatever day the test runs. The runs share one SQLite file: the first computes and
 * stores the weekly snapshots, the next ones read them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { weeklyPackSchema } from '@pillars/contracts';
import { run } from '../../../src/cli/main.js';
import type { CliIo } from '../../../src/cli/io.js';

const DEMO = ['--anchor', '2026-11-25', '--week', '2026-11-16', '--latency', '0'];

let dir: string;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pillars-digest-'));
  env = { SQLITE_FILE: join(dir, 'pillars.sqlite') };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

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

test('--team --json prints one WeeklyPack naming the right people for the right reasons', async () => {
  const { code, stdout, stderr } = await cli(['digest', '--team', '8010002', ...DEMO, '--json']);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const pack = weeklyPackSchema.parse(JSON.parse(stdout));
  expect(pack.team).toEqual({ id: '8010002', name: 'New Business West' });
  expect(pack.weekStart).toBe('2026-11-16');
  const byId = new Map(pack.members.map((m) => [m.ownerId, m]));
  expect(byId.get('61400270')).toMatchObject({ status: 'off-pace', diagnosis: { weakestStep: 'connect' } });
  expect(byId.get('61400283')).toMatchObject({ status: 'off-pace', diagnosis: { weakestStep: 'held' } });
  expect(byId.get('61400296')?.status).toBe('not-enough-data');
  const stalled = pack.stalledDeals.filter((d) => d.ownerId === '61400257' && d.age === 'stalled');
  expect(stalled.length).toBeGreaterThanOrEqual(3);
  expect(stalled.every((d) => d.stageId === 'presentationscheduled')).toBe(true);
}, 120_000);

test('text: every team, with headed sections, names and reasons in words', async () => {
  const { code, stdout } = await cli(['digest', ...DEMO]);
  expect(code).toBe(0);
  for (const heading of [
    'Weekly meeting pack: New Business East (team 8010001)',
    'Weekly meeting pack: New Business West (team 8010002)',
    'Weekly meeting pack: Account Management (team 8010003)',
    'Scoreboard, week of 2026-11-16',
    'Off pace, and why',
    'Wins to praise',
    "Deals past their stage's usual time",
    'Training',
    'Module effects',
  ])
    expect(stdout).toContain(heading);
  const west = stdout.slice(stdout.indexOf('Weekly meeting pack: New Business West'));
  const section = (from: string, to: string) => west.slice(west.indexOf(from), west.indexOf(to));
  const offPace = section('Off pace, and why', 'Not enough data to judge');
  expect(offPace).toMatch(/- Hannah Kim:\n\s+Weakest step: connect rate/);
  expect(offPace).toMatch(/- Marco Rossi:\n\s+Weakest step: meeting held rate/);
  expect(offPace).not.toContain('Grace Liu');
  expect(section('Not enough data to judge', 'Wins to praise')).toMatch(/- Grace Liu: Not enough data/);
  expect(section("Deals past their stage's usual time", 'Training')).toMatch(
    /\(Diego Alvarez\): \d+ days in Presentation scheduled .*: stalled\./,
  );
  const east = stdout.slice(stdout.indexOf('Weekly meeting pack: New Business East'));
  const eastPraise = east.slice(
    east.indexOf('Wins to praise'),
    east.indexOf("Deals past their stage's usual time"),
  );
  expect(eastPraise).toContain("Kevin O'Brien");
}, 120_000);

test('--json without --team prints an array of packs, one per team', async () => {
  const { code, stdout } = await cli(['digest', ...DEMO, '--json']);
  expect(code).toBe(0);
  const packs = z.array(weeklyPackSchema).parse(JSON.parse(stdout));
  expect(packs.map((p) => p.team.id).sort()).toEqual(['8010001', '8010002', '8010003']);
}, 120_000);

test('bad options are refused with a message naming them', async () => {
  const { code, stderr } = await cli(['digest', '--team', 'east']);
  expect(code).toBe(2);
  expect(stderr).toContain('--team');
});
