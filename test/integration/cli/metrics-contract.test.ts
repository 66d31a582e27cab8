/**
 * `pillars metrics --fixture F --json` against METRICS.md §4, on a hand-built fixture whose every
 * number was worked out by hand from the definitions (not by the engine). It runs the CLI in-process
 * through the real sandbox and HubSpot client, and once as a real child process through bin/pillars.js.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { metricsReportSchema, type Metrics, ZERO_METRICS } from '@pillars/contracts';
import { run } from '../../../src/cli/main.js';
import type { CliIo } from '../../../src/cli/io.js';

const FIXTURE = join(__dirname, '../../fixtures/portal-contract.json');
const WEEK = ['--from', '2026-11-02', '--to', '2026-11-09'];

function captureIo(env: Record<string, string | undefined> = {}): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stderrIsTty: false,
    env,
    stdout(t: string) {
      io.out += t;
    },
    stderr(t: string) {
      io.err += t;
    },
  };
  return io;
}

async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const io = captureIo(env);
  const code = await run(['node', 'pillars', ...args], io);
  return { code, stdout: io.out, stderr: io.err };
}

const zero: Metrics = { ...ZERO_METRICS };
const m = (over: Partial<Metrics>): Metrics => ({ ...zero, ...over });

// Ana: two dials (one with no direction), both connected (default and custom " connected " outcome);
// one inbound; a sent and a status-less email (the scheduled one does not count); booked the 11-12
// meeting; held one, one canceled; a note; one completed task; one deal created; one won for 5000.
const ana = m({
  dials: 2,
  connects: 2,
  connectRate: 1,
  talkTimeMs: 244_000,
  inboundCalls: 1,
  emailsSent: 2,
  meetingsBooked: 1,
  meetingsScheduled: 2,
  meetingsHeld: 1,
  meetingsCanceled: 1,
  meetingHeldRate: 1,
  notes: 1,
  tasksCompleted: 1,
  dealsCreated: 1,
  dealsWon: 1,
  winRate: 1,
  wonAmount: 5000,
});
// Bob: the dial at local midnight counts, the one at the next local midnight does not; a received
// email (the failed one is not sent); a meeting booked and no-showed (start from hs_timestamp), one
// rescheduled; a lost deal; the deal won the week before does not count.
const bob = m({
  dials: 2,
  connects: 0,
  connectRate: 0,
  emailsReceived: 1,
  meetingsBooked: 1,
  meetingsScheduled: 2,
  meetingsNoShow: 1,
  meetingHeldRate: 0,
  dealsLost: 1,
  winRate: 0,
});
const cy = m({ dials: 1, connectRate: 0 });
const unknown = m({ dials: 1, connects: 1, connectRate: 1 });

const expected = {
  portalId: 123,
  timeZone: 'America/New_York',
  period: {
    from: '2026-11-02',
    to: '2026-11-09',
    startUtc: '2026-11-02T05:00:00.000Z',
    endUtc: '2026-11-09T05:00:00.000Z',
  },
  reps: [
    {
      ownerId: '101',
      name: 'Ana Diaz',
      email: 'ana@example.com',
      archived: false,
      teamIds: ['7'],
      metrics: ana,
    },
    {
      ownerId: '102',
      name: 'Bob Lee',
      email: 'bob@example.com',
      archived: false,
      teamIds: ['7'],
      metrics: bob,
    },
    { ownerId: '103', name: 'Cy Gone', email: 'cy@example.com', archived: true, teamIds: ['7'], metrics: cy },
    {
      ownerId: '104',
      name: 'Dee West',
      email: 'dee@example.com',
      archived: false,
      teamIds: ['8'],
      metrics: zero,
    },
    { ownerId: '999', name: null, email: null, archived: false, teamIds: [], metrics: unknown },
  ],
  teams: [
    {
      teamId: '7',
      name: 'East',
      ownerIds: ['101', '102', '103'],
      // sums over Ana, Bob and the archived Cy; rates from the sums
      totals: m({
        dials: 5,
        connects: 2,
        connectRate: 0.4,
        talkTimeMs: 244_000,
        inboundCalls: 1,
        emailsSent: 2,
        emailsReceived: 1,
        meetingsBooked: 2,
        meetingsScheduled: 4,
        meetingsHeld: 1,
        meetingsNoShow: 1,
        meetingsCanceled: 1,
        meetingHeldRate: 0.5,
        notes: 1,
        tasksCompleted: 1,
        dealsCreated: 1,
        dealsWon: 1,
        dealsLost: 1,
        winRate: 0.5,
        wonAmount: 5000,
      }),
      // medians over the active members Ana and Bob only: the mean of the two
      median: m({
        dials: 2,
        connects: 1,
        connectRate: 0.5,
        talkTimeMs: 122_000,
        inboundCalls: 0.5,
        emailsSent: 1,
        emailsReceived: 0.5,
        meetingsBooked: 1,
        meetingsScheduled: 2,
        meetingsHeld: 0.5,
        meetingsNoShow: 0.5,
        meetingsCanceled: 0.5,
        meetingHeldRate: 0.5,
        notes: 0.5,
        tasksCompleted: 0.5,
        dealsCreated: 0.5,
        dealsWon: 0.5,
        dealsLost: 0.5,
        winRate: 0.5,
        wonAmount: 2500,
      }),
    },
    { teamId: '8', name: 'West', ownerIds: ['104'], totals: zero, median: zero },
  ],
  unassigned: m({ dials: 1, connectRate: 0 }),
  // the call without hs_timestamp and the completed task without a completion date
  skipped: 2,
};

describe('pillars metrics --json on a fixture (METRICS.md §4)', () => {
  test('prints exactly the contract document', async () => {
    const { code, stdout, stderr } = await cli([
      'metrics',
      ...WEEK,
      '--fixture',
      FIXTURE,
      '--json',
      '--latency',
      '0',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report: unknown = JSON.parse(stdout);
    expect(report).toEqual(expected);
    expect(metricsReportSchema.safeParse(report).success).toBe(true);
    expect(stdout.trim().split('\n').length).toBeGreaterThan(1); // one pretty-printed document
  });

  test('--week gives the same Monday-to-Monday period', async () => {
    const { code, stdout } = await cli([
      'metrics',
      '--week',
      '2026-11-05',
      '--fixture',
      FIXTURE,
      '--json',
      '--latency',
      '0',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(expected);
  });

  test('--team narrows reps and teams; totals and median stay whole-team', async () => {
    const { code, stdout } = await cli([
      ...['metrics', ...WEEK],
      '--fixture',
      FIXTURE,
      '--json',
      '--team',
      '8',
      '--latency',
      '0',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as typeof expected;
    expect(report.reps.map((r) => r.ownerId)).toEqual(['104']);
    expect(report.teams.map((t) => t.teamId)).toEqual(['8']);
  });

  test('the table view names reps, teams and the skipped count', async () => {
    const { code, stdout } = await cli(['metrics', ...WEEK, '--fixture', FIXTURE, '--latency', '0']);
    expect(code).toBe(0);
    expect(stdout).toContain('Ana Diaz');
    expect(stdout).toContain('Cy Gone (archived)');
    expect(stdout).toContain('East median');
    expect(stdout).toContain('2 records skipped');
  });
});

describe('bad input: a clear message, a non-zero exit and no partial output', () => {
  const cases: [string, string[], RegExp][] = [
    ['an impossible date', ['--from', '2026-02-30', '--to', '2026-03-02'], /real calendar date/],
    ['a malformed date', ['--from', '11/02/2026', '--to', '2026-11-09'], /from/],
    ['reversed dates', ['--from', '2026-11-09', '--to', '2026-11-02'], /after/],
    ['a range over a year', ['--from', '2025-01-01', '--to', '2026-11-09'], /one year/],
    ['--to without --from', ['--to', '2026-11-09'], /from and to/],
    ['an unknown owner', [...WEEK, '--owner', '101,555'], /unknown owner id: 555/],
    ['an unknown team', [...WEEK, '--team', '42'], /unknown team id: 42/],
  ];
  test.each(cases)('%s', async (_name, args, message) => {
    const { code, stdout, stderr } = await cli([
      'metrics',
      ...args,
      '--fixture',
      FIXTURE,
      '--json',
      '--latency',
      '0',
    ]);
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  test('a missing fixture file', async () => {
    const { code, stdout, stderr } = await cli([
      'metrics',
      ...WEEK,
      '--fixture',
      '/nonexistent/portal.json',
      '--json',
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/cannot read fixture \/nonexistent\/portal.json: ENOENT/);
  });

  test('a malformed fixture names the JSON path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pillars-cli-'));
    const file = join(dir, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({ portal: { portalId: 1, timeZone: 'UTC' }, objects: { calls: [{ properties: {} }] } }),
    );
    const { code, stdout, stderr } = await cli(['metrics', ...WEEK, '--fixture', file, '--json']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/\$\.objects\.calls\[0\]\.id/);
  });

  test('no fixture and no token: the message names the variable', async () => {
    const { code, stdout, stderr } = await cli(['metrics', ...WEEK, '--json'], {});
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/HUBSPOT_ACCESS_TOKEN/);
  });
});

describe('the real executable', () => {
  test('bin/pillars.js prints one JSON document on stdout and nothing else', async () => {
    const exec = promisify(execFile);
    const { stdout, stderr } = await exec(
      process.execPath,
      ['bin/pillars.js', 'metrics', ...WEEK, '--fixture', FIXTURE, '--json', '--latency', '0'],
      { cwd: join(__dirname, '../../..'), env: { ...process.env, HUBSPOT_ACCESS_TOKEN: '' } },
    );
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual(expected);
  }, 30_000);

  test('a failure exits non-zero with the message on stderr and an empty stdout', async () => {
    const exec = promisify(execFile);
    const failure = await exec(
      process.execPath,
      [
        'bin/pillars.js',
        'metrics',
        '--from',
        '2026-11-09',
        '--to',
        '2026-11-02',
        '--fixture',
        FIXTURE,
        '--json',
      ],
      {
        cwd: join(__dirname, '../../..'),
      },
    ).then(
      () => null,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(failure).not.toBeNull();
    expect(failure?.code).toBe(2);
    expect(failure?.stdout).toBe('');
    expect(failure?.stderr).toMatch(/--to must be after --from/);
  }, 30_000);
});
