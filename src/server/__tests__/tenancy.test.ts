import { AppError } from '../../core/errors.js';
import type { HubSpotGateway } from '../../hubspot/gateway.js';
import { createInProcessThrottle } from '../../hubspot/index.js';
import type { TokenProvider } from '../../oauth/token-provider.js';
import type { Installation } from '../../store/ports.js';
import {
  NOT_INSTALLED_MESSAGE,
  createPortalRegistry,
  createSinglePortalRegistry,
  withRejectedTokenRecovery,
} from '../tenancy.js';

const log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

async function notFound(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('NOT_FOUND');
  expect((error as AppError).publicMessage).toBe(NOT_INSTALLED_MESSAGE);
}

function installation(portalId: number, overrides: Partial<Installation> = {}): Installation {
  return {
    portalId,
    hubDomain: `portal-${portalId}.test`,
    userId: 1,
    scopes: ['oauth'],
    status: 'active',
    refreshTokenSealed: 'sealed',
    accessTokenSealed: 'sealed',
    accessExpiresAt: new Date(0),
    installedAt: new Date(1000),
    uninstalledAt: null,
    purgeAfter: null,
    ...overrides,
  };
}

describe('createSinglePortalRegistry', () => {
  const gateway = {} as HubSpotGateway;
  const registry = createSinglePortalRegistry({ portalId: 62515, gateway, now: () => new Date(5) });

  it('serves its one portal only', async () => {
    const ctx = await registry.contextFor({ portalId: 62515, userId: 7 }, log);
    expect(ctx).toMatchObject({ portalId: 62515, userId: 7, hubspot: gateway });
    expect(ctx.now()).toEqual(new Date(5));
    expect('userId' in (await registry.jobContextFor(62515, log))).toBe(false);
    await notFound(registry.contextFor({ portalId: 1, userId: 7 }, log));
    await notFound(registry.jobContextFor(1, log));
    await expect(registry.gatewayFor(62515)).resolves.toBe(gateway);
    await expect(registry.gatewayFor(1)).resolves.toBeNull();
    await expect(registry.servesPortal(1)).resolves.toBe(false);
    await expect(registry.activePortals()).resolves.toEqual([62515]);
  });
});

describe('createPortalRegistry', () => {
  const rows = new Map<number, Installation>();
  const tokens: TokenProvider = { accessTokenFor: () => Promise.resolve('token') };
  const throttle = createInProcessThrottle();
  afterAll(() => throttle.close());
  const registry = createPortalRegistry({
    installations: {
      get: (p) => Promise.resolve(rows.get(p) ?? null),
      listActive: () => Promise.resolve([...rows.values()].filter((r) => r.status === 'active')),
    },
    tokens,
    gateway: { basePath: 'http://127.0.0.1:9', throttle },
    metadataTtlMs: 1000,
    // Read the installation on every lookup here; the shared read is tested below.
    installationTtlMs: 0,
  });

  beforeEach(() => {
    rows.clear();
    rows.set(2, installation(2));
    rows.set(1, installation(1));
    rows.set(3, installation(3, { status: 'uninstalled' }));
  });

  it('serves active installations only, from the store on every lookup', async () => {
    await expect(registry.activePortals()).resolves.toEqual([1, 2]);
    const ctx = await registry.contextFor({ portalId: 1, userId: 9 }, log);
    expect(ctx).toMatchObject({ portalId: 1, userId: 9 });
    await notFound(registry.contextFor({ portalId: 3, userId: 9 }, log));
    await notFound(registry.contextFor({ portalId: 4, userId: 9 }, log));
    await notFound(registry.contextFor({ portalId: -1, userId: 9 }, log));
    await expect(registry.servesPortal(3)).resolves.toBe(false);
    await expect(registry.gatewayFor(4)).resolves.toBeNull();
    rows.set(1, installation(1, { status: 'uninstalled' }));
    await notFound(registry.jobContextFor(1, log));
    await expect(registry.servesPortal(1)).resolves.toBe(false);
  });

  it('caches one gateway per portal and install; a reinstall or forget builds a new one', async () => {
    const first = await registry.gatewayFor(1);
    expect(first).not.toBeNull();
    await expect(registry.gatewayFor(1)).resolves.toBe(first);
    expect((await registry.contextFor({ portalId: 1, userId: null }, log)).hubspot).toBe(first);
    expect(await registry.gatewayFor(2)).not.toBe(first);
    registry.forget(1);
    const second = await registry.gatewayFor(1);
    expect(second).not.toBe(first);
    rows.set(1, installation(1, { installedAt: new Date(2000) }));
    expect(await registry.gatewayFor(1)).not.toBe(second);
  });
});

describe('createPortalRegistry: one installation read shared by the requests of a portal', () => {
  const throttle = createInProcessThrottle();
  afterAll(() => throttle.close());

  it('concurrent and close lookups share one read; forget reads again at once', async () => {
    let reads = 0;
    let row: Installation | null = installation(1);
    const registry = createPortalRegistry({
      installations: {
        get: () => {
          reads += 1;
          return Promise.resolve(row);
        },
        listActive: () => Promise.resolve(row ? [row] : []),
      },
      tokens: { accessTokenFor: () => Promise.resolve('token') },
      gateway: { basePath: 'http://127.0.0.1:9', throttle },
      metadataTtlMs: 1000,
      installationTtlMs: 60_000,
    });
    await Promise.all(Array.from({ length: 20 }, () => registry.servesPortal(1)));
    await registry.contextFor({ portalId: 1, userId: 9 }, log);
    expect(reads).toBe(1);
    // This instance's own uninstall (disconnect, purge) forgets the portal: the next request reads.
    row = null;
    registry.forget(1);
    await expect(registry.servesPortal(1)).resolves.toBe(false);
    expect(reads).toBe(2);
  });
});

describe('withRejectedTokenRecovery', () => {
  const expired = () => new AppError('HUBSPOT_AUTH_EXPIRED', 'HubSpot refused the token');

  it('retries a refused call once when recover says so, never in a loop', async () => {
    let calls = 0;
    const gateway = {
      listUsers: () => {
        calls += 1;
        return Promise.reject(expired());
      },
    } as unknown as HubSpotGateway;
    let recoveries = 0;
    const wrapped = withRejectedTokenRecovery(gateway, () => {
      recoveries += 1;
      return Promise.resolve(true);
    });
    await expect(wrapped.listUsers()).rejects.toMatchObject({ code: 'HUBSPOT_AUTH_EXPIRED' });
    expect([calls, recoveries]).toEqual([2, 1]);
  });

  it('returns the retried answer, and does not retry when recover declines', async () => {
    let calls = 0;
    const gateway = {
      listTeams: () => (++calls === 1 ? Promise.reject(expired()) : Promise.resolve(['team'])),
    } as unknown as HubSpotGateway;
    await expect(
      withRejectedTokenRecovery(gateway, () => Promise.resolve(true)).listTeams(),
    ).resolves.toEqual(['team']);
    calls = 0;
    await expect(
      withRejectedTokenRecovery(gateway, () => Promise.resolve(false)).listTeams(),
    ).rejects.toThrow('HubSpot refused the token');
    expect(calls).toBe(1);
  });

  it('does not run a search again once pages reached the handler', async () => {
    let calls = 0;
    const gateway = {
      searchAll: async (_type: string, _query: unknown, onPage: (r: unknown[]) => Promise<void>) => {
        calls += 1;
        await onPage([{ id: '1' }]);
        throw expired();
      },
    } as unknown as HubSpotGateway;
    const pages: unknown[] = [];
    const wrapped = withRejectedTokenRecovery(gateway, () => Promise.resolve(true));
    await expect(
      wrapped.searchAll('deals', { filterGroups: [], properties: [] } as never, (r) => {
        pages.push(...r);
      }),
    ).rejects.toMatchObject({ code: 'HUBSPOT_AUTH_EXPIRED' });
    expect([calls, pages.length]).toEqual([1, 1]);
  });
});
