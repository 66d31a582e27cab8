import type { WebhookEvent, WebhookStore } from '../../store/webhook-ports.js';
import { createWebhookProcessor } from '../processor.js';
import type { WebhookHandler } from '../processor.js';

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** An in-memory queue with the store's lease semantics, enough for the processor. */
function fakeStore(events: WebhookEvent[]) {
  const rows = new Map(events.map((e) => [e.eventId, { ...e, availableAt: 0 }]));
  const store: Pick<WebhookStore, 'claimPending' | 'markDoneMany' | 'markFailed'> = {
    claimPending(limit, now, leaseMs) {
      const due = [...rows.values()]
        .filter(
          (r) => (r.status === 'pending' || r.status === 'processing') && r.availableAt <= now.getTime(),
        )
        .slice(0, limit);
      for (const r of due) {
        r.status = 'processing';
        r.attempts += 1;
        r.leaseToken = `t${r.attempts}`;
        r.availableAt = now.getTime() + leaseMs;
      }
      return Promise.resolve(due.map((r) => ({ ...r })));
    },
    markDoneMany(events) {
      return Promise.resolve(
        events.map(({ eventId, leaseToken }) => {
          const r = rows.get(eventId);
          if (!r || r.leaseToken !== leaseToken || r.status !== 'processing') return false;
          r.status = 'done';
          return true;
        }),
      );
    },
    markFailed(_p, id, token, error, retryAt) {
      const r = rows.get(id);
      if (!r || r.leaseToken !== token || r.status !== 'processing') return Promise.resolve(false);
      r.status = retryAt === null ? 'failed' : 'pending';
      r.lastError = error;
      if (retryAt) r.availableAt = retryAt.getTime();
      return Promise.resolve(true);
    },
  };
  return { store, rows };
}

function event(eventId: string, subscriptionType = 'object.propertyChange'): WebhookEvent {
  return {
    portalId: 1,
    eventId,
    subscriptionType,
    objectId: '9',
    objectTypeId: '0-3',
    propertyName: 'dealstage',
    propertyValue: 's',
    occurredAt: new Date(0),
    receivedAt: new Date(0),
    status: 'pending',
    attempts: 0,
    leaseToken: '',
    lastError: null,
  };
}

describe('webhook processor', () => {
  it('marks handled and unhandled events done, each handled once', async () => {
    const { store, rows } = fakeStore([event('1'), event('2', 'contact.creation')]);
    const seen: string[] = [];
    const handler: WebhookHandler = {
      name: 'deal',
      matches: (e) => e.subscriptionType === 'object.propertyChange',
      handle: (e) => {
        seen.push(e.eventId);
        return Promise.resolve();
      },
    };
    const p = createWebhookProcessor({ store, handlers: [handler], logger: silent, now: () => 1000 });
    await expect(p.runOnce()).resolves.toMatchObject({ claimed: 2, done: 2 });
    await expect(p.runOnce()).resolves.toMatchObject({ claimed: 0 });
    expect(seen).toEqual(['1']);
    expect([...rows.values()].map((r) => r.status)).toEqual(['done', 'done']);
  });

  it('retries a failing event with growing backoff and gives up after maxAttempts', async () => {
    const { store, rows } = fakeStore([event('1')]);
    let clock = 0;
    const failing: WebhookHandler = {
      name: 'boom',
      matches: () => true,
      handle: () => Promise.reject(new Error('HubSpot down')),
    };
    const p = createWebhookProcessor({
      store,
      handlers: [failing],
      logger: silent,
      now: () => clock,
      maxAttempts: 3,
      backoffBaseMs: 100,
    });
    await expect(p.runOnce()).resolves.toMatchObject({ claimed: 1, retried: 1 });
    expect(rows.get('1')?.availableAt).toBe(100);
    clock = 99;
    await expect(p.runOnce()).resolves.toMatchObject({ claimed: 0 });
    clock = 100;
    await expect(p.runOnce()).resolves.toMatchObject({ claimed: 1, retried: 1 });
    expect(rows.get('1')?.availableAt).toBe(300); // 100 + 100 × 2
    clock = 300;
    await expect(p.runOnce()).resolves.toMatchObject({ claimed: 1, failed: 1 });
    expect(rows.get('1')).toMatchObject({ status: 'failed', attempts: 3, lastError: 'HubSpot down' });
    clock = 1e9;
    await expect(p.runOnce()).resolves.toMatchObject({ claimed: 0 });
  });

  it('start runs in the background until stop', async () => {
    const { store, rows } = fakeStore([event('1')]);
    const p = createWebhookProcessor({ store, handlers: [], logger: silent });
    p.start(5);
    for (let i = 0; i < 100 && rows.get('1')?.status !== 'done'; i += 1) {
      await new Promise((r) => setTimeout(r, 5));
    }
    await p.stop();
    expect(rows.get('1')?.status).toBe('done');
    expect(() => p.start(0)).toThrow(RangeError);
  });
});
