/**
 * The fetch module over a fake `hubspot.fetch`: the URL and options it sends, and how each kind
 * of answer becomes guidance or a typed error.
 */
import type { HubSpotFetchOptions } from '@hubspot/ui-extensions';
import {
  BackendError,
  BackendUnreachableError,
  GUIDANCE_TIMEOUT_MS,
  InvalidGuidanceError,
  checkGuidance,
  createGuidanceFetcher,
  guidanceUrl,
} from '../api';
import type { HubSpotFetch } from '../api';
import { BACKEND, DEAL_ID, makeGuidance, makeRisk, withStage } from './test-utils/mocks';

interface Sent {
  url: string;
  options: HubSpotFetchOptions | undefined;
}

function fakeFetch(answer: () => Promise<Response>): { fetchImpl: HubSpotFetch; sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    fetchImpl: (url, options) => {
      sent.push({ url, options });
      return answer();
    },
  };
}

const json = (body: unknown, status = 200) =>
  Promise.resolve(
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

const request = { backendOrigin: BACKEND, dealId: DEAL_ID };

describe('guidanceUrl', () => {
  it('puts the deal id on the deal-guidance path, encoded', () => {
    expect(guidanceUrl(request)).toBe('https://api.pillars.example.com/api/v1/deal-guidance?dealId=4242');
    expect(guidanceUrl({ backendOrigin: BACKEND, dealId: '1&x=2' })).toContain('dealId=1%26x%3D2');
  });
});

describe('createGuidanceFetcher', () => {
  it('GETs the guidance with an explicit timeout and returns it', async () => {
    const { fetchImpl, sent } = fakeFetch(() => json(makeGuidance()));
    const guidance = await createGuidanceFetcher(fetchImpl)(request);

    expect(guidance.stage.label).toBe('Qualified to buy');
    expect(sent).toEqual([
      {
        url: 'https://api.pillars.example.com/api/v1/deal-guidance?dealId=4242',
        options: { method: 'GET', timeout: GUIDANCE_TIMEOUT_MS },
      },
    ]);
    expect(GUIDANCE_TIMEOUT_MS).toBe(15_000);
  });

  it('accepts fields the contract does not know yet, so a newer backend does not break the card', async () => {
    const { fetchImpl } = fakeFetch(() => json({ ...makeGuidance(), forecast: { category: 'commit' } }));
    await expect(createGuidanceFetcher(fetchImpl)(request)).resolves.toMatchObject({
      forecast: { category: 'commit' },
    });
  });

  it('throws BackendError with the code, message and request id of the error envelope', async () => {
    const { fetchImpl } = fakeFetch(() =>
      json(
        { error: { code: 'FORBIDDEN', message: 'You do not have access to this.', requestId: 'r-1' } },
        403,
      ),
    );
    const error = await failureOf(createGuidanceFetcher(fetchImpl)(request));

    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
      publicMessage: 'You do not have access to this.',
      requestId: 'r-1',
    });
  });

  it('throws BackendError on an error status without a JSON body', async () => {
    const { fetchImpl } = fakeFetch(() => Promise.resolve(new Response('Bad Gateway', { status: 502 })));
    const error = await failureOf(createGuidanceFetcher(fetchImpl)(request));

    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({
      status: 502,
      code: undefined,
      publicMessage: undefined,
      requestId: undefined,
    });
  });

  it("unwraps HubSpot's proxy envelope into the backend's real status", async () => {
    const envelope = {
      status: 'error',
      category: 'BAD_GATEWAY',
      context: { appServerStatusCode: 404 },
      responseBody: JSON.stringify({
        error: { code: 'HUBSPOT_NOT_FOUND', message: 'HubSpot has no such record.', requestId: 'r-2' },
      }),
    };
    const { fetchImpl } = fakeFetch(() => json(envelope, 200));
    const error = await failureOf(createGuidanceFetcher(fetchImpl)(request));

    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ status: 404, code: 'HUBSPOT_NOT_FOUND', requestId: 'r-2' });
  });

  it('throws BackendUnreachableError when hubspot.fetch rejects (network, timeout)', async () => {
    const { fetchImpl } = fakeFetch(() => Promise.reject(new Error('Request timed out')));
    const error = await failureOf(createGuidanceFetcher(fetchImpl)(request));

    expect(error).toBeInstanceOf(BackendUnreachableError);
    expect((error as Error).cause).toEqual(new Error('Request timed out'));
  });

  it('throws InvalidGuidanceError on a 200 that is not guidance', async () => {
    const { fetchImpl } = fakeFetch(() =>
      Promise.resolve(new Response('<html>maintenance</html>', { status: 200 })),
    );
    const error = await failureOf(createGuidanceFetcher(fetchImpl)(request));

    expect(error).toBeInstanceOf(InvalidGuidanceError);
    expect((error as Error).message).toContain('not a JSON object');
  });
});

describe('checkGuidance', () => {
  it('accepts guidance, with or without the pipeline stage names', () => {
    expect(checkGuidance(makeGuidance())).toBeUndefined();
    expect(
      checkGuidance(makeGuidance({ pipeline: { id: 'default', label: 'Sales pipeline' } })),
    ).toBeUndefined();
    expect(
      checkGuidance(
        withStage({
          index: -1,
          probability: null,
          enteredAt: null,
          daysInStage: null,
          age: null,
          timing: null,
        }),
      ),
    ).toBeUndefined();
  });

  const base = makeGuidance();
  it.each([
    ['dealId is missing', { ...base, dealId: 4242 }],
    ['pipeline is missing', { ...base, pipeline: null }],
    ['pipeline stages are malformed', { ...base, pipeline: { ...base.pipeline, stages: [{ id: 'x' }] } }],
    ['stage is missing', { ...base, stage: undefined }],
    ['stage has no position', { ...base, stage: { ...base.stage, index: '1' } }],
    ['stage outcome is unknown', { ...base, stage: { ...base.stage, outcome: 'pending' } }],
    ['stage timing is malformed', { ...base, stage: { ...base.stage, age: 'late' } }],
    ['stage timing is malformed', { ...base, stage: { ...base.stage, timing: { p50: 3 } } }],
    ['goal or guidance is malformed', { ...base, guidance: null }],
    ['resources are malformed', { ...base, resources: [{ title: 'x', url: 'javascript:alert(1)' }] }],
    ['criteria is not a list', { ...base, criteria: {} }],
    ['a criterion is malformed', { ...base, criteria: [{ ...base.criteria[0], status: 'done' }] }],
    ['a criterion is malformed', { ...base, criteria: [{ ...base.criteria[0], evidence: {} }] }],
    ['a criterion is malformed', { ...base, criteria: [{ ...base.criteria[2], waiver: { at: 'x' } }] }],
    ['nextStep is malformed', { ...base, nextStep: { kind: 'later', text: 'x' } }],
    ['risks is not a list', { ...base, risks: undefined }],
    [
      'a risk is malformed',
      { ...base, risks: [{ ...makeRisk('closeDatePast', 'warning', 'x'), severity: 'info' }] },
    ],
  ])('says %s', (reason, value) => {
    expect(checkGuidance(value)).toBe(reason);
  });
});
