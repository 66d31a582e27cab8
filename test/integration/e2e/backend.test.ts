/**
 * The backend end to end, booted through its real composition root (`startBackend`): SQLite, the
 * embedded sandbox with a generated demo portal, the real gateway, and signed requests through real
 * HTTP as HubSpot's `hubspot.fetch` would send them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metricsReportSchema, type MetricsReport } from '@pillars/contracts';
import { startBackend, type Backend } from '../../../src/server/boot.js';
import { freePort } from '../../support/demo-backend.js';
import { signRequest } from '../../support/signer.js';

const SECRET = 'e2e-client-secret-0123456789';

let backend: Backend;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pillars-e2e-'));
  const port = await freePort();
  backend = await startBackend({
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
    HUBSPOT_CLIENT_SECRET: SECRET,
    SQLITE_FILE: join(dir, 'pillars.sqlite'),
    SANDBOX_SIZE: '3000',
    LOG_LEVEL: 'silent',
  });
}, 60_000);

afterAll(async () => {
  await backend.close();
  await rm(dir, { recursive: true, force: true });
});

async function signedGet(pathAndQuery: string, secret = SECRET): Promise<Response> {
  const url = `${backend.url}${pathAndQuery}`;
  const headers = signRequest({ method: 'GET', url, secret, timestamp: Date.now() });
  return fetch(url, { headers });
}

test('boots on SQLite and the sandbox demo portal; health and readiness answer', async () => {
  expect(backend.sandbox).not.toBeNull();
  expect(backend.store.dialect).toBe('sqlite');
  expect((await fetch(`${backend.url}/healthz`)).status).toBe(200);
  expect((await fetch(`${backend.url}/readyz`)).status).toBe(200);
});

test('a signed card request gets the week of metrics of its portal', async () => {
  const res = await signedGet(
    `/api/v1/activity-metrics?week=2026-11-16&portalId=${backend.portalId}&userId=61400205`,
  );
  expect(res.status).toBe(200);
  const report = (await res.json()) as MetricsReport;
  expect(metricsReportSchema.safeParse(report).success).toBe(true);
  expect(report.portalId).toBe(backend.portalId);
  expect(report.period.from).toBe('2026-11-16');
  expect(report.reps.length).toBeGreaterThan(10);
  expect(report.teams.map((t) => t.name)).toContain('New Business East');
});

test('a team filter narrows the report', async () => {
  const all = (await (
    await signedGet(`/api/v1/activity-metrics?week=2026-11-16&portalId=${backend.portalId}&userId=1`)
  ).json()) as MetricsReport;
  const team = all.teams[0];
  expect(team).toBeDefined();
  const res = await signedGet(
    `/api/v1/activity-metrics?week=2026-11-16&teamId=${team?.teamId}&portalId=${backend.portalId}&userId=1`,
  );
  expect(res.status).toBe(200);
  const narrowed = (await res.json()) as MetricsReport;
  expect(narrowed.teams.map((t) => t.teamId)).toEqual([team?.teamId]);
  expect(new Set(narrowed.reps.map((r) => r.ownerId))).toEqual(new Set(team?.ownerIds));
});

test('unsigned, wrongly signed and foreign-portal requests are refused', async () => {
  const path = `/api/v1/activity-metrics?week=2026-11-16&portalId=${backend.portalId}&userId=1`;
  expect((await fetch(`${backend.url}${path}`)).status).toBe(401);
  expect((await signedGet(path, 'not-the-app-secret')).status).toBe(401);
  const foreign = await signedGet('/api/v1/activity-metrics?week=2026-11-16&portalId=999&userId=1');
  expect(foreign.status).toBe(404);
  expect(((await foreign.json()) as { error: { message: string } }).error.message).toMatch(/not installed/);
});

test('bad input gets 400 naming the problem', async () => {
  const reversed = await signedGet(
    `/api/v1/activity-metrics?from=2026-11-09&to=2026-11-02&portalId=${backend.portalId}&userId=1`,
  );
  expect(reversed.status).toBe(400);
  expect(((await reversed.json()) as { error: { message: string } }).error.message).toMatch(/after/);
  const unknownTeam = await signedGet(
    `/api/v1/activity-metrics?week=2026-11-16&teamId=42&portalId=${backend.portalId}&userId=1`,
  );
  expect(unknownTeam.status).toBe(400);
  expect(((await unknownTeam.json()) as { error: { message: string } }).error.message).toMatch(
    /unknown team id: 42/,
  );
});

test('HubSpot failing past the retries is a clean 502/503, not a crash', async () => {
  const sandbox = backend.sandbox?.instance;
  if (!sandbox) throw new Error('no sandbox');
  const fault = sandbox.faults.add({
    path: '/crm/v3/objects/calls/search',
    kind: 'shape',
    body: { results: null },
    times: 10,
  });
  const res = await signedGet(
    `/api/v1/activity-metrics?week=2026-11-09&portalId=${backend.portalId}&userId=1`,
  );
  fault.remove();
  expect(res.status).toBe(502);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('HUBSPOT_INVALID_RESPONSE');
  expect(JSON.stringify(body)).not.toMatch(/stack|\.ts:|node_modules/);
  // and the next request is served
  expect(
    (await signedGet(`/api/v1/activity-metrics?week=2026-11-09&portalId=${backend.portalId}&userId=1`))
      .status,
  ).toBe(200);
});
