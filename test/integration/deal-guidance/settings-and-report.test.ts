/**
 * Playbook settings and the process report end to end (issue 3 items 2 and 6): the backend booted
 * through startBackend on SQLite and a sandbox holding a demo portal, signed requests through real
 * HTTP; only super admins of the portal (from the settings users API) may use them.
 */
import { randomUUID } from 'node:crypto';
import { dealGuidanceSchema, playbookSchema, processReportSchema, type Playbook } from '@pillars/contracts';
import { resolvePeriod } from '../../../src/core/time/period.js';
import { playbookKey } from '../../../src/functions/deal-guidance/deal-guidance.js';
import type { Backend } from '../../../src/server/boot.js';
import type { DemoPortalFixture } from '../../../src/sandbox/demo-portal/index.js';
import { signRequest } from '../../support/signer.js';
import { startDemoBackend, type DemoBackend } from '../../support/demo-backend.js';

const SECRET = 'settings-report-client-secret-0123';
const DAY_MS = 86_400_000;

let fixture: DemoPortalFixture;
let backend: Backend;
let demo: DemoBackend;
let adminId: number;
let repId: number;
let pipelineId: string;
let stalledDeal: string;

beforeAll(async () => {
  demo = await startDemoBackend({
    secret: SECRET,
    prefix: 'pillars-settings-',
    boot: { webhooks: { autostart: false } },
  });
  ({ fixture, backend } = demo);
  adminId = Number(fixture.users.find((u) => u.superAdmin)?.id);
  repId = Number(fixture.users.find((u) => !u.superAdmin)?.id);
  const deal = fixture.objects.deals.find(
    (d) => d.properties.dealstage === fixture.demo.stalledStageId && d.properties.hs_is_closed === 'false',
  );
  stalledDeal = deal?.id ?? '';
  pipelineId = String(deal?.properties.pipeline);
}, 60_000);

afterAll(async () => {
  await demo.close();
});

function signed(method: string, path: string, userId: number, body?: unknown): Promise<Response> {
  const sep = path.includes('?') ? '&' : '?';
  const url = `${backend.url}${path}${sep}portalId=${backend.portalId}&userId=${userId}`;
  const text = body === undefined ? undefined : JSON.stringify(body);
  return fetch(url, {
    method,
    ...(text === undefined ? {} : { body: text }),
    headers: {
      ...(text === undefined ? {} : { 'content-type': 'application/json' }),
      ...signRequest({
        method,
        url,
        ...(text === undefined ? {} : { body: text }),
        secret: SECRET,
        timestamp: Date.now(),
      }),
    },
  });
}

const playbookPath = () => `/api/v1/settings/playbooks/${pipelineId}`;
const stored = () => backend.store.settings.get(backend.portalId, playbookKey(pipelineId), playbookSchema);

test('the demo portal has a super admin, a non-admin and an open deal', () => {
  expect(adminId).toBeGreaterThan(0);
  expect(repId).toBeGreaterThan(0);
  expect(stalledDeal).not.toBe('');
});

test('a non-admin gets 403 on every admin route and nothing is written', async () => {
  const get = await signed('GET', playbookPath(), repId);
  expect(get.status).toBe(403);
  const body = (await get.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('FORBIDDEN');
  expect(body.error.message).toMatch(/super admin/);
  const getRes = await signed('GET', playbookPath(), adminId);
  const { playbook } = (await getRes.json()) as { playbook: Playbook };
  const put = await signed('PUT', playbookPath(), repId, { playbook, idempotencyKey: randomUUID() });
  expect(put.status).toBe(403);
  expect(await stored()).toBeNull();
  expect((await signed('DELETE', playbookPath(), repId)).status).toBe(403);
  expect((await signed('GET', '/api/v1/process-report?from=2026-01-01&to=2026-02-01', repId)).status).toBe(
    403,
  );
});

test('admin: default, invalid PUT, valid PUT used by guidance, DELETE back to default', async () => {
  const first = await signed('GET', playbookPath(), adminId);
  expect(first.status).toBe(200);
  const def = (await first.json()) as { source: string; playbook: Playbook };
  expect(def.source).toBe('default');
  expect(def.playbook.pipelineId).toBe(pipelineId);

  const stage = fixture.demo.stalledStageId;
  const bad = structuredClone(def.playbook);
  (bad.stages[stage] as { goal: unknown }).goal = 42;
  const invalid = await signed('PUT', playbookPath(), adminId, {
    playbook: bad,
    idempotencyKey: randomUUID(),
  });
  expect(invalid.status).toBe(400);
  const err = (await invalid.json()) as { error: { message: string; details?: { field?: string } } };
  expect(err.error.message).toContain(`playbook.stages.${stage}.goal`);
  expect(err.error.details?.field).toBe(`playbook.stages.${stage}.goal`);
  expect(await stored()).toBeNull();

  const wrongPipeline = { ...def.playbook, pipelineId: 'otherpipeline' };
  const mismatch = await signed('PUT', playbookPath(), adminId, {
    playbook: wrongPipeline,
    idempotencyKey: randomUUID(),
  });
  expect(mismatch.status).toBe(400);
  const missing = await signed('PUT', '/api/v1/settings/playbooks/nosuchpipeline', adminId, {
    playbook: { ...def.playbook, pipelineId: 'nosuchpipeline' },
    idempotencyKey: randomUUID(),
  });
  expect(missing.status).toBe(404);
  expect(await stored()).toBeNull();

  const custom = structuredClone(def.playbook);
  custom.stages[stage]?.criteria.push({
    id: 'ops.custom-check',
    label: 'Ops custom check',
    level: 'recommended',
    hint: 'Do the custom check',
    kind: 'property',
    condition: { property: 'dealname', op: 'set' },
  });
  // Warm the guidance cache first: the PUT must drop it.
  const before = await signed('GET', `/api/v1/deal-guidance?dealId=${stalledDeal}`, adminId);
  expect(before.status).toBe(200);
  expect(dealGuidanceSchema.parse(await before.json()).criteria.map((c) => c.label)).not.toContain(
    'Ops custom check',
  );
  const put = await signed('PUT', playbookPath(), adminId, {
    playbook: custom,
    idempotencyKey: randomUUID(),
  });
  expect(put.status).toBe(200);
  expect(((await put.json()) as { source: string }).source).toBe('stored');
  const after = await signed('GET', `/api/v1/deal-guidance?dealId=${stalledDeal}`, adminId);
  expect(dealGuidanceSchema.parse(await after.json()).criteria.map((c) => c.label)).toContain(
    'Ops custom check',
  );
  const again = (await (await signed('GET', playbookPath(), adminId)).json()) as { source: string };
  expect(again.source).toBe('stored');

  const del = await signed('DELETE', playbookPath(), adminId);
  expect(del.status).toBe(200);
  expect(((await del.json()) as { source: string }).source).toBe('default');
  expect(await stored()).toBeNull();
  const reset = await signed('GET', `/api/v1/deal-guidance?dealId=${stalledDeal}`, adminId);
  expect(dealGuidanceSchema.parse(await reset.json()).criteria.map((c) => c.label)).not.toContain(
    'Ops custom check',
  );
});

test('process report: waivers, exceptions and win rates with their n on a known case', async () => {
  const tz = fixture.demo.timeZone;
  const from = new Date(Date.now() - 120 * DAY_MS).toISOString().slice(0, 10);
  const to = new Date(Date.now() + 2 * DAY_MS).toISOString().slice(0, 10);
  const period = resolvePeriod(from, to, tz);
  const closedIn = fixture.objects.deals.filter((d) => {
    const at = Date.parse(String(d.properties.closedate));
    return (
      d.properties.pipeline === pipelineId &&
      d.properties.hs_is_closed === 'true' &&
      at >= period.startMs + DAY_MS &&
      at < period.endMs - 3 * DAY_MS
    );
  });
  const won = closedIn.filter((d) => d.properties.hs_is_closed_won === 'true');
  const lost = closedIn.filter((d) => d.properties.hs_is_closed_won !== 'true');
  expect(won.length).toBeGreaterThanOrEqual(2);
  expect(lost.length).toBeGreaterThanOrEqual(1);
  const [a, c] = won;
  const [b] = lost;
  const criterionId = `${fixture.demo.stalledStageId}.time`;
  const now = new Date();
  for (const [deal, reason] of [
    [a, 'customer asked to skip'],
    [b, 'already discussed'],
    [{ id: stalledDeal }, 'waiting on legal'],
  ] as const) {
    await backend.store.waivers.waive({
      portalId: backend.portalId,
      dealId: String(deal?.id),
      criterionId,
      stageId: fixture.demo.stalledStageId,
      reason,
      userId: adminId,
      createdAt: now,
    });
  }
  await backend.store.exceptions.record({
    portalId: backend.portalId,
    dealId: String(c?.id),
    fromStageId: fixture.demo.stalledStageId,
    toStageId: 'closedwon',
    criterionIds: [criterionId],
    occurredAt: now,
  });

  const res = await signed('GET', `/api/v1/process-report?from=${from}&to=${to}`, adminId);
  expect(res.status).toBe(200);
  const report = processReportSchema.parse(await res.json());
  expect(report.period.from).toBe(from);
  const pipeline = report.pipelines.find((p) => p.pipelineId === pipelineId);
  expect(pipeline).toBeDefined();
  const row = pipeline?.criteria[0];
  expect(row?.criterionId).toBe(criterionId);
  expect(row?.label).not.toBe(criterionId);
  expect(row?.waived).toBe(3);
  expect(row?.leftUnmet).toBe(1);
  expect(row?.skipped).toBe(4);
  expect(row?.reasonsSample).toHaveLength(3);
  expect(row?.winRateWithSkip).toEqual({ n: 3, won: 2, rate: 2 / 3 });
  const closed = pipeline?.closedDeals ?? 0;
  expect(row?.winRateWithoutSkip.n).toBe(closed - 3);

  // A period with no closed deals: rates are null, never without their n.
  const empty = processReportSchema.parse(
    await (await signed('GET', `/api/v1/process-report?from=2019-01-01&to=2019-01-02`, adminId)).json(),
  );
  for (const p of empty.pipelines) {
    expect(p.closedDeals).toBe(0);
    for (const r of p.criteria) expect(r.winRateWithSkip).toEqual({ n: 0, won: 0, rate: null });
  }
  const badQuery = await signed('GET', '/api/v1/process-report?from=nope&to=2026-01-01', adminId);
  expect(badQuery.status).toBe(400);
});
