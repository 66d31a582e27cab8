/**
 * The weekly training-rules job end to end (issue 4 item 9; threats F1, F4, D6): the backend booted
 * through startBackend on SQLite and a sandbox holding the demo portal at its full size (so weekly
 * rates have enough sample to be judged), the default rules and the demo catalogue. Settings are
 * changed through the signed admin API; tasks are counted in the sandbox.
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { DEFAULT_RULES } from '../../../src/functions/training/default-catalogue.js';
import { trainingTaskMarker } from '../../../src/functions/training/assign-training.js';
import { createHubSpotGateway, createInProcessThrottle } from '../../../src/hubspot/index.js';
import type { Backend } from '../../../src/server/boot.js';
import type { DemoPortalFixture } from '../../../src/sandbox/demo-portal/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import type { TrainingAssignment } from '../../../src/store/coaching-ports.js';
import { signRequest } from '../../support/signer.js';
import { startDemoBackend, type DemoBackend } from '../../support/demo-backend.js';

const SECRET = 'training-rules-client-secret-0123';
const LOW_CONNECT = '61400270';
const OPS_ADMIN_OWNER = '61400114';

let fixture: DemoPortalFixture;
let sandbox: Sandbox;
let backend: Backend;
let demo: DemoBackend;
let adminUserId: number;

beforeAll(async () => {
  demo = await startDemoBackend({
    secret: SECRET,
    prefix: 'pillars-training-rules-',
    size: 30_000,
    boot: { webhooks: { autostart: false } },
  });
  ({ fixture, sandbox, backend } = demo);
  adminUserId = Number(fixture.owners.find((o) => o.id === OPS_ADMIN_OWNER)?.userId);
}, 120_000);

const throttle = createInProcessThrottle();

afterAll(async () => {
  await demo.close();
  await throttle.close();
});

async function putRules(value: unknown): Promise<void> {
  const url = `${backend.url}/api/v1/settings/training-rules?portalId=${backend.portalId}&userId=${adminUserId}`;
  const body = JSON.stringify({ value, idempotencyKey: randomUUID() });
  const res = await fetch(url, {
    method: 'PUT',
    body,
    headers: {
      'content-type': 'application/json',
      ...signRequest({ method: 'PUT', url, body, secret: SECRET, timestamp: Date.now() }),
    },
  });
  expect(res.status).toBe(200);
}

function tasksMarked(assignmentId: string): string[] {
  const marker = trainingTaskMarker(assignmentId);
  return sandbox
    .portal(backend.portalId)
    .records('tasks')
    .filter((t) => String(t.properties.hs_task_body ?? '').includes(marker))
    .map((t) => t.id);
}

function automaticPerRep(all: readonly TrainingAssignment[]): Map<string, number> {
  const perRep = new Map<string, number>();
  for (const a of all) {
    if (a.source !== 'coach') perRep.set(a.repOwnerId, (perRep.get(a.repOwnerId) ?? 0) + 1);
  }
  return perRep;
}

test('cap of 1: the low-connect rep gets the cold-calling module first, the cap holds back the rest', async () => {
  await putRules({ ...DEFAULT_RULES, monthlyCap: 1 });
  const started = Date.now();
  const summary = await backend.training.runRules();
  const ms = Date.now() - started;
  expect(summary.status).toBe('ran');
  expect(summary.fired).toBeGreaterThan(0);
  expect(summary.held.capReached).toBeGreaterThanOrEqual(1);
  const lowConnect = (
    await backend.store.trainingAssignments.listForRep(backend.portalId, LOW_CONNECT)
  ).filter((a) => a.source !== 'coach');
  expect(lowConnect.map((a) => a.moduleId)).toEqual(['cold-call-openers']);
  expect(lowConnect[0]).toMatchObject({
    source: 'rule',
    ruleId: 'connect-gap',
    metric: 'connectRate',
    status: 'open',
  });
  expect(lowConnect[0]?.reason).toMatch(/connectRate below the team median/);
  expect(tasksMarked(lowConnect[0]?.id ?? '')).toEqual([lowConnect[0]?.taskId]);
  const task = sandbox.portal(backend.portalId).get('tasks', lowConnect[0]?.taskId ?? '');
  expect(task?.properties.hubspot_owner_id).toBe(LOW_CONNECT);
  expect(String(task?.properties.hs_task_body)).toContain(
    'https://training.pillars.example/modules/cold-call-openers',
  );
  const all = await backend.store.trainingAssignments.listForPortal(backend.portalId);
  expect(Math.max(...automaticPerRep(all).values())).toBe(1);
  process.stdout.write(
    `training-rules, demo portal (size 30000): ${ms} ms, ${JSON.stringify({ ...summary, items: summary.items.length })}\n`,
  );
}, 180_000);

test('two concurrent runs of a week: one claim, each assignment and task once; a third run skips', async () => {
  await putRules(DEFAULT_RULES);
  const week = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
  const before = sandbox.portal(backend.portalId).count('tasks');
  const [a, b] = await Promise.all([
    backend.training.runRules({ week }),
    backend.training.runRules({ week }),
  ]);
  expect([a.status, b.status].sort()).toEqual(['ran', 'skipped']);
  const ran = a.status === 'ran' ? a : b;
  expect(ran.assigned).toBeGreaterThanOrEqual(1);
  process.stdout.write(
    `training-rules, previous week: ${ran.ms} ms with ${ran.weeksComputed} week(s) computed, assigned ${ran.assigned}\n`,
  );
  expect(sandbox.portal(backend.portalId).count('tasks') - before).toBe(ran.tasksCreated);
  expect(await backend.training.runRules({ week })).toMatchObject({ status: 'skipped', skipped: 'done' });
  const all = await backend.store.trainingAssignments.listForPortal(backend.portalId);
  for (const x of all) expect(tasksMarked(x.id)).toEqual([x.taskId]);
  const open = all.filter((x) => x.status === 'open').map((x) => `${x.repOwnerId}/${x.moduleId}`);
  expect(new Set(open).size).toBe(open.length);
  expect(Math.max(...automaticPerRep(all).values())).toBeLessThanOrEqual(DEFAULT_RULES.monthlyCap);
}, 180_000);

test('two concurrent assigns below the job (no job lease) still create one task', async () => {
  const ctx = {
    portalId: backend.portalId,
    hubspot: jobGateway(),
    now: () => new Date(),
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  };
  const request = {
    repOwnerId: '61400296',
    moduleId: 'booking-the-meeting',
    source: 'rule' as const,
    ruleId: 'manual',
    reason: 'Concurrency check.',
    metric: null,
  };
  const [x, y] = await Promise.all([
    backend.training.assign.assign(request, ctx),
    backend.training.assign.assign(request, ctx),
  ]);
  expect(x.assignment.id).toBe(y.assignment.id);
  expect([x.created, y.created].sort()).toEqual([false, true]);
  expect([x.taskCreated, y.taskCreated].filter(Boolean)).toHaveLength(1);
  expect(tasksMarked(x.assignment.id)).toHaveLength(1);
}, 60_000);

function jobGateway() {
  return createHubSpotGateway({
    portalId: backend.portalId,
    accessToken: sandbox.tokenFor(backend.portalId),
    basePath: sandbox.baseUrl,
    throttle,
    logger: pino({ level: 'silent' }),
  });
}
