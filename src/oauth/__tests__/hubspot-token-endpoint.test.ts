import { AppError } from '../../core/errors.js';
import { createHubSpotTokenEndpoint } from '../hubspot-token-endpoint.js';
import { isBadRefreshToken } from '../token-endpoint.js';

interface Seen {
  url: string;
  method: string;
  contentType: string | null;
  body: string;
}

function fakeFetch(answer: (seen: Seen) => Response | Error): { fetch: typeof fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  const impl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const s: Seen = {
      url: String(input),
      method: init?.method ?? 'GET',
      contentType: new Headers(init?.headers).get('content-type'),
      body: init?.body === undefined || init.body === null ? '' : String(init.body),
    };
    seen.push(s);
    const a = answer(s);
    if (a instanceof Error) throw a;
    return a;
  };
  return { fetch: impl as typeof fetch, seen };
}

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const OPTIONS = { basePath: 'https://api.example.test/', clientId: 'cid', clientSecret: 'very-secret' };

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const e = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('HubSpot token endpoint over HTTP', () => {
  it('posts a form-encoded refresh with credentials in the body, never the query', async () => {
    const f = fakeFetch(() =>
      json(200, { access_token: 'at', refresh_token: 'rt2', expires_in: 1800, token_type: 'bearer' }),
    );
    const endpoint = createHubSpotTokenEndpoint({ ...OPTIONS, fetch: f.fetch });
    await expect(endpoint.refresh('rt1')).resolves.toEqual({
      accessToken: 'at',
      refreshToken: 'rt2',
      expiresIn: 1800,
    });
    const [s] = f.seen;
    expect(s?.url).toBe('https://api.example.test/oauth/v1/token');
    expect(s?.method).toBe('POST');
    expect(s?.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(s?.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'rt1',
      client_id: 'cid',
      client_secret: 'very-secret',
    });
  });

  it('exchanges a code with its redirect URI', async () => {
    const f = fakeFetch(() => json(200, { access_token: 'at', refresh_token: 'rt', expires_in: 1800 }));
    await createHubSpotTokenEndpoint({ ...OPTIONS, fetch: f.fetch }).exchangeCode('c0de', 'https://app/cb');
    expect(new URLSearchParams(f.seen[0]?.body).get('grant_type')).toBe('authorization_code');
    expect(new URLSearchParams(f.seen[0]?.body).get('redirect_uri')).toBe('https://app/cb');
  });

  it('tells BAD_REFRESH_TOKEN (and invalid_grant) apart from other failures, without leaking secrets', async () => {
    for (const body of [
      { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token' },
      { error: 'invalid_grant' },
    ]) {
      const endpoint = createHubSpotTokenEndpoint({
        ...OPTIONS,
        fetch: fakeFetch(() => json(400, body)).fetch,
      });
      const e = await failure(endpoint.refresh('rt-secret'));
      expect(isBadRefreshToken(e)).toBe(true);
      expect(e.code).toBe('HUBSPOT_AUTH_EXPIRED');
    }
    const cases: [Response | Error, string][] = [
      [json(400, { status: 'BAD_CLIENT_SECRET' }), 'HUBSPOT_BAD_REQUEST'],
      [json(429, {}), 'HUBSPOT_RATE_LIMITED'],
      [json(502, {}), 'HUBSPOT_TEMPORARY'],
      [new TypeError('fetch failed'), 'HUBSPOT_TEMPORARY'],
      [json(200, { access_token: 'at' }), 'HUBSPOT_INVALID_RESPONSE'],
      [new Response('<html>', { status: 200 }), 'HUBSPOT_INVALID_RESPONSE'],
    ];
    for (const [answer, code] of cases) {
      const endpoint = createHubSpotTokenEndpoint({ ...OPTIONS, fetch: fakeFetch(() => answer).fetch });
      const e = await failure(endpoint.refresh('rt-secret'));
      expect(e.code).toBe(code);
      expect(isBadRefreshToken(e)).toBe(false);
      expect(`${e.message} ${JSON.stringify(e.details)}`).not.toMatch(/rt-secret|very-secret/);
    }
  });

  it('reads token information with zod: hub id, domain, user and scopes', async () => {
    const f = fakeFetch(() =>
      json(200, { token: 'at', hub_id: 202, hub_domain: 'x.test', user_id: 9, scopes: ['oauth'], app_id: 1 }),
    );
    const endpoint = createHubSpotTokenEndpoint({ ...OPTIONS, fetch: f.fetch });
    await expect(endpoint.tokenInfo('a/b')).resolves.toEqual({
      hubId: 202,
      hubDomain: 'x.test',
      userId: 9,
      scopes: ['oauth'],
    });
    expect(f.seen[0]?.url).toBe('https://api.example.test/oauth/v1/access-tokens/a%2Fb');
    const bad = createHubSpotTokenEndpoint({
      ...OPTIONS,
      fetch: fakeFetch(() => json(200, { hub_id: '202' })).fetch,
    });
    expect((await failure(bad.tokenInfo('at'))).code).toBe('HUBSPOT_INVALID_RESPONSE');
    const gone = createHubSpotTokenEndpoint({ ...OPTIONS, fetch: fakeFetch(() => json(404, {})).fetch });
    expect((await failure(gone.tokenInfo('at'))).code).toBe('HUBSPOT_NOT_FOUND');
  });

  it('refuses bad configuration', () => {
    expect(() => createHubSpotTokenEndpoint({ ...OPTIONS, basePath: 'ftp://x' })).toThrow(/basePath/);
    expect(() => createHubSpotTokenEndpoint({ ...OPTIONS, clientSecret: '' })).toThrow(/clientSecret/);
  });
});
