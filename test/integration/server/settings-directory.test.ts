/**
 * The settings page's pickers: GET /api/v1/settings/pipelines and /directory through the real backend
 * on the demo portal, for super admins only.
 */
import { startDemoBackend, type DemoBackend } from '../../support/demo-backend.js';
import { signRequest } from '../../support/signer.js';

const SECRET = 'settings-directory-secret-0123';
let demo: DemoBackend;
let admin: number;
let rep: number;

beforeAll(async () => {
  demo = await startDemoBackend({ secret: SECRET, prefix: 'pillars-directory-' });
  admin = demo.fixture.owners.find((o) => o.id === '61400101')?.userId as number;
  rep = demo.fixture.owners.find((o) => o.id === '61400270')?.userId as number;
}, 60_000);

afterAll(async () => {
  await demo.close();
});

async function get(path: string, userId: number): Promise<{ status: number; body: unknown }> {
  const url = `${demo.backend.url}${path}?portalId=${demo.backend.portalId}&userId=${userId}`;
  const res = await fetch(url, {
    headers: signRequest({ method: 'GET', url, secret: SECRET, timestamp: Date.now() }),
  });
  return { status: res.status, body: await res.json() };
}

test('pipelines: every active pipeline with its stages in order, closed stages marked', async () => {
  const { status, body } = await get('/api/v1/settings/pipelines', admin);
  expect(status).toBe(200);
  const { pipelines } = body as {
    pipelines: { id: string; label: string; stages: { id: string; closed: boolean }[] }[];
  };
  const sales = pipelines.find((p) => p.id === 'default');
  expect(sales?.stages.map((s) => s.id)).toEqual([
    'appointmentscheduled',
    'qualifiedtobuy',
    'presentationscheduled',
    'decisionmakerboughtin',
    'contractsent',
    'closedwon',
    'closedlost',
  ]);
  expect(sales?.stages.filter((s) => s.closed).map((s) => s.id)).toEqual(['closedwon', 'closedlost']);
  expect(pipelines.length).toBe(demo.fixture.pipelines.deals.length);
});

test('directory: teams with their members, users with the super-admin flag', async () => {
  const { status, body } = await get('/api/v1/settings/directory', admin);
  expect(status).toBe(200);
  const { teams, users } = body as {
    teams: { id: string; name: string; userIds: string[] }[];
    users: { id: string; email: string; superAdmin: boolean }[];
  };
  expect(teams.map((t) => t.id).sort()).toEqual(['8010001', '8010002', '8010003']);
  expect(teams.every((t) => t.name.length > 0 && t.userIds.length > 0)).toBe(true);
  expect(users.find((u) => u.id === String(admin))?.superAdmin).toBe(true);
  expect(users.find((u) => u.id === String(rep))?.superAdmin).toBe(false);
});

test('a user who is not a super admin gets 403 on both', async () => {
  for (const path of ['/api/v1/settings/pipelines', '/api/v1/settings/directory']) {
    const { status, body } = await get(path, rep);
    expect(status).toBe(403);
    expect(body).toMatchObject({ error: { code: 'FORBIDDEN' } });
  }
});
