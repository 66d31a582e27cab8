/**
 * `pillars training-rules`: the weekly job from the command line against a generated demo portal in
 * the CLI's own sandbox, once per week (a rerun of the same week is skipped), as text and JSON.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/main.js';
import { generateDemoPortal } from '../../../src/sandbox/demo-portal/index.js';
import { openSqliteStore } from '../../../src/store/sqlite-store.js';
import type { TrainingRulesSummary } from '../../../src/jobs/training-rules.js';

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
let fixtureFile: string;
let portalId: number;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pillars-training-cli-'));
  const fixture = generateDemoPortal({ seed: 1, size: 3000 });
  portalId = fixture.portal.portalId;
  fixtureFile = join(dir, 'demo.json');
  await writeFile(fixtureFile, JSON.stringify(fixture));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('runs the week once, prints the summary, and a rerun of the week is skipped', async () => {
  const env = { SQLITE_FILE: join(dir, 'p.sqlite') };
  const args = ['training-rules', '--fixture', fixtureFile, '--latency', '0'];
  const first = await cli([...args, '--json'], env);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  const summary = JSON.parse(first.stdout) as TrainingRulesSummary;
  expect(summary).toMatchObject({ status: 'ran', portalId, weeksComputed: 4 });
  expect(summary.assigned).toBe(summary.items.filter((i) => i.outcome === 'assigned').length);

  const second = await cli(args, env);
  expect(second.code).toBe(0);
  expect(second.stdout).toMatch(/skipped, already done/);

  const store = await openSqliteStore({ file: env.SQLITE_FILE });
  try {
    const all = await store.trainingAssignments.listForPortal(portalId);
    expect(all).toHaveLength(summary.assigned);
    expect(all.every((a) => a.taskId !== null)).toBe(true);
    expect(await store.jobRuns.lastFinished(portalId, 'training-rules')).toMatchObject({
      period: summary.weekStart,
    });
  } finally {
    await store.close();
  }
}, 120_000);

test('a bad --week is refused with exit code 2', async () => {
  const bad = await cli(
    ['training-rules', '--week', '2026-02-30', '--fixture', fixtureFile, '--latency', '0'],
    { SQLITE_FILE: join(dir, 'q.sqlite') },
  );
  expect(bad.code).toBe(2);
  expect(bad.stdout).toBe('');
});
