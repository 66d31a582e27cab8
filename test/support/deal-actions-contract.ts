/**
 * The waivers and idempotency-keys part of the store contract (issue 3 items 6 and 7), called from
 * describeStoreContract so every adapter (SQLite, PGlite, PostgreSQL) runs it.
 */
import type { Store } from '../../src/store/ports.js';
import type { WaiveInput } from '../../src/store/waiver-store.js';

const T1 = new Date('2025-01-07T06:00:00.000Z');
const T2 = new Date('2025-01-08T06:00:00.123Z');

/** Register the tests; `store` is read when they run, `newPortal` gives each test fresh portal ids. */
export function describeDealActionsContract(store: () => Store, newPortal: () => number): void {
  const waiver = (portalId: number, overrides: Partial<WaiveInput> = {}): WaiveInput => ({
    portalId,
    dealId: '101',
    criterionId: 'qualified.budget',
    stageId: 'qualifiedtobuy',
    reason: 'Budget confirmed by phone',
    userId: 7,
    createdAt: T1,
    ...overrides,
  });

  describe('waivers', () => {
    it('lists [] for a deal with none, and stores one waiver per deal and criterion', async () => {
      const p = newPortal();
      const s = store();
      await expect(s.waivers.listForDeal(p, '101')).resolves.toEqual([]);
      await s.waivers.waive(waiver(p));
      await s.waivers.waive(waiver(p, { criterionId: 'qualified.authority', reason: 'Signer is the CEO' }));
      await s.waivers.waive(
        waiver(p, { reason: '  Budget approved in writing  ', userId: 8, createdAt: T2 }),
      );
      await s.waivers.waive(waiver(p, { dealId: '102' }));
      await expect(s.waivers.listForDeal(p, '101')).resolves.toEqual([
        { ...waiver(p, { criterionId: 'qualified.authority', reason: 'Signer is the CEO' }) },
        { ...waiver(p, { reason: 'Budget approved in writing', userId: 8, createdAt: T2 }) },
      ]);
      // Another portal sees none of them.
      await expect(s.waivers.listForDeal(newPortal(), '101')).resolves.toEqual([]);
    });

    it('refuses an empty or over-long reason and bad ids before writing', async () => {
      const p = newPortal();
      const s = store();
      for (const bad of [
        waiver(p, { reason: '' }),
        waiver(p, { reason: '   ' }),
        waiver(p, { reason: 'x'.repeat(281) }),
        waiver(p, { dealId: 'abc' }),
        waiver(p, { userId: 0 }),
        waiver(p, { criterionId: '' }),
      ]) {
        await expect(s.waivers.waive(bad)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      }
      await s.waivers.waive(waiver(p, { reason: 'é'.repeat(280) }));
      expect(await s.waivers.listForDeal(p, '101')).toHaveLength(1);
    });

    it('listForPortal lists every waiver of the portal only, by deal then criterion', async () => {
      const [a, b] = [newPortal(), newPortal()];
      const s = store();
      await expect(s.waivers.listForPortal(a)).resolves.toEqual([]);
      await s.waivers.waive(waiver(a, { dealId: '102' }));
      await s.waivers.waive(waiver(a, { criterionId: 'qualified.authority' }));
      await s.waivers.waive(waiver(a));
      await s.waivers.waive(waiver(b));
      await expect(s.waivers.listForPortal(a)).resolves.toEqual([
        waiver(a, { criterionId: 'qualified.authority' }),
        waiver(a),
        waiver(a, { dealId: '102' }),
      ]);
      expect(await s.waivers.listForPortal(b)).toHaveLength(1);
    });

    it('deletePortal removes only that portal', async () => {
      const [a, b] = [newPortal(), newPortal()];
      const s = store();
      await s.waivers.waive(waiver(a));
      await s.waivers.waive(waiver(b));
      await s.waivers.deletePortal(a);
      await expect(s.waivers.listForDeal(a, '101')).resolves.toEqual([]);
      expect(await s.waivers.listForDeal(b, '101')).toHaveLength(1);
    });
  });

  describe('idempotency keys', () => {
    const stale = new Date(T1.getTime() - 60_000);

    it('claims once, replays the stored response, and releases a failed claim', async () => {
      const p = newPortal();
      const s = store();
      await expect(s.idempotency.claim(p, 'k:1', T1, stale)).resolves.toEqual({ state: 'claimed' });
      await expect(s.idempotency.claim(p, 'k:1', T1, stale)).resolves.toEqual({ state: 'pending' });
      // Another portal's key of the same name is its own.
      await expect(s.idempotency.claim(newPortal(), 'k:1', T1, stale)).resolves.toEqual({ state: 'claimed' });
      await s.idempotency.complete(p, 'k:1', '{"status":200,"body":1}');
      await expect(s.idempotency.claim(p, 'k:1', T2, stale)).resolves.toEqual({
        state: 'done',
        response: '{"status":200,"body":1}',
      });
      // Release drops claims in progress only: a completed key stays.
      await s.idempotency.release(p, 'k:1');
      expect((await s.idempotency.claim(p, 'k:1', T2, stale)).state).toBe('done');
      await s.idempotency.claim(p, 'k:2', T1, stale);
      await s.idempotency.release(p, 'k:2');
      await expect(s.idempotency.claim(p, 'k:2', T1, stale)).resolves.toEqual({ state: 'claimed' });
    });

    it('of concurrent claims exactly one wins', async () => {
      const p = newPortal();
      const s = store();
      const results = await Promise.all(
        Array.from({ length: 8 }, () => s.idempotency.claim(p, 'race', T1, stale)),
      );
      expect(results.filter((r) => r.state === 'claimed')).toHaveLength(1);
    });

    it('a stale claim is taken over once', async () => {
      const p = newPortal();
      const s = store();
      await s.idempotency.claim(p, 'old', T1, stale);
      const later = new Date(T1.getTime() + 120_000);
      const staleBefore = new Date(later.getTime() - 60_000);
      const results = await Promise.all([
        s.idempotency.claim(p, 'old', later, staleBefore),
        s.idempotency.claim(p, 'old', later, staleBefore),
      ]);
      expect(results.map((r) => r.state).sort()).toEqual(['claimed', 'pending']);
    });

    it('deletes old keys and a portal', async () => {
      const [a, b] = [newPortal(), newPortal()];
      const s = store();
      await s.idempotency.claim(a, 'x', T1, stale);
      await s.idempotency.claim(b, 'x', T1, stale);
      await s.idempotency.deletePortal(a);
      await expect(s.idempotency.claim(a, 'x', T2, stale)).resolves.toEqual({ state: 'claimed' });
      expect((await s.idempotency.claim(b, 'x', T2, stale)).state).toBe('pending');
      await expect(s.idempotency.deleteOlderThan(new Date(T1.getTime() + 1))).resolves.toBeGreaterThanOrEqual(
        1,
      );
      await expect(s.idempotency.claim(b, 'x', T2, stale)).resolves.toEqual({ state: 'claimed' });
    });
  });
}
