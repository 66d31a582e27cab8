// OAuth through the real @hubspot/api-client (and plain HTTP where the client has no method):
// code exchange, refresh, expiry on the injected clock, token information, introspection, the
// browser-less authorize redirect, and uninstall (BAD_REFRESH_TOKEN afterwards).
import type { Sandbox } from '../../../src/sandbox/index.js';
import { ACCESS_TOKEN_TTL_MS, AUTH_CODE_TTL_MS } from '../../../src/sandbox/index.js';
import { basicFixture, clientFor, raw, rejection, startSandbox } from './helpers.js';

interface App {
  clientId: string;
  clientSecret: string;
}

const APP = {
  clientId: 'app-1',
  clientSecret: 'secret-1',
  redirectUris: ['http://localhost:3000/oauth/callback'],
};
const OTHER = { clientId: 'app-2', clientSecret: 'secret-2' };
const REDIRECT = APP.redirectUris[0];
const T0 = Date.UTC(2026, 10, 2, 9);

let sandbox: Sandbox;
let now = T0;

beforeEach(async () => {
  now = T0;
  sandbox = await startSandbox({
    portals: [basicFixture(101), basicFixture(202)],
    oauthClients: [APP, OTHER],
    now: () => now,
    limits: false,
  });
});

afterEach(async () => {
  await sandbox.stop();
});

interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: string;
}

async function exchange(code: string, app: App = APP, redirectUri = REDIRECT): Promise<Tokens> {
  const res = await clientFor(sandbox, '').oauth.tokensApi.create(
    'authorization_code',
    code,
    redirectUri,
    app.clientId,
    app.clientSecret,
  );
  return {
    accessToken: res.accessToken,
    refreshToken: res.refreshToken,
    expiresIn: res.expiresIn,
    tokenType: res.tokenType,
  };
}

function refresh(refreshToken: string, app: App = APP) {
  return clientFor(sandbox, '').oauth.tokensApi.create(
    'refresh_token',
    undefined,
    undefined,
    app.clientId,
    app.clientSecret,
    refreshToken,
  );
}

function install(
  portalId = 101,
  app: App = APP,
  scopes = ['oauth', 'crm.objects.contacts.read'],
): Promise<Tokens> {
  return exchange(
    sandbox.issueAuthorizationCode({ portalId, clientId: app.clientId, redirectUri: REDIRECT, scopes }),
    app,
  );
}

describe('authorization code', () => {
  test('exchange gives bearer tokens that act on the right portal; token info describes them', async () => {
    const t = await install(101);
    expect(t.tokenType).toBe('bearer');
    expect(t.expiresIn).toBe(1800);
    const owners = await clientFor(sandbox, t.accessToken).crm.owners.ownersApi.getPage();
    expect(owners.results.map((o) => o.id)).toEqual(['11', '12']);
    const info = await clientFor(sandbox, '').oauth.accessTokensApi.get(t.accessToken);
    expect(info).toMatchObject({
      token: t.accessToken,
      hubId: 101,
      userId: 9011,
      user: 'ana@example.com',
      appId: expect.any(Number) as unknown,
      expiresIn: 1800,
      scopes: ['oauth', 'crm.objects.contacts.read'],
    });
    const other = await install(202, APP);
    expect((await clientFor(sandbox, '').oauth.accessTokensApi.get(other.accessToken)).hubId).toBe(202);
  });

  test('a code works once', async () => {
    const code = sandbox.issueAuthorizationCode({
      portalId: 101,
      clientId: APP.clientId,
      redirectUri: REDIRECT,
      scopes: ['oauth'],
    });
    await exchange(code);
    const again = await rejection(exchange(code));
    expect(again.code).toBe(400);
    expect(again.body).toMatchObject({ status: 'BAD_AUTH_CODE' });
  });

  test('a code expires after 10 minutes', async () => {
    const code = sandbox.issueAuthorizationCode({
      portalId: 101,
      clientId: APP.clientId,
      redirectUri: REDIRECT,
      scopes: ['oauth'],
    });
    now += AUTH_CODE_TTL_MS;
    expect((await rejection(exchange(code))).body.status).toBe('BAD_AUTH_CODE');
  });

  test('wrong redirect URI, secret or client are refused', async () => {
    const code = () =>
      sandbox.issueAuthorizationCode({
        portalId: 101,
        clientId: APP.clientId,
        redirectUri: REDIRECT,
        scopes: ['oauth'],
      });
    expect((await rejection(exchange(code(), APP, 'http://localhost:3000/elsewhere'))).body.status).toBe(
      'BAD_REDIRECT_URI',
    );
    expect((await rejection(exchange(code(), { ...APP, clientSecret: 'nope' }))).body.status).toBe(
      'BAD_CLIENT_SECRET',
    );
    expect((await rejection(exchange(code(), { ...APP, clientId: 'ghost' }))).body.status).toBe(
      'BAD_CLIENT_ID',
    );
    expect((await rejection(exchange(code(), OTHER))).body.status).toBe('BAD_AUTH_CODE');
    expect(() =>
      sandbox.issueAuthorizationCode({
        portalId: 101,
        clientId: APP.clientId,
        redirectUri: 'http://evil.test/cb',
        scopes: [],
      }),
    ).toThrow(/redirect URI/);
  });
});

describe('expiry and refresh', () => {
  test('an access token expires after 30 minutes on the clock; refresh gives a new one', async () => {
    const t = await install();
    now += ACCESS_TOKEN_TTL_MS - 1;
    await clientFor(sandbox, t.accessToken).crm.owners.ownersApi.getPage();
    now += 1;
    const expired = await rejection(clientFor(sandbox, t.accessToken).crm.owners.ownersApi.getPage());
    expect(expired.code).toBe(401);
    expect(expired.body).toMatchObject({ status: 'error', category: 'EXPIRED_AUTHENTICATION' });
    expect((await rejection(clientFor(sandbox, '').oauth.accessTokensApi.get(t.accessToken))).code).toBe(404);
    const fresh = await refresh(t.refreshToken);
    expect(fresh.refreshToken).toBe(t.refreshToken);
    expect(fresh.accessToken).not.toBe(t.accessToken);
    expect(fresh.expiresIn).toBe(1800);
    expect((await clientFor(sandbox, fresh.accessToken).crm.owners.ownersApi.getPage()).results).toHaveLength(
      2,
    );
  });

  test('an unknown refresh token is BAD_REFRESH_TOKEN', async () => {
    const res = await rejection(refresh('not-a-token'));
    expect(res.code).toBe(400);
    expect(res.body).toMatchObject({ status: 'BAD_REFRESH_TOKEN', message: expect.any(String) as unknown });
  });
});

describe('uninstall', () => {
  test('sandbox.uninstall: refresh fails with BAD_REFRESH_TOKEN and access tokens stop working; reinstall works', async () => {
    const t = await install();
    sandbox.uninstall(101);
    const res = await rejection(refresh(t.refreshToken));
    expect(res.code).toBe(400);
    expect(res.body.status).toBe('BAD_REFRESH_TOKEN');
    expect((await rejection(clientFor(sandbox, t.accessToken).crm.owners.ownersApi.getPage())).code).toBe(
      401,
    );
    const again = await install();
    expect((await clientFor(sandbox, again.accessToken).crm.owners.ownersApi.getPage()).results).toHaveLength(
      2,
    );
  });

  test('uninstalling one app leaves the other app and the other portal installed', async () => {
    const a = await install(101, APP);
    const b = await install(101, OTHER);
    const c = await install(202, APP);
    sandbox.uninstall(101, APP.clientId);
    expect((await rejection(refresh(a.refreshToken))).body.status).toBe('BAD_REFRESH_TOKEN');
    await refresh(b.refreshToken, OTHER);
    await refresh(c.refreshToken);
  });

  test('DELETE /appinstalls/v3/external-install with the app token uninstalls it (204)', async () => {
    const t = await install();
    const res = await raw(sandbox, 'DELETE', '/appinstalls/v3/external-install', { token: t.accessToken });
    expect(res.status).toBe(204);
    expect((await rejection(refresh(t.refreshToken))).body.status).toBe('BAD_REFRESH_TOKEN');
    const staticToken = await raw(sandbox, 'DELETE', '/appinstalls/v3/external-install', {
      token: sandbox.tokenFor(101),
    });
    expect(staticToken.status).toBe(400);
  });
});

describe('introspection and authorize', () => {
  const introspect = (form: Record<string, string>) =>
    raw(sandbox, 'POST', '/oauth/2026-03/token/introspect', {
      body: new URLSearchParams(form).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });

  test('introspect reports live access and refresh tokens, inactive otherwise', async () => {
    const t = await install();
    const creds = { client_id: APP.clientId, client_secret: APP.clientSecret };
    const access = await introspect({ ...creds, token: t.accessToken });
    expect(access.status).toBe(200);
    expect(access.json()).toMatchObject({
      active: true,
      token_use: 'access_token',
      hub_id: 101,
      user_id: 9011,
      expires_in: 1800,
    });
    expect((await introspect({ ...creds, token: t.refreshToken })).json()).toMatchObject({
      active: true,
      token_use: 'refresh_token',
      hub_id: 101,
    });
    expect((await introspect({ ...creds, token: 'nothing' })).json()).toEqual({ active: false });
    now += ACCESS_TOKEN_TTL_MS;
    expect((await introspect({ ...creds, token: t.accessToken })).json()).toEqual({ active: false });
    expect((await introspect({ ...creds, client_secret: 'x', token: t.refreshToken })).status).toBe(400);
  });

  test('GET /oauth/authorize redirects with a code and the state; portal_id picks the portal', async () => {
    const qs = new URLSearchParams({
      client_id: APP.clientId,
      redirect_uri: REDIRECT,
      scope: 'oauth crm.objects.deals.read',
      state: 's-123',
      portal_id: '202',
    });
    const res = await raw(sandbox, 'GET', `/oauth/authorize?${qs.toString()}`);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('s-123');
    const t = await exchange(location.searchParams.get('code') ?? '');
    const info = await clientFor(sandbox, '').oauth.accessTokensApi.get(t.accessToken);
    expect(info.hubId).toBe(202);
    expect(info.scopes).toEqual(['oauth', 'crm.objects.deals.read']);
    const noPortal = new URLSearchParams({ client_id: APP.clientId, redirect_uri: REDIRECT, scope: 'oauth' });
    expect((await raw(sandbox, 'GET', `/oauth/authorize?${noPortal.toString()}`)).status).toBe(400);
    const badRedirect = new URLSearchParams({
      client_id: APP.clientId,
      redirect_uri: 'http://evil.test/',
      portal_id: '101',
    });
    expect((await raw(sandbox, 'GET', `/oauth/authorize?${badRedirect.toString()}`)).status).toBe(400);
  });
});
