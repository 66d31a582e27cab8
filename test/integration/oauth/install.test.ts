// OAuth install and token life through the real HTTP token endpoint against the sandbox, on a
// SQLite file and (when PILLARS_TEST_DATABASE_URL is set) a real PostgreSQL server:
// install from a code under HubSpot's hub id (E2), nothing stored when the exchange fails
// midway (E3), no plaintext token in a dump (E4), refresh on the injected clock (E6), and
// BAD_REFRESH_TOKEN after an uninstall (E7). Plus the state in front of it all (E1).
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../src/core/errors.js';
import { createInstaller } from '../../../src/oauth/installer.js';
import { createOAuthState } from '../../../src/oauth/oauth-state.js';
import { createTokenProvider, sealContext } from '../../../src/oauth/token-provider.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { openPostgresStore } from '../../../src/store/postgres-store.js';
import type { Store } from '../../../src/store/ports.js';
import { openSqliteStore } from '../../../src/store/sqlite-store.js';
import { POSTGRES_TEST_URL, dropSchemas, freshSchemaName } from '../../support/postgres.js';
import {
  APP,
  REDIRECT,
  TOKEN_ENDPOINT,
  dumpPostgres,
  dumpSqlite,
  newCipher,
  sandboxEndpoint,
  startOAuthSandbox,
} from './helpers.js';

const T0 = Date.UTC(2026, 10, 2, 9);
const MIN = 60_000;

interface Target {
  open(): Promise<Store>;
  dump(): Promise<string>;
  cleanup(): Promise<void>;
}

function sqliteTarget(): Target {
  const dir = mkdtempSync(join(tmpdir(), 'pillars-oauth-'));
  const file = join(dir, 'oauth.db');
  return {
    open: () => openSqliteStore({ file }),
    dump: () => Promise.resolve(dumpSqlite(file)),
    cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  };
}

function postgresTarget(url: string): Target {
  const schema = freshSchemaName('pillars_oauth');
  return {
    open: () => openPostgresStore({ url, schema, max: 4 }),
    dump: () => dumpPostgres(url, schema),
    cleanup: () => dropSchemas(url, [schema]),
  };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const e = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

const targets: [string, () => Target][] = [['SQLite file', sqliteTarget]];
if (POSTGRES_TEST_URL !== undefined) {
  const url = POSTGRES_TEST_URL;
  targets.push(['PostgreSQL server', () => postgresTarget(url)]);
}

describe.each(targets)('OAuth install and tokens on %s', (_name, makeTarget) => {
  let sandbox: Sandbox;
  let target: Target;
  let store: Store;
  let now = T0;
  const clock = (): Date => new Date(now);
  const { cipher } = newCipher();

  beforeEach(async () => {
    now = T0;
    sandbox = await startOAuthSandbox([101, 202], { now: () => now });
    target = makeTarget();
    store = await target.open();
  });
  afterEach(async () => {
    await store.close();
    await sandbox.stop();
    await target.cleanup();
  });

  const installer = () =>
    createInstaller({ store: store.installations, cipher, exchange: sandboxEndpoint(sandbox), now: clock });
  const provider = () =>
    createTokenProvider({
      store: store.installations,
      cipher,
      exchange: sandboxEndpoint(sandbox),
      now: clock,
    });
  const code = (portalId: number) =>
    sandbox.issueAuthorizationCode({
      portalId,
      clientId: APP.clientId,
      redirectUri: REDIRECT,
      scopes: ['oauth', 'crm.objects.contacts.read'],
    });

  it('installs from a code under the hub id of the token information (E2), sealed at rest (E4)', async () => {
    const result = await installer().installFromCode({ code: code(202), redirectUri: REDIRECT });
    expect(result).toEqual({
      portalId: 202,
      hubDomain: 'portal-202.sandbox.test',
      userId: 9011,
      scopes: ['oauth', 'crm.objects.contacts.read'],
    });
    await expect(store.installations.get(101)).resolves.toBeNull();
    const row = await store.installations.get(202);
    expect(row).toMatchObject({
      status: 'active',
      hubDomain: 'portal-202.sandbox.test',
      installedAt: new Date(T0),
      accessExpiresAt: new Date(T0 + 30 * MIN),
    });
    const refreshToken = cipher.decrypt(row?.refreshTokenSealed ?? '', sealContext(202, 'refresh'));
    const accessToken = await provider().accessTokenFor(202);
    expect(refreshToken).toMatch(/^sbx-rt-/);
    expect(accessToken).toMatch(/^sbx-at-/);

    // Refresh too, so the dump holds a rotated pair as well.
    now = T0 + 26 * MIN;
    const refreshed = await provider().accessTokenFor(202);
    expect(refreshed).not.toBe(accessToken);

    const dump = await target.dump();
    // The sealed forms are there (the refresh re-sealed the refresh token with a new nonce).
    const latest = await store.installations.get(202);
    expect(dump).toContain(latest?.refreshTokenSealed ?? 'missing');
    expect(dump).toContain(latest?.accessTokenSealed ?? 'missing');
    for (const plaintext of [refreshToken, accessToken, refreshed]) {
      expect(dump).not.toContain(plaintext);
      // Not even a fragment of the random part.
      expect(dump).not.toContain(plaintext.slice(7, 27));
    }
  });

  it('stores nothing when the exchange fails midway (E3)', async () => {
    sandbox.faults.add({ method: 'POST', path: '/oauth/v1/token', kind: 'status', status: 500 });
    expect(
      (await rejection(installer().installFromCode({ code: code(101), redirectUri: REDIRECT }))).code,
    ).toBe('HUBSPOT_TEMPORARY');
    sandbox.faults.add({ method: 'GET', path: '/oauth/v1/access-tokens/', kind: 'status', status: 500 });
    expect(
      (await rejection(installer().installFromCode({ code: code(101), redirectUri: REDIRECT }))).code,
    ).toBe('HUBSPOT_TEMPORARY');
    sandbox.faults.add({
      method: 'GET',
      path: '/oauth/v1/access-tokens/',
      kind: 'shape',
      body: { hub_id: 'x' },
    });
    expect(
      (await rejection(installer().installFromCode({ code: code(101), redirectUri: REDIRECT }))).code,
    ).toBe('HUBSPOT_INVALID_RESPONSE');
    await expect(store.installations.get(101)).resolves.toBeNull();
    expect(await target.dump()).not.toContain('"portal_id"');
  });

  it('refreshes through HubSpot at T-4 min on the injected clock, once, and caches until then (E6)', async () => {
    await installer().installFromCode({ code: code(101), redirectUri: REDIRECT });
    sandbox.resetStats();
    const tokens = provider();
    now = T0 + 25 * MIN - 1;
    const first = await tokens.accessTokenFor(101);
    expect(sandbox.stats().byEndpoint[TOKEN_ENDPOINT]).toBeUndefined();
    now = T0 + 26 * MIN;
    const [a, b] = await Promise.all([tokens.accessTokenFor(101), tokens.accessTokenFor(101)]);
    expect(a).toBe(b);
    expect(a).not.toBe(first);
    expect(sandbox.stats().byEndpoint[TOKEN_ENDPOINT]).toBe(1);
  });

  it('after an uninstall, BAD_REFRESH_TOKEN marks the portal uninstalled and deletes its tokens (E7)', async () => {
    await installer().installFromCode({ code: code(101), redirectUri: REDIRECT });
    await installer().installFromCode({ code: code(202), redirectUri: REDIRECT });
    sandbox.uninstall(101);
    now = T0 + 31 * MIN;
    sandbox.resetStats();
    const tokens = provider();
    const error = await rejection(tokens.accessTokenFor(101));
    expect(error.code).toBe('HUBSPOT_AUTH_EXPIRED');
    expect(await store.installations.get(101)).toMatchObject({
      status: 'uninstalled',
      refreshTokenSealed: null,
      accessTokenSealed: null,
      accessExpiresAt: null,
      uninstalledAt: new Date(now),
    });
    expect((await rejection(tokens.accessTokenFor(101))).code).toBe('HUBSPOT_AUTH_EXPIRED');
    expect(sandbox.stats().byEndpoint[TOKEN_ENDPOINT]).toBe(1);
    // The other portal is untouched.
    await expect(tokens.accessTokenFor(202)).resolves.toMatch(/^sbx-at-/);
    expect((await store.installations.listActive()).map((i) => i.portalId)).toEqual([202]);
  });

  it('a bad or reused state stops the callback before any token call (E1)', async () => {
    const states = createOAuthState({ key: randomBytes(32), store: store.installations, now: clock });
    // What the callback route will do: consume the state, then install.
    const callback = async (state: string | undefined, c: string) => {
      await states.consume(state);
      return installer().installFromCode({ code: c, redirectUri: REDIRECT });
    };
    const state = await states.issue();
    sandbox.resetStats();
    for (const bad of [undefined, 'garbage', state.slice(0, -2) + 'AA']) {
      await rejection(callback(bad, code(101)));
    }
    expect(sandbox.stats().byEndpoint[TOKEN_ENDPOINT]).toBeUndefined();
    await expect(callback(state, code(101))).resolves.toMatchObject({ portalId: 101 });
    expect(sandbox.stats().byEndpoint[TOKEN_ENDPOINT]).toBe(1);
    expect((await rejection(callback(state, code(202)))).details?.reason).toBe('STATE_REUSED');
    expect(sandbox.stats().byEndpoint[TOKEN_ENDPOINT]).toBe(1);
    await expect(store.installations.get(202)).resolves.toBeNull();
  });
});
