// Writes and associations through the real @hubspot/api-client: create (with associations),
// update, archive, v4 association batch reads, and searches that see every write at once.
import type { Client } from '@hubspot/api-client';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { basicFixture, clientFor, rejection, startSandbox } from './helpers.js';

type CreateInput = Parameters<Client['crm']['objects']['tasks']['basicApi']['create']>[0];
type AssocBatch = Parameters<Client['crm']['associations']['v4']['batchApi']['getPage']>[2];

const NOW = Date.UTC(2026, 10, 10, 9);
let sandbox: Sandbox;
let client: Client;

beforeEach(async () => {
  sandbox = await startSandbox({ portals: [basicFixture(101)], limits: false, now: () => NOW });
  client = clientFor(sandbox, sandbox.tokenFor(101));
});

afterEach(async () => {
  await sandbox.stop();
});

function taskInput(
  props: Record<string, string>,
  associations: { id: string; typeId: number }[] = [],
): CreateInput {
  return {
    properties: props,
    associations: associations.map((a) => ({
      to: { id: a.id },
      types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: a.typeId }],
    })),
  } as unknown as CreateInput;
}

function assocBody(idList: string[]): AssocBatch {
  return { inputs: idList.map((id) => ({ id })) } as AssocBatch;
}

describe('create', () => {
  test('201 with a new id, the properties and HubSpot timestamps; stored exactly once', async () => {
    const created = await client.crm.objects.tasks.basicApi.create(
      taskInput({
        hs_task_subject: 'Follow up',
        hs_timestamp: '2026-11-12T15:00:00.000Z',
        hubspot_owner_id: '11',
      }),
    );
    expect(created.id).toMatch(/^\d+$/);
    expect(created.properties).toMatchObject({
      hs_task_subject: 'Follow up',
      hs_timestamp: '2026-11-12T15:00:00.000Z',
      hs_object_id: created.id,
      hs_createdate: new Date(NOW).toISOString(),
    });
    expect(created.createdAt.getTime()).toBe(NOW);
    const state = sandbox.portal(101);
    expect(state.count('tasks')).toBe(1);
    expect(state.records('tasks')[0].properties.hs_task_subject).toBe('Follow up');
    const again = await client.crm.objects.tasks.basicApi.getById(created.id, ['hs_task_subject']);
    expect(again.properties.hs_task_subject).toBe('Follow up');
  });

  test('associations on create are stored in both directions', async () => {
    const created = await client.crm.objects.tasks.basicApi.create(
      taskInput({ hs_timestamp: '2026-11-12T15:00:00Z' }, [
        { id: '301', typeId: 216 },
        { id: '1', typeId: 204 },
      ]),
    );
    const state = sandbox.portal(101);
    expect(state.associations('tasks', created.id, 'deals')).toEqual([{ id: '301', typeIds: [216] }]);
    expect(state.associations('deals', '301', 'tasks')).toEqual([{ id: created.id, typeIds: [215] }]);
    expect(state.associations('contacts', '1', 'tasks')).toEqual([{ id: created.id, typeIds: [203] }]);
    const found = await client.crm.objects.searchApi.doSearch('tasks', {
      filterGroups: [{ filters: [{ propertyName: 'associations.deal', operator: 'EQ', value: '301' }] }],
    } as unknown as Parameters<Client['crm']['objects']['searchApi']['doSearch']>[1]);
    expect(found.results.map((r) => r.id)).toEqual([created.id]);
  });

  test('an association to a missing record, or of the wrong type, refuses the whole create', async () => {
    const missing = await rejection(
      client.crm.objects.tasks.basicApi.create(
        taskInput({ hs_timestamp: '2026-11-12T15:00:00Z' }, [{ id: '999', typeId: 216 }]),
      ),
    );
    expect(missing.code).toBe(400);
    expect(missing.body.category).toBe('VALIDATION_ERROR');
    const wrongType = await rejection(
      client.crm.objects.tasks.basicApi.create(
        taskInput({ hs_timestamp: '2026-11-12T15:00:00Z' }, [{ id: '301', typeId: 206 }]),
      ),
    );
    expect(wrongType.code).toBe(400);
    expect(sandbox.portal(101).count('tasks')).toBe(0);
  });

  test('engagements need hs_timestamp', async () => {
    const res = await rejection(client.crm.objects.notes.basicApi.create(taskInput({ hs_note_body: 'hi' })));
    expect(res.code).toBe(400);
    expect(sandbox.portal(101).count('notes')).toBe(0);
  });

  test('a search right after a create sees it (cached results are dropped on write)', async () => {
    const search = () =>
      client.crm.objects.searchApi.doSearch('calls', {
        filterGroups: [{ filters: [{ propertyName: 'hubspot_owner_id', operator: 'EQ', value: '11' }] }],
        limit: 100,
      } as unknown as Parameters<Client['crm']['objects']['searchApi']['doSearch']>[1]);
    expect((await search()).total).toBe(2);
    const created = await client.crm.objects.calls.basicApi.create(
      taskInput({ hs_timestamp: String(NOW), hubspot_owner_id: '11' }),
    );
    const after = await search();
    expect(after.total).toBe(3);
    expect(after.results.map((r) => r.id).at(-1)).toBe(created.id);
  });
});

describe('update and archive', () => {
  test('PATCH merges properties and bumps the modification date; search sees the new value', async () => {
    const updated = await client.crm.objects.calls.basicApi.update('5002', {
      properties: { hubspot_owner_id: '12' },
    });
    expect(updated.properties.hubspot_owner_id).toBe('12');
    expect(updated.properties.hs_call_direction).toBe('INBOUND');
    expect(updated.updatedAt.getTime()).toBe(NOW);
    expect(updated.properties.hs_lastmodifieddate).toBe(new Date(NOW).toISOString());
    const found = await client.crm.objects.searchApi.doSearch('calls', {
      filterGroups: [{ filters: [{ propertyName: 'hubspot_owner_id', operator: 'EQ', value: '12' }] }],
    } as unknown as Parameters<Client['crm']['objects']['searchApi']['doSearch']>[1]);
    expect(found.results.map((r) => r.id)).toEqual(['5002', '5003', '5004']);
    expect((await rejection(client.crm.objects.calls.basicApi.update('999', { properties: {} }))).code).toBe(
      404,
    );
  });

  test('PATCH of a datetime moves the record in range searches', async () => {
    const range = {
      filterGroups: [
        { filters: [{ propertyName: 'hs_timestamp', operator: 'GTE', value: '2026-12-01T00:00:00Z' }] },
      ],
    } as unknown as Parameters<Client['crm']['objects']['searchApi']['doSearch']>[1];
    expect((await client.crm.objects.searchApi.doSearch('calls', range)).total).toBe(0);
    await client.crm.objects.calls.basicApi.update('5001', {
      properties: { hs_timestamp: '2026-12-02T00:00:00Z' },
    });
    expect((await client.crm.objects.searchApi.doSearch('calls', range)).results.map((r) => r.id)).toEqual([
      '5001',
    ]);
    await client.crm.objects.calls.basicApi.update('5001', {
      properties: { hs_timestamp: '2026-11-03T14:00:00Z' },
    });
    expect((await client.crm.objects.searchApi.doSearch('calls', range)).total).toBe(0);
  });

  test('DELETE archives: gone from reads and search, listed as archived', async () => {
    await client.crm.objects.calls.basicApi.archive('5003');
    expect((await rejection(client.crm.objects.calls.basicApi.getById('5003'))).code).toBe(404);
    expect(sandbox.portal(101).get('calls', '5003')?.archived).toBe(true);
    const all = await client.crm.objects.searchApi.doSearch('calls', {
      filterGroups: [],
      limit: 100,
    } as unknown as Parameters<Client['crm']['objects']['searchApi']['doSearch']>[1]);
    expect(all.results.map((r) => r.id)).not.toContain('5003');
  });
});

describe('associations v4 batch read', () => {
  test('returns associated ids with type ids; both directions; fixture type ids defaulted', async () => {
    const res = await client.crm.associations.v4.batchApi.getPage(
      'calls',
      'deals',
      assocBody(['5001', '5003']),
    );
    expect(res.status).toBe('COMPLETE');
    expect(
      res.results.map((r) => ({
        from: r._from.id,
        to: r.to.map((t) => [t.toObjectId, t.associationTypes.map((a) => a.typeId)]),
      })),
    ).toEqual([
      { from: '5001', to: [[301, [206]]] },
      { from: '5003', to: [[301, [206]]] },
    ]);
    expect(res.results[0].to[0].associationTypes[0]).toEqual({
      category: 'HUBSPOT_DEFINED',
      typeId: 206,
      label: null,
    });
    const back = await client.crm.associations.v4.batchApi.getPage('deals', 'calls', assocBody(['301']));
    expect(back.results[0].to.map((t) => t.toObjectId)).toEqual([5001, 5003]);
    expect(back.results[0].to[0].associationTypes[0].typeId).toBe(205);
    const contacts = await client.crm.associations.v4.batchApi.getPage('call', '0-1', assocBody(['5001']));
    expect(contacts.results[0].to[0]).toMatchObject({ toObjectId: 1, associationTypes: [{ typeId: 194 }] });
  });

  test('ids without associations are left out of results (207 with errors)', async () => {
    const res = await client.crm.associations.v4.batchApi.getPage(
      'calls',
      'deals',
      assocBody(['5001', '5002', '777']),
    );
    expect(res.results.map((r) => r._from.id)).toEqual(['5001']);
    expect((res as { numErrors?: number }).numErrors).toBe(2);
  });

  test('more than 1,000 inputs is a 400; 1,000 is fine', async () => {
    const ids = Array.from({ length: 1001 }, (_, i) => String(i + 1));
    const refused = await rejection(
      client.crm.associations.v4.batchApi.getPage('calls', 'deals', assocBody(ids)),
    );
    expect(refused.code).toBe(400);
    expect(refused.body.category).toBe('VALIDATION_ERROR');
    const ok = await client.crm.associations.v4.batchApi.getPage(
      'calls',
      'deals',
      assocBody(ids.slice(0, 1000)),
    );
    expect(ok.results).toEqual([]);
  });
});

describe('portal state helpers', () => {
  test('upsert and setOwners change what the API serves', async () => {
    const state = sandbox.portal(101);
    state.upsert('calls', {
      id: '4000',
      properties: { hs_timestamp: '2026-11-03T10:00:00Z', hubspot_owner_id: '11' },
    });
    const found = await client.crm.objects.searchApi.doSearch('calls', {
      filterGroups: [{ filters: [{ propertyName: 'hubspot_owner_id', operator: 'EQ', value: '11' }] }],
    } as unknown as Parameters<Client['crm']['objects']['searchApi']['doSearch']>[1]);
    expect(found.results.map((r) => r.id)).toEqual(['4000', '5001', '5002']);
    state.setOwners([{ id: '11', email: 'ana@example.com', archived: true }]);
    expect((await client.crm.owners.ownersApi.getPage()).results).toEqual([]);
  });
});
