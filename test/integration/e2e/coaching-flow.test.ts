/**
 * Issue 4's "done when", end to end through real HTTP on the demo portal: a coach opens a contact of
 * the struggling (low-connect) rep and sees the diagnosis at connect; writes a note that another rep
 * cannot read; assigns the suggested module and its HubSpot task appears in the sandbox, once; the
 * weekly meeting pack names the rep for the same reason.
 */
import { coachingPanelSchema, type FullPanel } from '@pillars/contracts';
import { demoPeople, signedClient, startCoachingBackend, type DemoPeople } from '../coaching/helpers.js';
import type { DemoBackend } from '../../support/demo-backend.js';

const SECRET = 'coaching-flow-secret-0123456789';
let demo: DemoBackend & { now: Date };
let people: DemoPeople;
let call: ReturnType<typeof signedClient>;

beforeAll(async () => {
  demo = await startCoachingBackend({ secret: SECRET, prefix: 'pillars-flow-', size: 30_000 });
  people = demoPeople(demo.fixture);
  call = signedClient(demo.backend, SECRET);
}, 120_000);

afterAll(async () => {
  await demo.close();
});

test('diagnosis → private note → assign the suggested module → its task → the weekly pack', async () => {
  const rep = people.ownerOf('low-connect');
  const team = people.primaryTeamOf(rep);
  const coach = people.managerOf(team);
  const otherRep = people.userOf(people.ownerOf('star'));
  await demo.backend.store.settings.put(demo.backend.portalId, 'coaching:coaches', {
    teams: { [team]: [String(coach)] },
  });
  const contactId = people.contactsOf(rep)[0] as string;

  // 1. The coach sees the right diagnosis.
  const opened = await call('GET', '/api/v1/coaching-panel', {
    userId: coach,
    query: `contactId=${contactId}`,
  });
  expect(opened.status).toBe(200);
  const panel = coachingPanelSchema.parse(opened.json) as FullPanel;
  expect(panel.view).toBe('full');
  expect(panel.diagnosis.weakestStep).toBe('connect');

  // 2. A note only the rep and their coaches can read.
  const secret = 'Practise the opener with me on Thursday; the first ten seconds decide the call.';
  const written = await call('POST', '/api/v1/coaching/notes', {
    userId: coach,
    body: { contactId, kind: 'note', body: secret, idempotencyKey: 'flow-note-0001' },
  });
  expect(written.status).toBe(201);
  const asOther = await call('GET', '/api/v1/coaching-panel', {
    userId: otherRep,
    query: `contactId=${contactId}`,
  });
  expect(asOther.status).toBe(200);
  expect(asOther.text).not.toContain(secret);
  expect(asOther.text).not.toContain(rep);
  expect((asOther.json as { view: string }).view).toBe('summary-only');
  const asRep = await call('GET', '/api/v1/coaching-panel', {
    userId: people.userOf(rep),
    query: `contactId=${contactId}`,
  });
  expect(asRep.text).toContain(secret);

  // 3. Assign the suggested module; its task is created in HubSpot once, even on a second click.
  const suggested = panel.training.suggested[0];
  expect(suggested?.skillTag).toBe('cold-calling');
  demo.sandbox.resetStats();
  const assign = (key: string) =>
    call('POST', '/api/v1/training/assignments', {
      userId: coach,
      body: { contactId, moduleId: suggested?.moduleId, idempotencyKey: key },
    });
  const first = await assign('flow-assign-0001');
  expect(first.status).toBe(201);
  const second = await assign('flow-assign-0002');
  expect((second.json as { created: boolean }).created).toBe(false);
  expect(demo.sandbox.stats().byEndpoint['POST /crm/v3/objects/tasks']).toBe(1);
  const { assignment } = first.json as { assignment: { taskId: string } };
  const task = demo.sandbox.portal(demo.backend.portalId).get('tasks', assignment.taskId);
  expect(task?.properties.hubspot_owner_id).toBe(rep);
  expect(task?.properties.hs_task_subject).toContain(suggested?.title ?? '');

  // 4. The weekly pack names the rep, for the same reason.
  const pack = await call('GET', '/api/v1/weekly-pack', { userId: coach, query: `teamId=${team}` });
  expect(pack.status).toBe(200);
  const member = (
    pack.json as { members: { ownerId: string; status: string; diagnosis: { weakestStep: string | null } }[] }
  ).members.find((m) => m.ownerId === rep);
  expect(member).toMatchObject({ status: 'off-pace', diagnosis: { weakestStep: 'connect' } });
}, 180_000);
