import { randomBytes } from 'node:crypto';
import { AppError } from '../../core/errors.js';
import type { Store } from '../../store/ports.js';
import { openSqliteStore } from '../../store/sqlite-store.js';
import { createTokenCipher } from '../token-cipher.js';
import { badRefreshToken } from '../token-endpoint.js';
import type { TokenEndpoint, TokenSet } from '../token-endpoint.js';
import { createTokenProvider, sealContext } from '../token-provider.js';

const T0 = new Date('2026-11-02T09:00:00.000Z');
const MIN = 60_000;
const PORTAL = 101;
const cipher = createTokenCipher({ keys: { k1: randomBytes(32) }, currentKeyId: 'k1' });

/** A token endpoint that counts refreshes and can be told how to answer. */
class FakeEndpoint implements TokenEndpoint {
  refreshes = 0;
  delayMs = 0;
  next: (refreshToken: string) => TokenSet | Error = (rt) => ({
    accessToken: `at-${this.refreshes}`,
    refreshToken: `${rt}+`,
    expiresIn: 1800,
  });
  exchangeCode(): Promise<TokenSet> {
    return Promise.reject(new Error('not used'));
  }
  tokenInfo(): Promise<never> {
    return Promise.reject(new Error('not used'));
  }
  async refresh(refreshToken: string): Promise<TokenSet> {
    this.refreshes += 1;
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const answer = this.next(refreshToken);
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

let store: Store;
let endpoint: FakeEndpoint;
let now: Date;

async function install(
  portalId = PORTAL,
  access = 'at-initial',
  expiresAt = new Date(T0.getTime() + 30 * MIN),
) {
  await store.installations.upsertInstalled({
    portalId,
    hubDomain: 'x.example.com',
    userId: 1,
    scopes: ['oauth'],
    refreshTokenSealed: cipher.encrypt('rt-1', sealContext(portalId, 'refresh')),
    accessTokenSealed: cipher.encrypt(access, sealContext(portalId, 'access')),
    accessExpiresAt: expiresAt,
    installedAt: T0,
  });
}

function provider() {
  return createTokenProvider({ store: store.installations, cipher, exchange: endpoint, now: () => now });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const e = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(AppError);
  return (e as AppError).code;
}

beforeEach(async () => {
  store = await openSqliteStore({ file: ':memory:' });
  endpoint = new FakeEndpoint();
  now = T0;
});
afterEach(async () => {
  await store.close();
});

describe('token provider', () => {
  it('uses the stored token until 5 minutes before expiry, then refreshes and stores both new tokens', async () => {
    await install();
    const tokens = provider();
    now = new Date(T0.getTime() + 25 * MIN - 1); // T - 5 min - 1 ms
    await expect(tokens.accessTokenFor(PORTAL)).resolves.toBe('at-initial');
    expect(endpoint.refreshes).toBe(0);

    now = new Date(T0.getTime() + 26 * MIN); // T - 4 min (clock skew, threats E6)
    await expect(tokens.accessTokenFor(PORTAL)).resolves.toBe('at-1');
    expect(endpoint.refreshes).toBe(1);
    const row = await store.installations.get(PORTAL);
    expect(row?.accessExpiresAt).toEqual(new Date(now.getTime() + 1800_000));
    expect(cipher.decrypt(row?.refreshTokenSealed ?? '', sealContext(PORTAL, 'refresh'))).toBe('rt-1+');
    // The new token is then cached.
    await expect(tokens.accessTokenFor(PORTAL)).resolves.toBe('at-1');
    expect(endpoint.refreshes).toBe(1);
  });

  it('refreshes at exactly 5 minutes before expiry', async () => {
    await install();
    now = new Date(T0.getTime() + 25 * MIN);
    await expect(provider().accessTokenFor(PORTAL)).resolves.toBe('at-1');
  });

  it('shares one refresh among 50 concurrent callers', async () => {
    await install(PORTAL, 'old', T0);
    endpoint.delayMs = 30;
    const tokens = provider();
    const got = await Promise.all(Array.from({ length: 50 }, () => tokens.accessTokenFor(PORTAL)));
    expect(new Set(got)).toEqual(new Set(['at-1']));
    expect(endpoint.refreshes).toBe(1);
  });

  it('keeps portals apart: each refreshes its own tokens', async () => {
    await install(1, 'a', T0);
    await install(2, 'b', T0);
    const tokens = provider();
    const [a, b] = await Promise.all([tokens.accessTokenFor(1), tokens.accessTokenFor(2)]);
    expect(endpoint.refreshes).toBe(2);
    expect(a).not.toBe(b);
  });

  it('BAD_REFRESH_TOKEN marks the portal uninstalled, deletes its tokens, and fails with HUBSPOT_AUTH_EXPIRED', async () => {
    await install(PORTAL, 'old', T0);
    endpoint.next = () => badRefreshToken();
    const tokens = provider();
    expect(await codeOf(tokens.accessTokenFor(PORTAL))).toBe('HUBSPOT_AUTH_EXPIRED');
    expect(await store.installations.get(PORTAL)).toMatchObject({
      status: 'uninstalled',
      refreshTokenSealed: null,
      accessTokenSealed: null,
      accessExpiresAt: null,
      uninstalledAt: T0,
      purgeAfter: new Date(T0.getTime() + 30 * 24 * 60 * MIN),
    });
    // Later calls fail at once, without asking HubSpot again.
    expect(await codeOf(tokens.accessTokenFor(PORTAL))).toBe('HUBSPOT_AUTH_EXPIRED');
    expect(endpoint.refreshes).toBe(1);
  });

  it('a temporary failure changes nothing and the next call tries again', async () => {
    await install(PORTAL, 'old', T0);
    endpoint.next = () => new AppError('HUBSPOT_TEMPORARY', 'down');
    const tokens = provider();
    expect(await codeOf(tokens.accessTokenFor(PORTAL))).toBe('HUBSPOT_TEMPORARY');
    expect((await store.installations.get(PORTAL))?.status).toBe('active');
    endpoint.next = () => ({ accessToken: 'at-ok', refreshToken: 'rt-2', expiresIn: 1800 });
    await expect(tokens.accessTokenFor(PORTAL)).resolves.toBe('at-ok');
    expect(endpoint.refreshes).toBe(2);
  });

  it('a tampered refresh token at rest means reconnect: uninstalled, no call to HubSpot, no crash (E4)', async () => {
    await install(PORTAL, 'old', T0);
    const other = createTokenCipher({ keys: { k1: randomBytes(32) }, currentKeyId: 'k1' });
    await store.installations.withRefreshLock(PORTAL, (_c, locked) =>
      locked.saveTokens({
        refreshTokenSealed: other.encrypt('rt-forged'),
        accessTokenSealed: other.encrypt('at-forged'),
        accessExpiresAt: T0,
      }),
    );
    expect(await codeOf(provider().accessTokenFor(PORTAL))).toBe('HUBSPOT_AUTH_EXPIRED');
    expect(endpoint.refreshes).toBe(0);
    expect((await store.installations.get(PORTAL))?.status).toBe('uninstalled');
  });

  it('a damaged access token is simply refreshed', async () => {
    await install();
    await store.installations.saveAccessToken(
      PORTAL,
      'v1.k1.AAAA.BBBB.CCCC',
      new Date(T0.getTime() + 30 * MIN),
    );
    await expect(provider().accessTokenFor(PORTAL)).resolves.toBe('at-1');
  });

  it('after a 401, refreshes once; a caller holding the same rejected token then gets the new one (no loop)', async () => {
    await install();
    const tokens = provider();
    await expect(tokens.accessTokenFor(PORTAL, { rejected: 'at-initial' })).resolves.toBe('at-1');
    await expect(tokens.accessTokenFor(PORTAL, { rejected: 'at-initial' })).resolves.toBe('at-1');
    expect(endpoint.refreshes).toBe(1);
  });

  it('NOT_FOUND for a portal that never installed', async () => {
    expect(await codeOf(provider().accessTokenFor(999))).toBe('NOT_FOUND');
    expect(endpoint.refreshes).toBe(0);
  });
});
