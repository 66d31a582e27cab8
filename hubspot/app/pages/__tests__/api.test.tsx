/**
 * The fetch module over a fake `hubspot.fetch`: the URL and options it sends, and how each kind
 * of answer becomes a report or a typed error.
 */
import type { HubSpotFetchOptions } from '@hubspot/ui-extensions';
import {
  BackendError,
  BackendUnreachableError,
  InvalidReportError,
  REPORT_TIMEOUT_MS,
  checkReport,
  createReportFetcher,
  reportUrl,
} from '../api';
import type { HubSpotFetch } from '../api';
import { toFailure } from '../useMetricsReport';
import { BACKEND, THIS_WEEK, eastReport } from './test-utils/mocks';

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

describe('reportUrl', () => {
  it('puts week then teamId on the activity-metrics path', () => {
    expect(reportUrl({ backendOrigin: BACKEND, week: THIS_WEEK, teamId: '7' })).toBe(
      'https://api.pillars.example.com/api/v1/activity-metrics?week=2026-11-02&teamId=7',
    );
    expect(reportUrl({ backendOrigin: BACKEND, week: THIS_WEEK })).toBe(
      'https://api.pillars.example.com/api/v1/activity-metrics?week=2026-11-02',
    );
  });

  it('encodes what it sends', () => {
    expect(reportUrl({ backendOrigin: BACKEND, week: THIS_WEEK, teamId: '7&x=1' })).toContain(
      'teamId=7%26x%3D1',
    );
  });
});

describe('createReportFetcher', () => {
  it('GETs the report with an explicit timeout and returns it', async () => {
    const { fetchImpl, sent } = fakeFetch(() => json(eastReport()));
    const report = await createReportFetcher(fetchImpl)({
      backendOrigin: BACKEND,
      week: THIS_WEEK,
      teamId: '7',
    });

    expect(report.teams[0]?.name).toBe('East');
    expect(sent).toEqual([
      {
        url: 'https://api.pillars.example.com/api/v1/activity-metrics?week=2026-11-02&teamId=7',
        options: { method: 'GET', timeout: REPORT_TIMEOUT_MS },
      },
    ]);
    expect(REPORT_TIMEOUT_MS).toBe(15_000);
  });

  it('accepts fields the contract does not know yet, so a newer backend does not break the card', async () => {
    const { fetchImpl } = fakeFetch(() => json({ ...eastReport(), currency: 'EUR', trend: [] }));
    await expect(
      createReportFetcher(fetchImpl)({ backendOrigin: BACKEND, week: THIS_WEEK }),
    ).resolves.toMatchObject({
      currency: 'EUR',
    });
  });

  it('throws BackendError with the backend code and message on an error status', async () => {
    const { fetchImpl } = fakeFetch(() =>
      json({ error: { code: 'FORBIDDEN', message: 'You do not have access to this.' } }, 403),
    );
    const error = await failureOf(
      createReportFetcher(fetchImpl)({ backendOrigin: BACKEND, week: THIS_WEEK }),
    );

    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
      publicMessage: 'You do not have access to this.',
    });
  });

  it('throws BackendError on an error status without a JSON body', async () => {
    const { fetchImpl } = fakeFetch(() => Promise.resolve(new Response('Bad Gateway', { status: 502 })));
    const error = await failureOf(
      createReportFetcher(fetchImpl)({ backendOrigin: BACKEND, week: THIS_WEEK }),
    );

    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ status: 502, code: undefined, publicMessage: undefined });
  });

  it("unwraps HubSpot's proxy envelope into the backend's real status", async () => {
    const envelope = {
      status: 'error',
      category: 'BAD_GATEWAY',
      context: { appServerStatusCode: 401 },
      responseBody: JSON.stringify({
        error: { code: 'UNAUTHENTICATED', message: 'The request could not be authenticated.' },
      }),
    };
    const { fetchImpl } = fakeFetch(() => json(envelope, 200));
    const error = await failureOf(
      createReportFetcher(fetchImpl)({ backendOrigin: BACKEND, week: THIS_WEEK }),
    );

    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('throws BackendUnreachableError when hubspot.fetch rejects (network, timeout)', async () => {
    const { fetchImpl } = fakeFetch(() => Promise.reject(new Error('Request timed out')));
    const error = await failureOf(
      createReportFetcher(fetchImpl)({ backendOrigin: BACKEND, week: THIS_WEEK }),
    );

    expect(error).toBeInstanceOf(BackendUnreachableError);
    expect((error as Error).cause).toEqual(new Error('Request timed out'));
  });

  it('throws InvalidReportError on a 200 that is not a report', async () => {
    const { fetchImpl } = fakeFetch(() =>
      Promise.resolve(new Response('<html>maintenance</html>', { status: 200 })),
    );
    const error = await failureOf(
      createReportFetcher(fetchImpl)({ backendOrigin: BACKEND, week: THIS_WEEK }),
    );

    expect(error).toBeInstanceOf(InvalidReportError);
    expect((error as Error).message).toContain('not a JSON object');
  });
});

describe('checkReport', () => {
  it('accepts a report', () => {
    expect(checkReport(eastReport())).toBeUndefined();
  });

  it.each([
    ['period is missing', { ...eastReport(), period: undefined }],
    ['reps is not a list', { ...eastReport(), reps: {} }],
    ['a rep is malformed', { ...eastReport(), reps: [{ ownerId: 101, teamIds: [], metrics: {} }] }],
    ['teams is not a list', { ...eastReport(), teams: null }],
    [
      'a team is malformed',
      { ...eastReport(), teams: [{ teamId: '7', name: 'East', median: { dials: 'ten' } }] },
    ],
  ])('says %s', (reason, value) => {
    expect(checkReport(value)).toBe(reason);
  });
});

describe('toFailure', () => {
  it("classifies the shared client's errors; the page has no not-found state, so a 404 is a server failure", () => {
    expect(toFailure(new BackendError(403, 'FORBIDDEN', 'No access.', 'req-1'))).toEqual({
      kind: 'not-authorised',
      status: 403,
      code: 'FORBIDDEN',
      detail: 'No access.',
      requestId: 'req-1',
    });
    expect(toFailure(new BackendError(404, 'NOT_FOUND', undefined))).toEqual({
      kind: 'server',
      status: 404,
      code: 'NOT_FOUND',
    });
    expect(toFailure(new BackendUnreachableError(new Error('timeout')))).toEqual({ kind: 'unreachable' });
    expect(toFailure(new InvalidReportError('reps is not a list'))).toEqual({ kind: 'invalid-response' });
    expect(toFailure(new Error('a bug'))).toEqual({ kind: 'server' });
  });
});
