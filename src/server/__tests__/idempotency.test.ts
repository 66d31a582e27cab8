// withIdempotency over an in-memory IdempotencyStore: first run stored and replayed, failures
// release the key, a concurrent holder is waited for, and a holder that never finishes is a CONFLICT.
import { AppError } from '../../core/errors.js';
import type { ClaimResult, IdempotencyStore } from '../../store/idempotency-store.js';
import { withIdempotency } from '../idempotency.js';

function memoryStore(): IdempotencyStore & { rows: Map<string, { response: string | null; at: number }> } {
  const rows = new Map<string, { response: string | null; at: number }>();
  const id = (p: number, k: string) => `${p}:${k}`;
  return {
    rows,
    claim(portalId, key, at, staleBefore): Promise<ClaimResult> {
      const row = rows.get(id(portalId, key));
      if (row === undefined || (row.response === null && row.at < staleBefore.getTime())) {
        rows.set(id(portalId, key), { response: null, at: at.getTime() });
        return Promise.resolve({ state: 'claimed' });
      }
      return Promise.resolve(
        row.response === null ? { state: 'pending' } : { state: 'done', response: row.response },
      );
    },
    complete(portalId, key, response) {
      const row = rows.get(id(portalId, key));
      if (row) row.response = response;
      return Promise.resolve();
    },
    release(portalId, key) {
      if (rows.get(id(portalId, key))?.response === null) rows.delete(id(portalId, key));
      return Promise.resolve();
    },
    deleteOlderThan: () => Promise.resolve(0),
    deletePortal: () => Promise.resolve(),
  };
}

test('runs once and replays the first response', async () => {
  const store = memoryStore();
  const fn = jest.fn(() => Promise.resolve({ status: 201, body: { id: 'a' } }));
  await expect(withIdempotency(store, 1, 'k', fn)).resolves.toEqual({
    status: 201,
    body: { id: 'a' },
    replayed: false,
  });
  await expect(withIdempotency(store, 1, 'k', fn)).resolves.toEqual({
    status: 201,
    body: { id: 'a' },
    replayed: true,
  });
  expect(fn).toHaveBeenCalledTimes(1);
  // Another portal's key is its own.
  await withIdempotency(store, 2, 'k', fn);
  expect(fn).toHaveBeenCalledTimes(2);
});

test('a failure releases the key, so a retry runs again', async () => {
  const store = memoryStore();
  const failing = jest.fn(() => Promise.reject(new AppError('HUBSPOT_TEMPORARY', 'down')));
  await expect(withIdempotency(store, 1, 'k', failing)).rejects.toMatchObject({ code: 'HUBSPOT_TEMPORARY' });
  expect(store.rows.size).toBe(0);
  const ok = jest.fn(() => Promise.resolve({ status: 200, body: 1 }));
  await expect(withIdempotency(store, 1, 'k', ok)).resolves.toMatchObject({ body: 1, replayed: false });
});

test('a concurrent request waits for the first and gets its answer', async () => {
  const store = memoryStore();
  let finish: (v: { status: number; body: unknown }) => void = () => undefined;
  const slow = jest.fn(() => new Promise<{ status: number; body: unknown }>((resolve) => (finish = resolve)));
  const first = withIdempotency(store, 1, 'k', slow, { pollMs: 1 });
  const second = withIdempotency(store, 1, 'k', slow, { pollMs: 1 });
  await new Promise((resolve) => setTimeout(resolve, 10));
  finish({ status: 200, body: 'x' });
  await expect(first).resolves.toMatchObject({ body: 'x', replayed: false });
  await expect(second).resolves.toMatchObject({ body: 'x', replayed: true });
  expect(slow).toHaveBeenCalledTimes(1);
});

test('a holder that does not finish within the wait is a CONFLICT', async () => {
  const store = memoryStore();
  void withIdempotency(store, 1, 'k', () => new Promise(() => undefined));
  await expect(
    withIdempotency(store, 1, 'k', () => Promise.resolve({ status: 200, body: 1 }), {
      waitMs: 20,
      pollMs: 2,
    }),
  ).rejects.toMatchObject({ code: 'CONFLICT' });
});
