/**
 * The webhook queue and stage-exception ports, as part of the store contract (every adapter runs
 * it through describeStoreContract): dedupe (also concurrent), leases, retries, ordering reads,
 * portal deletion.
 */
import type { Store } from '../../src/store/ports.js';
import type { WebhookEventInput } from '../../src/store/webhook-ports.js';
import { expectAppError } from './store-contract.js';

const T0 = new Date('2025-03-03T10:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);

let nextEvent = 1_000;
/** A dealstage change event of a portal. */
export function stageEvent(
  portalId: number,
  dealId: string,
  stageId: string,
  occurredAt: Date,
  eventId = String((nextEvent += 1)),
): WebhookEventInput {
  return {
    portalId,
    eventId,
    subscriptionType: 'object.propertyChange',
    objectId: dealId,
    objectTypeId: '0-3',
    propertyName: 'dealstage',
    propertyValue: stageId,
    occurredAt,
  };
}

export function describeWebhookStoreContract(getStore: () => Store, newPortal: () => number): void {
  describe('webhooks', () => {
    it('stores a batch once: redelivery, duplicates in the batch and concurrent deliveries are no-ops', async () => {
      const store = getStore();
      const p = newPortal();
      const batch = [stageEvent(p, '11', 'a', at(0)), stageEvent(p, '11', 'b', at(1000))];
      await expect(store.webhooks.acceptBatch(batch, T0)).resolves.toEqual({ accepted: 2, duplicates: 0 });
      await expect(store.webhooks.acceptBatch(batch, T0)).resolves.toEqual({ accepted: 0, duplicates: 2 });
      const more = [stageEvent(p, '12', 'a', at(0)), stageEvent(p, '13', 'a', at(0))];
      const outcomes = await Promise.all(
        [0, 1, 2, 3].map(() => store.webhooks.acceptBatch([...more, ...more, ...batch], T0)),
      );
      expect(outcomes.reduce((n, o) => n + o.accepted, 0)).toBe(2);
      expect(outcomes.every((o) => o.accepted + o.duplicates === 6)).toBe(true);
      const first = batch[0];
      const stored = await store.webhooks.get(p, first?.eventId ?? '');
      expect(stored).toMatchObject({ portalId: p, status: 'pending', attempts: 0, propertyValue: 'a' });
      expect(stored?.occurredAt).toEqual(at(0));
    });

    it('the same eventId in two portals is two events', async () => {
      const store = getStore();
      const [p, q] = [newPortal(), newPortal()];
      await store.webhooks.acceptBatch(
        [stageEvent(p, '1', 'a', T0, '77'), stageEvent(q, '1', 'a', T0, '77')],
        T0,
      );
      await expect(store.webhooks.get(p, '77')).resolves.not.toBeNull();
      await expect(store.webhooks.get(q, '77')).resolves.not.toBeNull();
      await store.webhooks.deletePortal(p);
      await expect(store.webhooks.get(p, '77')).resolves.toBeNull();
      await expect(store.webhooks.get(q, '77')).resolves.not.toBeNull();
    });

    it('claims lease each event to one worker; done stays done; an expired lease is re-claimed', async () => {
      const store = getStore();
      const p = newPortal();
      // Occurred long before other tests' events, so these are the oldest due and claimed first.
      const now = new Date('2090-01-01T00:00:00.000Z');
      const old = new Date('1990-01-01T00:00:00.000Z').getTime();
      const events = Array.from({ length: 12 }, (_, i) =>
        stageEvent(p, String(100 + i), 's', new Date(old + i)),
      );
      await store.webhooks.acceptBatch(events, now);
      const claims = await Promise.all([0, 1, 2, 3].map(() => store.webhooks.claimPending(5, now, 60_000)));
      const mine = claims.flat().filter((e) => e.portalId === p);
      const ids = mine.map((e) => e.eventId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(12);
      expect(mine.every((e) => e.status === 'processing' && e.attempts === 1)).toBe(true);

      const [done, lost, retry] = mine;
      if (!done || !lost || !retry) throw new Error('claims missing');
      await expect(store.webhooks.markDone(p, done.eventId, done.leaseToken, now)).resolves.toBe(true);
      await expect(store.webhooks.markDone(p, done.eventId, done.leaseToken, now)).resolves.toBe(false);
      // Several at once, in one transaction: each answered in order, a lost lease (or done) false.
      await expect(
        store.webhooks.markDoneMany(
          [
            { portalId: p, eventId: done.eventId, leaseToken: done.leaseToken },
            { portalId: p, eventId: done.eventId, leaseToken: 'not-the-token' },
          ],
          now,
        ),
      ).resolves.toEqual([false, false]);
      await expect(store.webhooks.markDoneMany([], now)).resolves.toEqual([]);
      await expect(
        store.webhooks.markFailed(
          p,
          retry.eventId,
          retry.leaseToken,
          'boom',
          new Date(now.getTime() + 30_000),
        ),
      ).resolves.toBe(true);
      // Leases still hold: nothing of this portal is due before they expire.
      expect((await store.webhooks.claimPending(50, now, 60_000)).filter((e) => e.portalId === p)).toEqual(
        [],
      );
      const later = new Date(now.getTime() + 60_001);
      const again = (await store.webhooks.claimPending(50, later, 60_000)).filter((e) => e.portalId === p);
      expect(again.map((e) => e.eventId).sort()).toEqual(ids.filter((id) => id !== done.eventId).sort());
      expect(again.find((e) => e.eventId === retry.eventId)).toMatchObject({
        attempts: 2,
        lastError: 'boom',
      });
      // The old token no longer holds the lease.
      await expect(store.webhooks.markDone(p, lost.eventId, lost.leaseToken, later)).resolves.toBe(false);
      const relost = again.find((e) => e.eventId === lost.eventId);
      await expect(
        store.webhooks.markFailed(p, lost.eventId, relost?.leaseToken ?? '', 'gave up', null),
      ).resolves.toBe(true);
      await expect(store.webhooks.get(p, lost.eventId)).resolves.toMatchObject({ status: 'failed' });
      const much = new Date(later.getTime() + 3_600_000);
      const rest = (await store.webhooks.claimPending(50, much, 60_000)).filter((e) => e.portalId === p);
      expect(rest.map((e) => e.eventId)).not.toContain(lost.eventId);
      expect(rest.map((e) => e.eventId)).not.toContain(done.eventId);
      expect(rest.length).toBeGreaterThan(0);
      await expect(store.webhooks.markDoneMany(rest, much)).resolves.toEqual(rest.map(() => true));
      for (const e of rest)
        await expect(store.webhooks.get(p, e.eventId)).resolves.toMatchObject({ status: 'done' });
    });

    it('lists a deal’s stage changes by occurrence, whatever the arrival order', async () => {
      const store = getStore();
      const p = newPortal();
      await store.webhooks.acceptBatch([stageEvent(p, '5', 'c', at(2000))], T0);
      await store.webhooks.acceptBatch(
        [
          stageEvent(p, '5', 'b', at(1000)),
          stageEvent(p, '6', 'x', at(0)),
          { ...stageEvent(p, '5', 'y', at(0)), propertyName: 'amount' },
        ],
        T0,
      );
      const changes = await store.webhooks.stageChanges(p, '5');
      expect(changes.map((c) => [c.stageId, c.occurredAt])).toEqual([
        ['b', at(1000)],
        ['c', at(2000)],
      ]);
    });

    it('refuses bad input before any SQL', async () => {
      const store = getStore();
      const p = newPortal();
      await expectAppError(
        store.webhooks.acceptBatch([{ ...stageEvent(p, '1', 'a', T0), eventId: 'x' }], T0),
        'INVALID_INPUT',
      );
      await expectAppError(
        store.webhooks.acceptBatch([{ ...stageEvent(p, '1', 'a', T0), portalId: 0 }], T0),
        'INVALID_INPUT',
      );
      await expectAppError(store.webhooks.claimPending(0, T0, 1000), 'INVALID_INPUT');
      await expectAppError(store.webhooks.get(p, ''), 'INVALID_INPUT');
      await expect(store.webhooks.acceptBatch([], T0)).resolves.toEqual({ accepted: 0, duplicates: 0 });
    });
  });

  describe('stage exceptions', () => {
    it('records once per (deal, occurredAt, stage left), lists by time, deletes per portal', async () => {
      const store = getStore();
      const [p, q] = [newPortal(), newPortal()];
      const e1 = {
        portalId: p,
        dealId: '9',
        fromStageId: 'a',
        toStageId: 'b',
        criterionIds: ['c1', 'c2'],
        occurredAt: at(1000),
        ownerId: '61400257',
      };
      // Recorded without an owner (an unowned deal, or a caller from before owners were kept): null.
      const e2 = { ...e1, dealId: '8', occurredAt: at(0), ownerId: null };
      await expect(store.exceptions.record(e1)).resolves.toBe(true);
      await expect(store.exceptions.record({ ...e1, criterionIds: ['other'] })).resolves.toBe(false);
      await expect(store.exceptions.record(e2)).resolves.toBe(true);
      await store.exceptions.record({ ...e1, portalId: q });
      await expect(store.exceptions.listForPortal(p)).resolves.toEqual([e2, e1]);
      await expect(store.exceptions.listForPortal(p, { since: at(500) })).resolves.toEqual([e1]);
      await store.exceptions.deletePortal(p);
      await expect(store.exceptions.listForPortal(p)).resolves.toEqual([]);
      await expect(store.exceptions.listForPortal(q)).resolves.toHaveLength(1);
      await expectAppError(store.exceptions.record({ ...e1, dealId: 'x' }), 'INVALID_INPUT');
      await expectAppError(store.exceptions.record({ ...e1, ownerId: 'not an id' }), 'INVALID_INPUT');
      const { ownerId: _omitted, ...withoutOwner } = { ...e1, dealId: '7' };
      await expect(store.exceptions.record(withoutOwner)).resolves.toBe(true);
    });
  });
}
