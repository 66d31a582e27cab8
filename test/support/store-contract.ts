/**
 * The one contract every store adapter passes (style.md point 2; Shopify's battery-of-tests,
 * kysely's DIALECTS loop). Each adapter's test file calls describeStoreContract with a function
 * that opens a fresh, migrated store; the suite opens one store for most tests (each test uses
 * its own portal ids) and separate ones for fault injection and close().
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { KyselyPlugin } from 'kysely';
import { z } from 'zod';
import type { Metrics } from '@pillars/contracts';
import { AppError } from '../../src/core/errors.js';
import type { ErrorCode } from '../../src/core/errors.js';
import type {
  InstallInput,
  Installation,
  SnapshotRowInput,
  Store,
  WeeklySnapshot,
} from '../../src/store/ports.js';
import { describeCoachingStoreContract } from './coaching-store-contract.js';
import { describeDealActionsContract } from './deal-actions-contract.js';
import { InjectedFault, createFaultInjector } from './fault-plugin.js';
import { makeMetrics } from './metrics-factory.js';
import { describeWebhookStoreContract } from './webhook-store-contract.js';

/** What the suite may ask of an adapter's open function. */
export interface ContractOpenOptions {
  /** kysely plugins to install (the suite passes a fault injector). */
  readonly plugins?: readonly KyselyPlugin[];
}

/** Opens a fresh, migrated store; must honour options.plugins. */
export type OpenContractStore = (options?: ContractOpenOptions) => Promise<Store>;

const OPEN_TIMEOUT_MS = 60_000;
const SLOW_TEST_MS = 60_000;

// Mondays, including a year boundary, so ordering is checked across years.
const W1 = '2024-12-23';
const W2 = '2024-12-30';
const W3 = '2025-01-06';
const W4 = '2025-01-13';

const T1 = new Date('2025-01-07T06:00:00.000Z');
const T2 = new Date('2025-01-08T06:00:00.123Z');

/** Rows for the given owners; metrics differ by seed and owner position. */
export function snapshotRows(ownerIds: readonly string[], seed = 0): SnapshotRowInput[] {
  return ownerIds.map((ownerId, i) => ({ ownerId, metrics: makeMetrics(seed * 1000 + i) }));
}

/** Resolve to the AppError a promise rejects with, after checking its code. */
export async function expectAppError(promise: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  const outcome = await promise.then(
    () => ({ rejected: false as const }),
    (error: unknown) => ({ rejected: true as const, error }),
  );
  if (!outcome.rejected) throw new Error(`expected a rejection with ${code}, but the call resolved`);
  expect(outcome.error).toBeInstanceOf(AppError);
  const appError = outcome.error as AppError;
  expect(appError.code).toBe(code);
  return appError;
}

function expected(weekStart: string, rows: readonly SnapshotRowInput[], computedAt: Date): WeeklySnapshot[] {
  return rows.map((r) => ({ ownerId: r.ownerId, weekStart, metrics: r.metrics, computedAt }));
}

function byWeekThenOwner(a: WeeklySnapshot, b: WeeklySnapshot): number {
  if (a.weekStart !== b.weekStart) return a.weekStart < b.weekStart ? -1 : 1;
  return a.ownerId < b.ownerId ? -1 : a.ownerId > b.ownerId ? 1 : 0;
}

export function describeStoreContract(name: string, open: OpenContractStore): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    // Each test takes fresh portal ids, so tests never see each other's rows.
    let nextPortal = 1_000_000_000;
    const newPortal = (): number => (nextPortal += 1);

    beforeAll(async () => {
      store = await open();
    }, OPEN_TIMEOUT_MS);

    afterAll(async () => {
      await store?.close();
    });

    describe('store', () => {
      it('reports its dialect and is healthy', async () => {
        expect(['sqlite', 'postgres']).toContain(store.dialect);
        await expect(store.health()).resolves.toBeUndefined();
      });
    });

    describe('snapshots', () => {
      it('returns [] and null for a portal with nothing stored', async () => {
        const p = newPortal();
        await expect(store.snapshots.listWeeks(p, { fromWeek: W1, toWeek: W4 })).resolves.toEqual([]);
        await expect(store.snapshots.lastRun(p, W1)).resolves.toBeNull();
      });

      it('stores a week and reads it back with its run', async () => {
        const p = newPortal();
        const rows = snapshotRows(['101', '102', '103'], 1);
        await store.snapshots.replaceWeek(p, W2, rows, T1);
        await expect(store.snapshots.listWeeks(p, { fromWeek: W2, toWeek: W2 })).resolves.toEqual(
          expected(W2, rows, T1),
        );
        await expect(store.snapshots.lastRun(p, W2)).resolves.toEqual({ computedAt: T1, owners: 3 });
      });

      it('is idempotent: writing the same week twice leaves the same rows', async () => {
        const p = newPortal();
        const rows = snapshotRows(['7', '8'], 2);
        await store.snapshots.replaceWeek(p, W2, rows, T1);
        const first = await store.snapshots.listWeeks(p, { fromWeek: W1, toWeek: W4 });
        await store.snapshots.replaceWeek(p, W2, rows, T1);
        await expect(store.snapshots.listWeeks(p, { fromWeek: W1, toWeek: W4 })).resolves.toEqual(first);
        await expect(store.snapshots.lastRun(p, W2)).resolves.toEqual({ computedAt: T1, owners: 2 });
      });

      it('overwrites metrics and computedAt of owners written again', async () => {
        const p = newPortal();
        await store.snapshots.replaceWeek(p, W2, snapshotRows(['7', '8'], 2), T1);
        const newer = snapshotRows(['7', '8'], 3);
        await store.snapshots.replaceWeek(p, W2, newer, T2);
        await expect(store.snapshots.listWeeks(p, { fromWeek: W2, toWeek: W2 })).resolves.toEqual(
          expected(W2, newer, T2),
        );
        await expect(store.snapshots.lastRun(p, W2)).resolves.toEqual({ computedAt: T2, owners: 2 });
      });

      it('removes owners that vanished from the week, and only from that week', async () => {
        const p = newPortal();
        const other = snapshotRows(['1', '2', '3'], 4);
        await store.snapshots.replaceWeek(p, W1, other, T1);
        await store.snapshots.replaceWeek(p, W2, snapshotRows(['1', '2', '3'], 5), T1);
        const now = snapshotRows(['1', '3', '4'], 6);
        await store.snapshots.replaceWeek(p, W2, now, T2);
        await expect(store.snapshots.listWeeks(p, { fromWeek: W2, toWeek: W2 })).resolves.toEqual(
          expected(W2, now, T2),
        );
        await expect(store.snapshots.listWeeks(p, { fromWeek: W1, toWeek: W1 })).resolves.toEqual(
          expected(W1, other, T1),
        );
      });

      it('records an empty week as a run with zero owners', async () => {
        const p = newPortal();
        await store.snapshots.replaceWeek(p, W3, snapshotRows(['1', '2'], 7), T1);
        await store.snapshots.replaceWeek(p, W3, [], T2);
        await expect(store.snapshots.listWeeks(p, { fromWeek: W3, toWeek: W3 })).resolves.toEqual([]);
        await expect(store.snapshots.lastRun(p, W3)).resolves.toEqual({ computedAt: T2, owners: 0 });
      });

      it('orders by weekStart then ownerId (code-point order on every database)', async () => {
        const p = newPortal();
        const owners = ['9', '10', 'b', 'B', '_x', 'a', '100', 'Z'];
        await store.snapshots.replaceWeek(p, W3, snapshotRows(owners, 8), T1);
        await store.snapshots.replaceWeek(p, W1, snapshotRows(owners.slice(0, 3), 9), T1);
        await store.snapshots.replaceWeek(p, W2, snapshotRows(owners.slice(3), 10), T1);
        const listed = await store.snapshots.listWeeks(p, { fromWeek: W1, toWeek: W4 });
        expect(listed.map((r) => `${r.weekStart} ${r.ownerId}`)).toEqual(
          [...listed].sort(byWeekThenOwner).map((r) => `${r.weekStart} ${r.ownerId}`),
        );
        expect(listed.filter((r) => r.weekStart === W3).map((r) => r.ownerId)).toEqual([
          '10',
          '100',
          '9',
          'B',
          'Z',
          '_x',
          'a',
          'b',
        ]);
        expect(listed).toHaveLength(owners.length * 2);
      });

      it('lists an inclusive week range', async () => {
        const p = newPortal();
        for (const [i, w] of [W1, W2, W3, W4].entries())
          await store.snapshots.replaceWeek(p, w, snapshotRows(['1'], i), T1);
        const listed = await store.snapshots.listWeeks(p, { fromWeek: W2, toWeek: W3 });
        expect(listed.map((r) => r.weekStart)).toEqual([W2, W3]);
        // Bounds need not be Mondays: any local date works as a bound.
        const loose = await store.snapshots.listWeeks(p, { fromWeek: '2024-12-24', toWeek: '2025-01-12' });
        expect(loose.map((r) => r.weekStart)).toEqual([W2, W3]);
      });

      it('filters by ownerIds; an empty filter or unknown owners give []', async () => {
        const p = newPortal();
        await store.snapshots.replaceWeek(p, W1, snapshotRows(['1', '2', '3'], 11), T1);
        await store.snapshots.replaceWeek(p, W2, snapshotRows(['1', '2', '3'], 12), T1);
        const some = await store.snapshots.listWeeks(p, {
          fromWeek: W1,
          toWeek: W2,
          ownerIds: ['3', '1', '1'],
        });
        expect(some.map((r) => `${r.weekStart} ${r.ownerId}`)).toEqual([
          `${W1} 1`,
          `${W1} 3`,
          `${W2} 1`,
          `${W2} 3`,
        ]);
        await expect(
          store.snapshots.listWeeks(p, { fromWeek: W1, toWeek: W2, ownerIds: [] }),
        ).resolves.toEqual([]);
        await expect(
          store.snapshots.listWeeks(p, { fromWeek: W1, toWeek: W2, ownerIds: ['404'] }),
        ).resolves.toEqual([]);
      });

      it('keeps portals apart, and deletePortal removes only that portal', async () => {
        const a = newPortal();
        const b = newPortal();
        const rowsA = snapshotRows(['1', '2'], 13);
        const rowsB = snapshotRows(['1', '2'], 14);
        await store.snapshots.replaceWeek(a, W2, rowsA, T1);
        await store.snapshots.replaceWeek(b, W2, rowsB, T2);
        await expect(store.snapshots.listWeeks(b, { fromWeek: W1, toWeek: W4 })).resolves.toEqual(
          expected(W2, rowsB, T2),
        );
        await expect(store.snapshots.listWeeks(a, { fromWeek: W1, toWeek: W4 })).resolves.toEqual(
          expected(W2, rowsA, T1),
        );
        await store.settings.put(a, 'outcomes', ['a']);
        await store.settings.put(b, 'outcomes', ['b']);

        await store.snapshots.deletePortal(a);
        await expect(store.snapshots.listWeeks(a, { fromWeek: W1, toWeek: W4 })).resolves.toEqual([]);
        await expect(store.snapshots.lastRun(a, W2)).resolves.toBeNull();
        await expect(store.settings.get(a, 'outcomes', z.array(z.string()))).resolves.toEqual(['a']);
        await expect(store.snapshots.listWeeks(b, { fromWeek: W1, toWeek: W4 })).resolves.toEqual(
          expected(W2, rowsB, T2),
        );
        await expect(store.snapshots.lastRun(b, W2)).resolves.toEqual({ computedAt: T2, owners: 2 });
        // Deleting a portal with nothing stored is fine.
        await expect(store.snapshots.deletePortal(newPortal())).resolves.toBeUndefined();
      });

      it('refuses bad arguments with INVALID_INPUT before touching the database', async () => {
        const p = newPortal();
        const rows = snapshotRows(['1'], 15);
        for (const bad of [0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) {
          await expectAppError(store.snapshots.replaceWeek(bad, W2, rows, T1), 'INVALID_INPUT');
          await expectAppError(store.snapshots.listWeeks(bad, { fromWeek: W1, toWeek: W2 }), 'INVALID_INPUT');
          await expectAppError(store.snapshots.lastRun(bad, W2), 'INVALID_INPUT');
          await expectAppError(store.snapshots.deletePortal(bad), 'INVALID_INPUT');
        }
        await expectAppError(store.snapshots.replaceWeek(p, '2024-12-31', rows, T1), 'INVALID_INPUT'); // a Tuesday
        await expectAppError(store.snapshots.replaceWeek(p, '2024-02-30', rows, T1), 'INVALID_INPUT');
        await expectAppError(store.snapshots.replaceWeek(p, '20241230', rows, T1), 'INVALID_INPUT');
        await expectAppError(store.snapshots.replaceWeek(p, W2, rows, new Date('nope')), 'INVALID_INPUT');
        await expectAppError(store.snapshots.replaceWeek(p, W2, [...rows, ...rows], T1), 'INVALID_INPUT');
        await expectAppError(
          store.snapshots.replaceWeek(p, W2, [{ ownerId: '', metrics: makeMetrics(1) }], T1),
          'INVALID_INPUT',
        );
        const negative: Metrics = { ...makeMetrics(1), dials: -1 };
        await expectAppError(
          store.snapshots.replaceWeek(p, W2, [{ ownerId: '1', metrics: negative }], T1),
          'INVALID_INPUT',
        );
        await expectAppError(store.snapshots.listWeeks(p, { fromWeek: W3, toWeek: W1 }), 'INVALID_INPUT');
        await expectAppError(
          store.snapshots.listWeeks(p, { fromWeek: 'last week', toWeek: W1 }),
          'INVALID_INPUT',
        );
        await expectAppError(store.snapshots.lastRun(p, '2025-01-07'), 'INVALID_INPUT');
        await expect(store.snapshots.lastRun(p, W2)).resolves.toBeNull();
      });

      it('leaves the previous week intact when rows cannot be stored', async () => {
        const p = newPortal();
        const before = snapshotRows(['1', '2'], 16);
        await store.snapshots.replaceWeek(p, W2, before, T1);
        const unserialisable = { ...makeMetrics(1), dials: 10n } as unknown as Metrics;
        await expectAppError(
          store.snapshots.replaceWeek(
            p,
            W2,
            [...snapshotRows(['1'], 17), { ownerId: '3', metrics: unserialisable }],
            T2,
          ),
          'INVALID_INPUT',
        );
        await expect(store.snapshots.listWeeks(p, { fromWeek: W2, toWeek: W2 })).resolves.toEqual(
          expected(W2, before, T1),
        );
        await expect(store.snapshots.lastRun(p, W2)).resolves.toEqual({ computedAt: T1, owners: 2 });
      });

      it(
        'writes and replaces a week larger than one statement can carry',
        async () => {
          const p = newPortal();
          // 14,000 rows x 5 columns is over both bind limits (SQLite 32,766; PostgreSQL 65,535).
          const owners = Array.from({ length: 14_000 }, (_, i) => String(100_000 + i));
          await store.snapshots.replaceWeek(p, W2, snapshotRows(owners, 18), T1);
          await expect(store.snapshots.lastRun(p, W2)).resolves.toEqual({
            computedAt: T1,
            owners: owners.length,
          });
          expect(await store.snapshots.listWeeks(p, { fromWeek: W2, toWeek: W2 })).toHaveLength(
            owners.length,
          );
          const kept = owners.filter((_, i) => i % 2 === 0);
          await store.snapshots.replaceWeek(p, W2, snapshotRows(kept, 19), T2);
          const listed = await store.snapshots.listWeeks(p, { fromWeek: W2, toWeek: W2 });
          expect(listed.map((r) => r.ownerId)).toEqual(kept);
          expect(listed.every((r) => r.computedAt.getTime() === T2.getTime())).toBe(true);
        },
        SLOW_TEST_MS,
      );

      it('serialises concurrent writers of one week: the result is one whole write, never a mix', async () => {
        const p = newPortal();
        await store.snapshots.replaceWeek(p, W2, snapshotRows(['0'], 20), T1);
        const writes = [['1', '2'], ['2', '3'], ['4'], ['1', '5', '6'], []].map((owners, i) => ({
          owners,
          computedAt: new Date(T2.getTime() + i * 1000),
        }));
        await Promise.all(
          writes.map((w, i) =>
            store.snapshots.replaceWeek(p, W2, snapshotRows(w.owners, 30 + i), w.computedAt),
          ),
        );
        const run = await store.snapshots.lastRun(p, W2);
        const winner = writes.find((w) => w.computedAt.getTime() === run?.computedAt.getTime());
        expect(winner).toBeDefined();
        const listed = await store.snapshots.listWeeks(p, { fromWeek: W2, toWeek: W2 });
        expect(listed.map((r) => r.ownerId)).toEqual([...(winner?.owners ?? [])].sort());
        expect(run?.owners).toBe(listed.length);
        expect(listed.every((r) => r.computedAt.getTime() === winner?.computedAt.getTime())).toBe(true);
      });

      it(
        'matches a simple model over any sequence of replaceWeek calls',
        async () => {
          const weeks = [W1, W2, W3];
          const op = fc.record({
            week: fc.integer({ min: 0, max: weeks.length - 1 }),
            owners: fc.uniqueArray(fc.constantFrom('1', '2', '3', '10', 'a', 'B'), { maxLength: 6 }),
            seed: fc.nat({ max: 10_000 }),
          });
          await fc.assert(
            fc.asyncProperty(fc.array(op, { maxLength: 6 }), async (ops) => {
              const p = newPortal();
              const model = new Map<string, WeeklySnapshot[]>();
              for (const [i, o] of ops.entries()) {
                const week = weeks[o.week] ?? W1;
                const at = new Date(T1.getTime() + i * 60_000);
                const rows = snapshotRows(o.owners, o.seed);
                await store.snapshots.replaceWeek(p, week, rows, at);
                model.set(week, expected(week, rows, at));
              }
              const want = [...model.values()].flat().sort(byWeekThenOwner);
              expect(await store.snapshots.listWeeks(p, { fromWeek: W1, toWeek: W3 })).toEqual(want);
            }),
            { numRuns: 25 },
          );
        },
        SLOW_TEST_MS,
      );
    });

    describe('settings', () => {
      const outcomes = z.object({ outcomeIds: z.array(z.string()), note: z.string().optional() });

      it('returns null for an unset key', async () => {
        await expect(store.settings.get(newPortal(), 'outcomes', outcomes)).resolves.toBeNull();
      });

      it('puts, gets and overwrites a value', async () => {
        const p = newPortal();
        await store.settings.put(p, 'outcomes', { outcomeIds: ['1', '2'] });
        await expect(store.settings.get(p, 'outcomes', outcomes)).resolves.toEqual({
          outcomeIds: ['1', '2'],
        });
        await store.settings.put(p, 'outcomes', { outcomeIds: [], note: 'ünïcode ✓ "quoted"' });
        await expect(store.settings.get(p, 'outcomes', outcomes)).resolves.toEqual({
          outcomeIds: [],
          note: 'ünïcode ✓ "quoted"',
        });
      });

      it('stores a copy, not a reference', async () => {
        const p = newPortal();
        const value = { outcomeIds: ['1'] };
        await store.settings.put(p, 'outcomes', value);
        value.outcomeIds.push('2');
        const read = await store.settings.get(p, 'outcomes', outcomes);
        expect(read).toEqual({ outcomeIds: ['1'] });
        read?.outcomeIds.push('3');
        await expect(store.settings.get(p, 'outcomes', outcomes)).resolves.toEqual({ outcomeIds: ['1'] });
      });

      it('validates on read with the caller schema (INTERNAL when the stored value no longer fits)', async () => {
        const p = newPortal();
        await store.settings.put(p, 'outcomes', { outcomeIds: [1, 2] });
        const error = await expectAppError(store.settings.get(p, 'outcomes', outcomes), 'INTERNAL');
        expect(error.details).toMatchObject({ key: 'outcomes' });
        // Schemas may transform: the caller gets the parsed output.
        const withDefault = z.object({ limit: z.number().default(5) });
        await store.settings.put(p, 'limits', {});
        await expect(store.settings.get(p, 'limits', withDefault)).resolves.toEqual({ limit: 5 });
        // Scalars and null are JSON values too.
        await store.settings.put(p, 'flag', false);
        await expect(store.settings.get(p, 'flag', z.boolean())).resolves.toBe(false);
      });

      it('deletes one key of one portal; deleting an unset key is a no-op', async () => {
        const a = newPortal();
        const b = newPortal();
        await store.settings.put(a, 'outcomes', { outcomeIds: ['a'] });
        await store.settings.put(a, 'other', { outcomeIds: ['a2'] });
        await store.settings.put(b, 'outcomes', { outcomeIds: ['b'] });
        await store.settings.delete(a, 'outcomes');
        await store.settings.delete(a, 'never-set');
        await expect(store.settings.get(a, 'outcomes', outcomes)).resolves.toBeNull();
        await expect(store.settings.get(a, 'other', outcomes)).resolves.toEqual({ outcomeIds: ['a2'] });
        await expect(store.settings.get(b, 'outcomes', outcomes)).resolves.toEqual({ outcomeIds: ['b'] });
        await expectAppError(store.settings.delete(a, 'has space'), 'INVALID_INPUT');
      });

      it('keeps keys and portals apart; deletePortal removes only that portal', async () => {
        const a = newPortal();
        const b = newPortal();
        await store.settings.put(a, 'outcomes', { outcomeIds: ['a'] });
        await store.settings.put(a, 'other', { outcomeIds: ['a2'] });
        await store.settings.put(b, 'outcomes', { outcomeIds: ['b'] });
        await store.snapshots.replaceWeek(a, W2, snapshotRows(['1'], 21), T1);
        await expect(store.settings.get(b, 'other', outcomes)).resolves.toBeNull();
        await store.settings.deletePortal(a);
        await expect(store.settings.get(a, 'outcomes', outcomes)).resolves.toBeNull();
        await expect(store.settings.get(a, 'other', outcomes)).resolves.toBeNull();
        await expect(store.settings.get(b, 'outcomes', outcomes)).resolves.toEqual({ outcomeIds: ['b'] });
        await expect(store.snapshots.lastRun(a, W2)).resolves.toEqual({ computedAt: T1, owners: 1 });
      });

      it('refuses bad keys, portals and values with INVALID_INPUT', async () => {
        const p = newPortal();
        await expectAppError(store.settings.put(p, '', 1), 'INVALID_INPUT');
        await expectAppError(store.settings.put(p, 'has space', 1), 'INVALID_INPUT');
        await expectAppError(store.settings.put(p, 'x'.repeat(101), 1), 'INVALID_INPUT');
        await expectAppError(store.settings.get(p, '../etc', z.unknown()), 'INVALID_INPUT');
        await expectAppError(store.settings.put(0, 'k', 1), 'INVALID_INPUT');
        await expectAppError(store.settings.deletePortal(-3), 'INVALID_INPUT');
        await expectAppError(store.settings.put(p, 'k', undefined), 'INVALID_INPUT');
        await expectAppError(store.settings.put(p, 'k', 1n), 'INVALID_INPUT');
        const cyclic: { self?: unknown } = {};
        cyclic.self = cyclic;
        await expectAppError(store.settings.put(p, 'k', cyclic), 'INVALID_INPUT');
        await expectAppError(store.settings.put(p, 'k', 'x'.repeat(1024 * 1024 + 1)), 'INVALID_INPUT');
        await expect(store.settings.get(p, 'k', z.unknown())).resolves.toBeNull();
      });
    });

    describeDealActionsContract(() => store, newPortal);

    describe('installations', () => {
      const installInput = (portalId: number, overrides: Partial<InstallInput> = {}): InstallInput => ({
        portalId,
        hubDomain: `portal-${portalId}.example.com`,
        userId: 9011,
        scopes: ['oauth', 'crm.objects.contacts.read'],
        refreshTokenSealed: `v1.k1.sealed-refresh-${portalId}`,
        accessTokenSealed: `v1.k1.sealed-access-${portalId}`,
        accessExpiresAt: new Date(T1.getTime() + 30 * 60_000),
        installedAt: T1,
        ...overrides,
      });
      const installed = (input: InstallInput): Installation => ({
        portalId: input.portalId,
        hubDomain: input.hubDomain,
        userId: input.userId,
        scopes: [...input.scopes],
        status: 'active',
        refreshTokenSealed: input.refreshTokenSealed,
        accessTokenSealed: input.accessTokenSealed,
        accessExpiresAt: input.accessExpiresAt,
        installedAt: input.installedAt,
        uninstalledAt: null,
        purgeAfter: null,
      });
      const PURGE = new Date(T2.getTime() + 30 * 24 * 3600_000);

      it('returns null for a portal that never installed, and leaves it out of listActive', async () => {
        const p = newPortal();
        await expect(store.installations.get(p)).resolves.toBeNull();
        expect((await store.installations.listActive()).map((i) => i.portalId)).not.toContain(p);
      });

      it('stores an install and reads it back; listActive is ordered by portal id', async () => {
        const a = newPortal();
        const b = newPortal();
        const inputB = installInput(b, { userId: null, scopes: [] });
        await store.installations.upsertInstalled(inputB);
        await store.installations.upsertInstalled(installInput(a));
        await expect(store.installations.get(a)).resolves.toEqual(installed(installInput(a)));
        await expect(store.installations.get(b)).resolves.toEqual(installed(inputB));
        const mine = (await store.installations.listActive()).filter(
          (i) => i.portalId === a || i.portalId === b,
        );
        expect(mine.map((i) => i.portalId)).toEqual([a, b]);
      });

      it('markUninstalled deletes every token in the same write; a reinstall makes the portal active again', async () => {
        const p = newPortal();
        await store.installations.upsertInstalled(installInput(p));
        await store.installations.markUninstalled(p, T2, PURGE);
        await expect(store.installations.get(p)).resolves.toEqual({
          ...installed(installInput(p)),
          status: 'uninstalled',
          refreshTokenSealed: null,
          accessTokenSealed: null,
          accessExpiresAt: null,
          uninstalledAt: T2,
          purgeAfter: PURGE,
        });
        expect((await store.installations.listActive()).map((i) => i.portalId)).not.toContain(p);
        // An uninstalled portal takes no new tokens.
        await store.installations.saveAccessToken(p, 'v1.k1.late', new Date(T2.getTime() + 1000));
        expect((await store.installations.get(p))?.accessTokenSealed).toBeNull();

        const again = installInput(p, { installedAt: T2, refreshTokenSealed: 'v1.k1.second' });
        await store.installations.upsertInstalled(again);
        await expect(store.installations.get(p)).resolves.toEqual(installed(again));
        // Unknown portals are a no-op.
        await expect(store.installations.markUninstalled(newPortal(), T2, PURGE)).resolves.toBeUndefined();
      });

      it('saveAccessToken replaces the access token and its expiry only', async () => {
        const p = newPortal();
        await store.installations.upsertInstalled(installInput(p));
        const expires = new Date(T2.getTime() + 1800_000);
        await store.installations.saveAccessToken(p, 'v1.k1.newer', expires);
        await expect(store.installations.get(p)).resolves.toEqual({
          ...installed(installInput(p)),
          accessTokenSealed: 'v1.k1.newer',
          accessExpiresAt: expires,
        });
      });

      it('withRefreshLock passes the current row, commits writes made through the lock, and returns fn’s value', async () => {
        const p = newPortal();
        await expect(
          store.installations.withRefreshLock(newPortal(), (current) => Promise.resolve(current)),
        ).resolves.toBeNull();
        await store.installations.upsertInstalled(installInput(p));
        const tokens = {
          refreshTokenSealed: 'v1.k1.rotated',
          accessTokenSealed: 'v1.k1.fresh',
          accessExpiresAt: new Date(T2.getTime() + 1800_000),
        };
        const value = await store.installations.withRefreshLock(p, async (current, locked) => {
          expect(current).toEqual(installed(installInput(p)));
          await locked.saveTokens(tokens);
          return 42;
        });
        expect(value).toBe(42);
        await expect(store.installations.get(p)).resolves.toEqual({
          ...installed(installInput(p)),
          ...tokens,
        });

        await store.installations.withRefreshLock(p, (_current, locked) => locked.markUninstalled(T2, PURGE));
        expect(await store.installations.get(p)).toMatchObject({
          status: 'uninstalled',
          refreshTokenSealed: null,
          accessTokenSealed: null,
        });
      });

      it('withRefreshLock rolls back when fn throws, rethrows fn’s error unchanged, and refuses a stale handle', async () => {
        const p = newPortal();
        await store.installations.upsertInstalled(installInput(p));
        const bug = new Error('refresh bug');
        let leaked: Parameters<Parameters<Store['installations']['withRefreshLock']>[1]>[1] | undefined;
        await expect(
          store.installations.withRefreshLock(p, async (_current, locked) => {
            leaked = locked;
            await locked.saveTokens({
              refreshTokenSealed: 'v1.k1.never',
              accessTokenSealed: 'v1.k1.never',
              accessExpiresAt: T2,
            });
            throw bug;
          }),
        ).rejects.toBe(bug);
        await expect(store.installations.get(p)).resolves.toEqual(installed(installInput(p)));
        await expectAppError(leaked?.markUninstalled(T2, PURGE) ?? Promise.resolve(), 'INTERNAL');
        // The store is still usable (no transaction left open).
        await store.installations.saveAccessToken(p, 'v1.k1.after', T2);
        expect((await store.installations.get(p))?.accessTokenSealed).toBe('v1.k1.after');
      });

      it('withRefreshLock runs one holder at a time per portal', async () => {
        const p = newPortal();
        await store.installations.upsertInstalled(installInput(p));
        let holders = 0;
        let most = 0;
        await Promise.all(
          Array.from({ length: 5 }, () =>
            store.installations.withRefreshLock(p, async () => {
              holders += 1;
              most = Math.max(most, holders);
              await new Promise((r) => setTimeout(r, 20));
              holders -= 1;
            }),
          ),
        );
        expect(most).toBe(1);
      });

      it('consumes a state once: ok, then used; unknown and expired nonces are told apart', async () => {
        const live = randomUUID();
        const old = randomUUID();
        await store.installations.recordState(live, new Date(T1.getTime() + 600_000));
        await store.installations.recordState(old, new Date(T1.getTime() - 1));
        await expect(store.installations.consumeState(live, T1)).resolves.toBe('ok');
        await expect(store.installations.consumeState(live, T1)).resolves.toBe('used');
        await expect(store.installations.consumeState(old, T1)).resolves.toBe('expired');
        await expect(store.installations.consumeState(randomUUID(), T1)).resolves.toBe('unknown');
        // Expiry is exclusive: at expiresAt the state is already expired.
        const edge = randomUUID();
        await store.installations.recordState(edge, T2);
        await expect(store.installations.consumeState(edge, T2)).resolves.toBe('expired');
      });

      it('gives exactly one "ok" to concurrent consumers of one state', async () => {
        const nonce = randomUUID();
        await store.installations.recordState(nonce, new Date(T1.getTime() + 600_000));
        const results = await Promise.all(
          Array.from({ length: 10 }, () => store.installations.consumeState(nonce, T1)),
        );
        expect(results.filter((r) => r === 'ok')).toHaveLength(1);
        expect(results.filter((r) => r === 'used')).toHaveLength(9);
      });

      it('refuses a nonce recorded twice, and deletes expired states', async () => {
        const nonce = randomUUID();
        await store.installations.recordState(nonce, T1);
        await expectAppError(store.installations.recordState(nonce, T2), 'STORE_UNAVAILABLE');
        const fresh = randomUUID();
        await store.installations.recordState(fresh, new Date(T2.getTime() + 1000));
        expect(await store.installations.deleteExpiredStates(T2)).toBeGreaterThanOrEqual(1);
        await expect(store.installations.consumeState(nonce, T1)).resolves.toBe('unknown');
        await expect(store.installations.consumeState(fresh, T2)).resolves.toBe('ok');
      });

      it('listPurgeDue names uninstalled portals whose retention has passed', async () => {
        const due = newPortal();
        const later = newPortal();
        const active = newPortal();
        for (const p of [due, later, active]) await store.installations.upsertInstalled(installInput(p));
        await store.installations.markUninstalled(due, T1, T2);
        await store.installations.markUninstalled(later, T1, new Date(T2.getTime() + 1));
        const mine = (ids: number[]): number[] => ids.filter((id) => [due, later, active].includes(id));
        expect(mine(await store.installations.listPurgeDue(T2))).toEqual([due]);
        expect(mine(await store.installations.listPurgeDue(new Date(T2.getTime() + 1)))).toEqual([
          due,
          later,
        ]);
        await store.installations.deletePortal(due);
        expect(mine(await store.installations.listPurgeDue(new Date(T2.getTime() + 1)))).toEqual([later]);
        await expectAppError(store.installations.listPurgeDue(new Date('x')), 'INVALID_INPUT');
      });

      it('deletePortal removes only that portal’s installation', async () => {
        const a = newPortal();
        const b = newPortal();
        await store.installations.upsertInstalled(installInput(a));
        await store.installations.upsertInstalled(installInput(b));
        await store.settings.put(a, 'k', 1);
        await store.installations.deletePortal(a);
        await expect(store.installations.get(a)).resolves.toBeNull();
        await expect(store.installations.get(b)).resolves.toEqual(installed(installInput(b)));
        await expect(store.settings.get(a, 'k', z.number())).resolves.toBe(1);
        await expect(store.installations.deletePortal(newPortal())).resolves.toBeUndefined();
      });

      it('refuses bad arguments with INVALID_INPUT', async () => {
        const p = newPortal();
        for (const bad of [0, -1, 1.5, Number.NaN]) {
          await expectAppError(store.installations.get(bad), 'INVALID_INPUT');
          await expectAppError(store.installations.upsertInstalled(installInput(bad)), 'INVALID_INPUT');
          await expectAppError(store.installations.markUninstalled(bad, T1, T2), 'INVALID_INPUT');
          await expectAppError(store.installations.saveAccessToken(bad, 'x', T1), 'INVALID_INPUT');
          await expectAppError(
            store.installations.withRefreshLock(bad, () => Promise.resolve()),
            'INVALID_INPUT',
          );
          await expectAppError(store.installations.deletePortal(bad), 'INVALID_INPUT');
        }
        await expectAppError(
          store.installations.upsertInstalled(installInput(p, { hubDomain: '' })),
          'INVALID_INPUT',
        );
        await expectAppError(
          store.installations.upsertInstalled(installInput(p, { userId: 0 })),
          'INVALID_INPUT',
        );
        await expectAppError(
          store.installations.upsertInstalled(installInput(p, { scopes: ['a b'] })),
          'INVALID_INPUT',
        );
        await expectAppError(
          store.installations.upsertInstalled(installInput(p, { refreshTokenSealed: '' })),
          'INVALID_INPUT',
        );
        await expectAppError(
          store.installations.upsertInstalled(installInput(p, { accessExpiresAt: new Date('x') })),
          'INVALID_INPUT',
        );
        await expectAppError(store.installations.saveAccessToken(p, '', T1), 'INVALID_INPUT');
        await expectAppError(store.installations.recordState('', T1), 'INVALID_INPUT');
        await expectAppError(store.installations.consumeState('x'.repeat(201), T1), 'INVALID_INPUT');
        await expect(store.installations.get(p)).resolves.toBeNull();
      });
    });

    describeWebhookStoreContract(() => store, newPortal);

    describeCoachingStoreContract(() => store, newPortal);

    describe('failures inside a transaction', () => {
      it(
        'a write that fails halfway leaves the previous week and run intact, and the store usable',
        async () => {
          const faults = createFaultInjector();
          const faulty = await open({ plugins: [faults.plugin] });
          try {
            const p = newPortal();
            const before = snapshotRows(['1', '2', '3'], 22);
            await faulty.snapshots.replaceWeek(p, W2, before, T1);

            // The run row and the owners' upsert are written, then removing owner 2 fails.
            faults.failWrite('metric_snapshots', 2);
            const error = await expectAppError(
              faulty.snapshots.replaceWeek(p, W2, snapshotRows(['1', '3', '4'], 23), T2),
              'STORE_UNAVAILABLE',
            );
            expect(faults.fired).toBe(1);
            expect(error.cause).toBeInstanceOf(InjectedFault);
            await expect(faulty.snapshots.listWeeks(p, { fromWeek: W1, toWeek: W4 })).resolves.toEqual(
              expected(W2, before, T1),
            );
            await expect(faulty.snapshots.lastRun(p, W2)).resolves.toEqual({ computedAt: T1, owners: 3 });

            // A first write of a new week that fails leaves no run behind either.
            faults.failWrite('metric_snapshots', 1);
            await expectAppError(
              faulty.snapshots.replaceWeek(p, W3, snapshotRows(['1'], 24), T2),
              'STORE_UNAVAILABLE',
            );
            await expect(faulty.snapshots.lastRun(p, W3)).resolves.toBeNull();

            // The connection is not left inside a transaction.
            const after = snapshotRows(['1', '3', '4'], 25);
            await faulty.snapshots.replaceWeek(p, W2, after, T2);
            await expect(faulty.snapshots.listWeeks(p, { fromWeek: W1, toWeek: W4 })).resolves.toEqual(
              expected(W2, after, T2),
            );
          } finally {
            await faulty.close();
          }
        },
        OPEN_TIMEOUT_MS,
      );
    });

    describe('lifecycle', () => {
      it(
        'close is idempotent and every later call fails with STORE_UNAVAILABLE',
        async () => {
          const s = await open();
          await s.health();
          await s.close();
          await s.close();
          await expectAppError(s.health(), 'STORE_UNAVAILABLE');
          await expectAppError(s.snapshots.listWeeks(1, { fromWeek: W1, toWeek: W2 }), 'STORE_UNAVAILABLE');
          await expectAppError(s.snapshots.replaceWeek(1, W1, [], T1), 'STORE_UNAVAILABLE');
          await expectAppError(s.settings.get(1, 'k', z.unknown()), 'STORE_UNAVAILABLE');
          await expectAppError(s.installations.get(1), 'STORE_UNAVAILABLE');
          await expectAppError(s.installations.consumeState('n', T1), 'STORE_UNAVAILABLE');
        },
        OPEN_TIMEOUT_MS,
      );
    });
  });
}
