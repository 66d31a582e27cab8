/**
 * A playbook criterion on a property the portal does not have. HubSpot leaves unknown properties out
 * of its answers (a known but empty one comes back as null); the sandbox has no property catalogue
 * and answers null for any name, so this test puts a gateway in front of the real one that drops the
 * unknown name, as HubSpot does, and checks the card gets an unmet criterion with a note, not a crash.
 */
import type { Playbook } from '@pillars/contracts';
import { dealGuidanceSchema } from '@pillars/contracts';
import type { Pipeline } from '../../../src/core/crm.js';
import { defaultPlaybook } from '../../../src/core/process/index.js';
import type { FunctionContext } from '../../../src/functions/context.js';
import { createDealGuidance } from '../../../src/functions/deal-guidance/deal-guidance.js';
import type { HubSpotGateway } from '../../../src/hubspot/gateway.js';
import { createHubSpotGateway, createInProcessThrottle } from '../../../src/hubspot/index.js';
import { generateDemoPortal } from '../../../src/sandbox/demo-portal/index.js';
import { createSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { openStore } from '../../../src/store/open-store.js';
import type { Store } from '../../../src/store/ports.js';

const UNKNOWN = 'pillars_no_such_property';
const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

let sandbox: Sandbox;
let store: Store;
let ctx: FunctionContext;
const fixture = generateDemoPortal({ seed: 3, size: 1500 });

beforeAll(async () => {
  sandbox = createSandbox({ portals: [fixture], latencyMs: 0 });
  await sandbox.start(0, '127.0.0.1');
  store = await openStore({ kind: 'sqlite', file: ':memory:' });
  const portalId = fixture.portal.portalId;
  const real = createHubSpotGateway({
    portalId,
    accessToken: sandbox.tokenFor(portalId),
    basePath: sandbox.baseUrl,
    throttle: createInProcessThrottle(),
  });
  const hubspot: HubSpotGateway = {
    ...real,
    batchRead: async (type, ids, props) =>
      (await real.batchRead(type, ids, props)).map((r) => {
        const properties = { ...r.properties };
        delete properties[UNKNOWN];
        return { ...r, properties };
      }),
  };
  ctx = { portalId, hubspot, now: () => new Date(fixture.demo.now), logger: silent };
});

afterAll(async () => {
  await store.close();
  await sandbox.stop();
});

test('a criterion on a property the portal lacks is unmet with a note for ops, whatever its operator', async () => {
  const deal = fixture.objects.deals.find(
    (d) => d.properties.dealstage === 'qualifiedtobuy' && d.properties.pipeline === 'default',
  );
  if (!deal) throw new Error('no deal in qualifiedtobuy');
  const pipeline = fixture.pipelines.deals.find((p) => p.id === 'default') as Pipeline;
  const base = defaultPlaybook(pipeline);
  const stage = base.stages.qualifiedtobuy;
  if (!stage) throw new Error('no stage');
  const playbook: Playbook = {
    ...base,
    stages: {
      ...base.stages,
      qualifiedtobuy: {
        ...stage,
        criteria: [
          {
            id: 'ops.not-set',
            label: 'No blocker recorded',
            hint: 'Clear the blocker.',
            level: 'required',
            kind: 'property',
            // notSet would pass on a missing value: a property that does not exist must still fail.
            condition: { property: UNKNOWN, op: 'notSet' },
          },
        ],
      },
    },
  };
  await store.settings.put(fixture.portal.portalId, 'playbook:default', playbook);
  const g = await createDealGuidance({ settings: store.settings })({ dealId: deal.id }, ctx);
  expect(dealGuidanceSchema.safeParse(g).success).toBe(true);
  const c = g.criteria.find((x) => x.id === 'ops.not-set');
  expect(c?.status).toBe('unmet');
  expect(c?.evidence.summary).toMatch(/has no deal property "pillars_no_such_property"/);
  expect(c?.evidence.summary).toMatch(/playbook/);
  expect(g.nextStep).toMatchObject({ kind: 'criterion', criterionId: 'ops.not-set' });
});
