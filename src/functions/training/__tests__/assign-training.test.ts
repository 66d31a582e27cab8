/**
 * assign-training's pure helpers, and its create-once rules (threat D6) against a fake gateway and
 * an in-memory assignment store: a lost create is found by marker, a temporary failure keeps the
 * claim, a definitive failure releases it, a live claim makes a second caller wait its turn.
 */
import type { CatalogueSetting } from '@pillars/contracts';
import type { CrmRecord } from '../../../core/crm.js';
import { AppError } from '../../../core/errors.js';
import type {
  CreateObjectInput,
  HubSpotGateway,
  PageHandler,
  SearchQuery,
} from '../../../hubspot/gateway.js';
import type {
  NewTrainingAssignment,
  TrainingAssignment,
  TrainingAssignmentStore,
} from '../../../store/coaching-ports.js';
import type { FunctionContext } from '../../context.js';
import type { CoachingSettings } from '../../coaching/coaching-settings.js';
import { DEFAULT_RULES, DEMO_CATALOGUE, NO_TARGETS } from '../default-catalogue.js';
import {
  createAssignTraining,
  localDatePlus,
  metricOfModule,
  taskDueInstant,
  trainingTaskBody,
  trainingTaskMarker,
  trainingTaskSubject,
} from '../assign-training.js';

const NOW = new Date('2026-11-28T15:00:00Z');
const ZONE = 'America/New_York';

describe('helpers', () => {
  test('marker, subject and body carry what the rep needs', () => {
    const module = DEMO_CATALOGUE.modules[0];
    expect(trainingTaskMarker('abc')).toBe('[pillars-training:abc]');
    expect(trainingTaskSubject('Cold calls')).toBe('Training: Cold calls');
    expect(trainingTaskSubject('x'.repeat(300))).toHaveLength(200);
    const body = trainingTaskBody({ id: 'a1', reason: 'Your connect rate lagged.' }, module ?? null);
    expect(body).toContain('Your connect rate lagged.');
    expect(body).toContain(module?.url);
    expect(body).toContain('[pillars-training:a1]');
    expect(trainingTaskBody({ id: 'a2', reason: 'r' }, null)).toContain('[pillars-training:a2]');
  });

  test('local dates and the due instant follow the portal zone', () => {
    // 02:00 UTC on the 29th is still the 28th in New York.
    expect(localDatePlus(new Date('2026-11-29T02:00:00Z'), ZONE, 0)).toBe('2026-11-28');
    expect(localDatePlus(NOW, ZONE, 14)).toBe('2026-12-12');
    expect(taskDueInstant('2026-12-12', ZONE).toISOString()).toBe('2026-12-12T22:00:00.000Z');
    expect(taskDueInstant('2026-07-01', ZONE).toISOString()).toBe('2026-07-01T21:00:00.000Z');
  });

  test('a module maps to the primary metric of its first known tag', () => {
    const [cold, booking] = DEMO_CATALOGUE.modules;
    expect(cold && metricOfModule(cold)).toBe('connectRate');
    expect(booking && metricOfModule(booking)).toBe('bookingRate');
    expect(cold && metricOfModule({ ...cold, skillTags: ['unknown-skill'] })).toBeNull();
  });
});

/** An in-memory TrainingAssignmentStore with the port's claim semantics. */
function memoryStore(): TrainingAssignmentStore & { rows: TrainingAssignment[] } {
  const rows: TrainingAssignment[] = [];
  let n = 0;
  const find = (id: string) => rows.find((r) => r.id === id) ?? null;
  return {
    rows,
    openOnce(input: NewTrainingAssignment) {
      const open = rows.find(
        (r) => r.repOwnerId === input.repOwnerId && r.moduleId === input.moduleId && r.status === 'open',
      );
      if (open) return Promise.resolve({ assignment: { ...open }, created: false });
      const row: TrainingAssignment = {
        ...input,
        id: `a${(n += 1)}`,
        status: 'open',
        taskId: null,
        taskClaimedAt: null,
        completedAt: null,
        completedVia: null,
      };
      rows.push(row);
      return Promise.resolve({ assignment: { ...row }, created: true });
    },
    get: (_p, id) => Promise.resolve(find(id) && { ...(find(id) as TrainingAssignment) }),
    claimTask(_p, id, now, staleBefore) {
      const r = find(id);
      if (!r || r.taskId !== null) return Promise.resolve(false);
      if (r.taskClaimedAt !== null && r.taskClaimedAt > staleBefore) return Promise.resolve(false);
      r.taskClaimedAt = now;
      return Promise.resolve(true);
    },
    recordTask(_p, id, taskId) {
      const r = find(id);
      if (r) r.taskId = taskId;
      return Promise.resolve();
    },
    releaseTaskClaim(_p, id) {
      const r = find(id);
      if (r) r.taskClaimedAt = null;
      return Promise.resolve();
    },
    complete: () => Promise.resolve(null),
    cancel: () => Promise.resolve(null),
    findByTask: () => Promise.resolve(null),
    listForRep: () => Promise.resolve([]),
    listForPortal: () => Promise.resolve([]),
    deletePortal: () => Promise.resolve(),
  };
}

/** A gateway holding tasks; `createFault` decides how the next create behaves. */
function fakeGateway() {
  const tasks: CrmRecord[] = [];
  const calls = { search: 0, create: 0 };
  const state: { createFault: 'none' | 'commit-then-temporary' | 'temporary' | 'bad-request' } = {
    createFault: 'none',
  };
  const gateway: Partial<HubSpotGateway> = {
    getPortalDetails: () => Promise.resolve({ portalId: 1, timeZone: ZONE, currency: 'USD' }),
    async searchAll(_type, _query: SearchQuery, onPage: PageHandler) {
      calls.search += 1;
      await onPage(tasks.map((t) => ({ ...t })));
      return { requests: 1, records: tasks.length };
    },
    createObject(_type, input: CreateObjectInput) {
      calls.create += 1;
      const fault = state.createFault;
      state.createFault = 'none';
      if (fault === 'temporary') return Promise.reject(new AppError('HUBSPOT_TEMPORARY', '502'));
      if (fault === 'bad-request') return Promise.reject(new AppError('HUBSPOT_BAD_REQUEST', '400'));
      const record = { id: String(1000 + tasks.length), properties: { ...input.properties } };
      tasks.push(record);
      if (fault === 'commit-then-temporary') return Promise.reject(new AppError('HUBSPOT_TEMPORARY', '502'));
      return Promise.resolve(record);
    },
  };
  return { gateway: gateway as HubSpotGateway, tasks, calls, state };
}

const settings: CoachingSettings = {
  coaches: () => Promise.resolve({ teams: {} }),
  targets: () => Promise.resolve(NO_TARGETS),
  catalogue: () => Promise.resolve(DEMO_CATALOGUE satisfies CatalogueSetting),
  rules: () => Promise.resolve(DEFAULT_RULES),
};

function contextFor(gateway: HubSpotGateway, now = NOW): FunctionContext {
  const quiet = () => undefined;
  return {
    portalId: 1,
    hubspot: gateway,
    now: () => now,
    logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  };
}

const request = {
  repOwnerId: '42',
  moduleId: 'cold-call-openers',
  source: 'rule' as const,
  ruleId: 'connect-gap',
  reason: 'connectRate below the team median in 3 of the last 4 weeks.',
  metric: 'connectRate' as const,
};

describe('create once', () => {
  test('a new assignment costs one search and one create; the task is due on the default date', async () => {
    const store = memoryStore();
    const fake = fakeGateway();
    const changed: string[] = [];
    const assign = createAssignTraining({
      settings,
      assignments: store,
      onAssignmentChanged: (_p, rep) => changed.push(rep),
    });
    const out = await assign.assign(request, contextFor(fake.gateway));
    expect(out).toMatchObject({ created: true, taskCreated: true });
    expect(out.assignment.dueDate).toBe('2026-12-12');
    expect(out.assignment.taskId).toBe('1000');
    expect(fake.calls).toEqual({ search: 1, create: 1 });
    expect(fake.tasks[0]?.properties).toMatchObject({
      hubspot_owner_id: '42',
      hs_task_status: 'NOT_STARTED',
      hs_timestamp: '2026-12-12T22:00:00.000Z',
    });
    expect(changed.length).toBeGreaterThanOrEqual(1);
    const again = await assign.assign(request, contextFor(fake.gateway));
    expect(again).toMatchObject({ created: false, taskCreated: false });
    expect(fake.calls).toEqual({ search: 1, create: 1 });
  });

  test('HubSpot commits then fails: the marker search finds the task, nothing is created twice', async () => {
    const store = memoryStore();
    const fake = fakeGateway();
    fake.state.createFault = 'commit-then-temporary';
    const out = await createAssignTraining({ settings, assignments: store }).assign(
      request,
      contextFor(fake.gateway),
    );
    expect(out.assignment.taskId).toBe('1000');
    expect(fake.tasks).toHaveLength(1);
    expect(fake.calls).toEqual({ search: 2, create: 1 });
  });

  test('a temporary failure keeps the claim until it is stale; then the retry searches and creates', async () => {
    const store = memoryStore();
    const fake = fakeGateway();
    fake.state.createFault = 'temporary';
    const assign = createAssignTraining({ settings, assignments: store, claimStaleMs: 60_000 });
    await expect(assign.assign(request, contextFor(fake.gateway))).rejects.toMatchObject({
      code: 'HUBSPOT_TEMPORARY',
    });
    expect(store.rows[0]?.taskClaimedAt).not.toBeNull();
    // Within the stale window: nobody creates (search may lag a committed write).
    const soon = await assign.assign(request, contextFor(fake.gateway, new Date(NOW.getTime() + 30_000)));
    expect(soon).toMatchObject({ created: false, taskCreated: false });
    expect(soon.assignment.taskId).toBeNull();
    // After it: search, then create.
    const later = await assign.assign(request, contextFor(fake.gateway, new Date(NOW.getTime() + 120_000)));
    expect(later).toMatchObject({ taskCreated: true });
    expect(fake.tasks).toHaveLength(1);
  });

  test('a definitive failure releases the claim at once', async () => {
    const store = memoryStore();
    const fake = fakeGateway();
    fake.state.createFault = 'bad-request';
    const assign = createAssignTraining({ settings, assignments: store });
    await expect(assign.assign(request, contextFor(fake.gateway))).rejects.toMatchObject({
      code: 'HUBSPOT_BAD_REQUEST',
    });
    expect(store.rows[0]?.taskClaimedAt).toBeNull();
    const retry = await assign.assign(request, contextFor(fake.gateway));
    expect(retry).toMatchObject({ created: false, taskCreated: true });
    expect(fake.tasks).toHaveLength(1);
  });

  test('unknown, retired modules and due dates in the past are refused naming the field', async () => {
    const store = memoryStore();
    const fake = fakeGateway();
    const retired: CoachingSettings = {
      ...settings,
      catalogue: () =>
        Promise.resolve({
          modules: DEMO_CATALOGUE.modules.map((m) =>
            m.id === 'cold-call-openers' ? { ...m, retired: true } : m,
          ),
        }),
    };
    const ctx = contextFor(fake.gateway);
    await expect(
      createAssignTraining({ settings: retired, assignments: store }).assign(request, ctx),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'moduleId' } });
    await expect(
      createAssignTraining({ settings, assignments: store }).assign({ ...request, moduleId: 'nope' }, ctx),
    ).rejects.toMatchObject({ details: { field: 'moduleId' } });
    await expect(
      createAssignTraining({ settings, assignments: store }).assign(
        { ...request, dueDate: '2026-11-27' },
        ctx,
      ),
    ).rejects.toMatchObject({ details: { field: 'dueDate' } });
    // Today (in the portal's zone) is accepted.
    const today = await createAssignTraining({ settings, assignments: store }).assign(
      { ...request, dueDate: '2026-11-28' },
      ctx,
    );
    expect(today.assignment.dueDate).toBe('2026-11-28');
    expect(store.rows).toHaveLength(1);
  });
});
