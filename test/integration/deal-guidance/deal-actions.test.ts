/**
 * POST /api/v1/deal-guidance/waivers and /follow-up end to end (issue 3 items 6 and 7; threats A5,
 * A6, D6): the backend booted through startBackend on SQLite and a sandbox holding a demo portal,
 * signed POSTs through real HTTP, tasks counted in the sandbox.
 */
import { randomUUID } from 'node:crypto';
import { dealGuidanceSchema, type DealGuidance } from '@pillars/contracts';
import type { Backend } from '../../../src/server/boot.js';
import type { DemoPortalFixture } from '../../../src/sandbox/demo-portal/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { signRequest } from '../../support/signer.js';
import { startDemoBackend, type DemoBackend, stallerOpenDeals } from '../../support/demo-backend.js';

const SECRET = 'deal-actions-client-secret-01234';
const USER_ID = 4242;
const UNMET = 'presentationscheduled.time';

let fixture: DemoPortalFixture;
let sandbox: Sandbox;
let backend: Backend;
let demo: DemoBackend;
let deals: string[];

beforeAll(async () => {
  demo = await startDemoBackend({ secret: SECRET, prefix: 'pillars-deal-actions-' });
  ({ fixture, sandbox, backend } = demo);
  deals = stallerOpenDeals(fixture);
}, 60_000);

afterAll(async () => {
  await demo.close();
});

afterEach(() => sandbox.faults.clear());

function signedPost(path: string, body: unknown): Promise<Response> {
  const url = `${backend.url}${path}?portalId=${backend.portalId}&userId=${USER_ID}`;
  const text = JSON.stringify(body);
  return fetch(url, {
    method: 'POST',
    body: text,
    headers: {
      'content-type': 'application/json',
      ...signRequest({ method: 'POST', url, body: text, secret: SECRET, timestamp: Date.now() }),
    },
  });
}

async function guidance(dealId: string): Promise<DealGuidance> {
  const url = `${backend.url}/api/v1/deal-guidance?dealId=${dealId}&portalId=${backend.portalId}&userId=1`;
  const res = await fetch(url, {
    headers: signRequest({ method: 'GET', url, secret: SECRET, timestamp: Date.now() }),
  });
  expect(res.status).toBe(200);
  return dealGuidanceSchema.parse(await res.json());
}

const followUp = (body: Record<string, unknown>) => signedPost('/api/v1/deal-guidance/follow-up', body);
const waive = (body: Record<string, unknown>) => signedPost('/api/v1/deal-guidance/waivers', body);

/** Tasks associated with the deal in the sandbox. */
function tasksOf(dealId: string): string[] {
  return sandbox
    .portal(backend.portalId)
    .associations('deals', dealId, 'tasks')
    .map((a) => a.id);
}

/** Tasks of the deal whose body carries the key's marker. */
function marked(dealId: string, key: string): string[] {
  const portal = sandbox.portal(backend.portalId);
  return tasksOf(dealId).filter((id) =>
    String(portal.get('tasks', id)?.properties.hs_task_body ?? '').includes(`[pillars:${key}]`),
  );
}

const newKey = (): string => randomUUID();

test('the demo portal has open deals to act on', () => {
  expect(deals.length).toBeGreaterThanOrEqual(2);
});

describe('follow-up task', () => {
  test('creates one task for the deal owner, due in the given days; the same key sent again replays it', async () => {
    const dealId = deals[0] as string;
    const before = tasksOf(dealId).length;
    const key = newKey();
    const first = await followUp({ dealId, idempotencyKey: key, dueInDays: 3 });
    expect(first.status).toBe(201);
    const body = (await first.json()) as {
      task: { id: string; subject: string; dueAt: string; ownerId: string };
    };
    const second = await followUp({ dealId, idempotencyKey: key, dueInDays: 3 });
    expect(second.status).toBe(201);
    expect(await second.json()).toEqual(body);
    expect(tasksOf(dealId).length).toBe(before + 1);
    expect(marked(dealId, key)).toEqual([body.task.id]);

    const task = sandbox.portal(backend.portalId).get('tasks', body.task.id);
    const deal = fixture.objects.deals.find((d) => d.id === dealId);
    expect(task?.properties.hs_task_status).toBe('NOT_STARTED');
    expect(task?.properties.hubspot_owner_id).toBe(deal?.properties.hubspot_owner_id);
    // The subject is the next step's hint when none is given.
    expect(body.task.subject).toBe((await guidance(dealId)).nextStep.text.slice(0, 200));
    const dueIn = Date.parse(body.task.dueAt) - Date.now();
    expect(dueIn).toBeGreaterThan(2.9 * 86_400_000);
    expect(dueIn).toBeLessThanOrEqual(3 * 86_400_000);
  });

  test('a concurrent double send creates one task and both get the same answer', async () => {
    const dealId = deals[1] as string;
    const before = tasksOf(dealId).length;
    const key = newKey();
    const [a, b] = await Promise.all([
      followUp({ dealId, idempotencyKey: key, subject: 'Call the buyer' }),
      followUp({ dealId, idempotencyKey: key, subject: 'Call the buyer' }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(await a.json()).toEqual(await b.json());
    expect(tasksOf(dealId).length).toBe(before + 1);
    expect(marked(dealId, key)).toHaveLength(1);
  });

  test('HubSpot commits, then answers 502: the retry finds the task by its marker, still one task', async () => {
    const dealId = deals[0] as string;
    const before = tasksOf(dealId).length;
    const key = newKey();
    const fault = sandbox.faults.add({
      method: 'POST',
      path: /^\/crm\/v3\/objects\/tasks$/,
      portalId: backend.portalId,
      kind: 'commit-then-fail',
      status: 502,
    });
    const res = await followUp({ dealId, idempotencyKey: key, subject: 'Send the proposal' });
    expect(fault.fired).toBe(1);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { task: { id: string } };
    expect(marked(dealId, key)).toEqual([body.task.id]);
    expect(tasksOf(dealId).length).toBe(before + 1);
    // HubSpot's own retry of our request replays the answer.
    const again = await followUp({ dealId, idempotencyKey: key, subject: 'Send the proposal' });
    expect(await again.json()).toEqual(body);
    expect(tasksOf(dealId).length).toBe(before + 1);
  });

  test('bad input is a 400 naming the field; an unknown deal is a 404', async () => {
    const dealId = deals[0] as string;
    for (const bad of [
      { dealId, idempotencyKey: newKey(), dueInDays: 0 },
      { dealId, idempotencyKey: newKey(), dueInDays: 31 },
      { dealId, idempotencyKey: 'short' },
      { dealId: 'abc', idempotencyKey: newKey() },
    ]) {
      expect((await followUp(bad)).status).toBe(400);
    }
    expect((await followUp({ dealId: '999999999999', idempotencyKey: newKey() })).status).toBe(404);
  });
});

describe('waivers', () => {
  test('no reason or an over-long one is a 400 and nothing is written', async () => {
    const dealId = deals[1] as string;
    for (const reason of [undefined, '', '   ', 'x'.repeat(281)]) {
      const res = await waive({ dealId, criterionId: UNMET, idempotencyKey: newKey(), reason });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { details?: { field?: string } } };
      expect(body.error.details?.field).toBe('reason');
    }
    await expect(backend.store.waivers.listForDeal(backend.portalId, dealId)).resolves.toEqual([]);
  });

  test('a criterion not in the deal stage is a 400; an unknown deal a 404', async () => {
    const dealId = deals[1] as string;
    const unknown = await waive({
      dealId,
      criterionId: 'nope.nope',
      reason: 'n/a',
      idempotencyKey: newKey(),
    });
    expect(unknown.status).toBe(400);
    const noDeal = await waive({
      dealId: '999999999999',
      criterionId: UNMET,
      reason: 'n/a',
      idempotencyKey: newKey(),
    });
    expect(noDeal.status).toBe(404);
    await expect(backend.store.waivers.listForDeal(backend.portalId, dealId)).resolves.toEqual([]);
  });

  test('a waiver shows as waived with its reason; a replay answers the same, one row', async () => {
    const dealId = deals[0] as string;
    expect((await guidance(dealId)).criteria.find((c) => c.id === UNMET)?.status).toBe('unmet');
    const key = newKey();
    const reason = 'Buyer is on leave; the champion confirmed the timeline by phone.';
    const res = await waive({ dealId, criterionId: UNMET, reason, idempotencyKey: key });
    expect(res.status).toBe(200);
    const fresh = dealGuidanceSchema.parse(await res.json());
    const waived = fresh.criteria.find((c) => c.id === UNMET);
    expect(waived?.status).toBe('waived');
    expect(waived?.waiver).toMatchObject({ reason, userId: String(USER_ID) });

    const next = await guidance(dealId);
    expect(next.criteria.find((c) => c.id === UNMET)).toEqual(waived);

    const replay = await waive({ dealId, criterionId: UNMET, reason, idempotencyKey: key });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual(fresh);
    const rows = await backend.store.waivers.listForDeal(backend.portalId, dealId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      criterionId: UNMET,
      reason,
      userId: USER_ID,
      stageId: 'presentationscheduled',
    });
  });
});
