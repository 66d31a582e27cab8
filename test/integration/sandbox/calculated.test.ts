// HubSpot's calculated deal properties the deal card's risks read (num_associated_contacts,
// notes_next_activity_date), computed by the sandbox on record reads from its associations, through
// the real @hubspot/api-client.
import type { Sandbox } from '../../../src/sandbox/index.js';
import { basicFixture, clientFor, startSandbox } from './helpers.js';

let sandbox: Sandbox;
const NOW = Date.UTC(2026, 10, 3, 12);
const DAY = 86_400_000;
const at = (days: number): string => new Date(NOW + days * DAY).toISOString();

beforeAll(async () => {
  sandbox = await startSandbox({
    portals: [
      basicFixture(101, {
        objects: {
          deals: [
            {
              id: '1',
              properties: { dealname: 'Busy', dealstage: 'appointmentscheduled', pipeline: 'default' },
            },
            {
              id: '2',
              properties: { dealname: 'Idle', dealstage: 'appointmentscheduled', pipeline: 'default' },
            },
          ],
          contacts: [
            { id: '10', properties: { email: 'a@x.test' } },
            { id: '11', properties: { email: 'b@x.test' } },
          ],
          meetings: [
            { id: '20', properties: { hs_timestamp: at(3), hs_meeting_start_time: at(3) } },
            { id: '21', properties: { hs_timestamp: at(1), hs_meeting_outcome: 'CANCELED' } },
            { id: '22', properties: { hs_timestamp: at(-2) } },
          ],
          tasks: [
            { id: '30', properties: { hs_timestamp: at(2), hs_task_status: 'NOT_STARTED' } },
            { id: '31', properties: { hs_timestamp: at(1), hs_task_status: 'COMPLETED' } },
          ],
        },
        associations: [
          { from: { type: 'deals', id: '1' }, to: { type: 'contacts', id: '10' } },
          { from: { type: 'deals', id: '1' }, to: { type: 'contacts', id: '11' } },
          { from: { type: 'deals', id: '1' }, to: { type: 'meetings', id: '20' } },
          { from: { type: 'deals', id: '1' }, to: { type: 'meetings', id: '21' } },
          { from: { type: 'deals', id: '1' }, to: { type: 'tasks', id: '30' } },
          { from: { type: 'deals', id: '1' }, to: { type: 'tasks', id: '31' } },
          { from: { type: 'deals', id: '2' }, to: { type: 'meetings', id: '22' } },
        ],
      }),
    ],
    now: () => NOW,
    limits: false,
  });
});

afterAll(async () => {
  await sandbox.stop();
});

test('batch read: the contact count and the soonest upcoming meeting or open task', async () => {
  const client = clientFor(sandbox, sandbox.tokenFor(101));
  const res = await client.crm.deals.batchApi.read({
    inputs: [{ id: '1' }, { id: '2' }],
    properties: ['dealname', 'num_associated_contacts', 'notes_next_activity_date'],
    propertiesWithHistory: [],
  });
  const byId = new Map(res.results.map((r) => [r.id, r.properties]));
  // The task in 2 days beats the meeting in 3; the canceled meeting and the completed task never count.
  expect(byId.get('1')).toMatchObject({ num_associated_contacts: '2', notes_next_activity_date: at(2) });
  // Only a past meeting: no next activity.
  expect(byId.get('2')).toMatchObject({ num_associated_contacts: '0', notes_next_activity_date: null });
});

test('single read computes them too, and only when asked', async () => {
  const client = clientFor(sandbox, sandbox.tokenFor(101));
  const asked = await client.crm.deals.basicApi.getById('1', ['num_associated_contacts']);
  expect(asked.properties.num_associated_contacts).toBe('2');
  const plain = await client.crm.deals.basicApi.getById('1', ['dealname']);
  expect(plain.properties).not.toHaveProperty('num_associated_contacts');
});
