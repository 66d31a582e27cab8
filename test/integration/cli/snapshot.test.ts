/**
 * `pillars snapshot`: one week's metrics stored per rep through the store, idempotently, and a
 * failure leaves nothing half-written.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/main.js';
import { openSqliteStore } from '../../../src/store/sqlite-store.js';

const FIXTURE = join(__dirname, '../../fixtures/portal-contract.json');

async function cli(args: string[], env: Record<string, string | undefined>) {
  const io: CliIo & { out: string; err: string } = {
    out: '',
    err: '',
    stderrIsTty: false,
    env,
    stdout(t) {
      io.out += t;
    },
    stderr(t) {
      io.err += t;
    },
  };
  const code = await run(['node', 'pillars', ...args], io);
  return { code, stdout: io.out, stderr: io.err };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pillars-snapshot-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('stores the week per rep, and a rerun replaces it rather than adding to it', async () => {
  const env = { SQLITE_FILE: join(dir, 'p.sqlite') };
  const args = ['snapshot', '--week', '2026-11-04', '--fixture', FIXTURE, '--latency', '0'];
  const first = await cli(args, env);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/Stored the week of 2026-11-02 for portal 123: 5 reps/);
  expect((await cli(args, env)).code).toBe(0);

  const store = await openSqliteStore({ file: env.SQLITE_FILE });
  try {
    const rows = await store.snapshots.listWeeks(123, { fromWeek: '2026-11-02', toWeek: '2026-11-02' });
    expect(rows.map((r) => r.ownerId)).toEqual(['101', '102', '103', '104', '999']);
    const ana = rows.find((r) => r.ownerId === '101');
    expect(ana?.metrics.dials).toBe(2);
    expect(ana?.metrics.connectRate).toBe(1);
    expect(await store.snapshots.lastRun(123, '2026-11-02')).toMatchObject({ owners: 5 });
  } finally {
    await store.close();
  }
});

test('a failed computation writes nothing', async () => {
  const env = { SQLITE_FILE: join(dir, 'p.sqlite') };
  const bad = await cli(['snapshot', '--week', '2026-02-30', '--fixture', FIXTURE, '--latency', '0'], env);
  expect(bad.code).toBe(2);
  expect(bad.stdout).toBe('');
  const store = await openSqliteStore({ file: env.SQLITE_FILE });
  try {
    expect(await store.snapshots.listWeeks(123, { fromWeek: '2026-01-05', toWeek: '2026-12-28' })).toEqual(
      [],
    );
  } finally {
    await store.close();
  }
});
