/** hubspotRequestCount-style accounting through the onRequest hook. */
import { createRequestCounter } from '../request-counter.js';
import type { HubSpotRequestEvent } from '../request-runner.js';

const event = (over: Partial<HubSpotRequestEvent>): HubSpotRequestEvent => ({
  portalId: 1,
  endpoint: 'GET /crm/v3/owners',
  kind: 'general',
  status: 200,
  ms: 5,
  attempt: 1,
  ...over,
});

it('counts attempts by endpoint, status and portal, retries apart', () => {
  const counter = createRequestCounter();
  counter.onRequest(event({ status: 429 }));
  counter.onRequest(event({ attempt: 2 }));
  counter.onRequest(
    event({ portalId: 2, endpoint: 'POST /crm/v3/objects/calls/search', kind: 'search', status: 0 }),
  );
  expect(counter.snapshot()).toEqual({
    total: 3,
    retries: 1,
    byEndpoint: { 'GET /crm/v3/owners': 2, 'POST /crm/v3/objects/calls/search': 1 },
    byStatus: { '429': 1, '200': 1, '0': 1 },
    byPortal: { '1': 2, '2': 1 },
  });
  const snap = counter.snapshot();
  counter.reset();
  expect(counter.snapshot().total).toBe(0);
  expect(snap.total).toBe(3); // snapshots are copies
});
