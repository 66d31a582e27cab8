import { createHmac, randomBytes } from 'node:crypto';
import { AppError } from '../../core/errors.js';
import type { Store } from '../../store/ports.js';
import { openSqliteStore } from '../../store/sqlite-store.js';
import { MAX_STATE_TTL_MS, checkStateSignature, createOAuthState } from '../oauth-state.js';
import type { StateFailure } from '../oauth-state.js';

const KEY = randomBytes(32);
const T0 = new Date('2026-11-02T09:00:00.000Z');

let store: Store;
let now: Date;
beforeEach(async () => {
  store = await openSqliteStore({ file: ':memory:' });
  now = T0;
});
afterEach(async () => {
  await store.close();
});

const states = (): ReturnType<typeof createOAuthState> =>
  createOAuthState({ key: KEY, store: store.installations, now: () => now });

async function refusal(promise: Promise<unknown>): Promise<{ code: string; reason: StateFailure }> {
  const error = await promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  const e = error as AppError;
  return { code: e.code, reason: e.details?.reason as StateFailure };
}

// Re-sign a payload independently of the code under test (style.md point 16).
function forge(key: Buffer, payload: string): string {
  const mac = createHmac('sha256', key).update(`pillars.oauth-state\n${payload}`).digest('base64url');
  return `${payload}.${mac}`;
}

describe('OAuth state', () => {
  it('issues a 128-bit nonce, valid for 10 minutes, consumed once', async () => {
    const s = states();
    const state = await s.issue();
    const [, nonce, expires] = state.split('.') as [string, string, string];
    expect(Buffer.from(nonce, 'base64url')).toHaveLength(16);
    expect(Number(expires)).toBe(T0.getTime() + MAX_STATE_TTL_MS);
    now = new Date(T0.getTime() + MAX_STATE_TTL_MS - 1);
    await expect(s.consume(state)).resolves.toEqual({
      nonce,
      expiresAt: new Date(T0.getTime() + MAX_STATE_TTL_MS),
    });
    await expect(refusal(s.consume(state))).resolves.toEqual({ code: 'FORBIDDEN', reason: 'STATE_REUSED' });
  });

  it('tells missing, malformed, tampered, expired and unknown apart', async () => {
    const s = states();
    for (const missing of [undefined, null, '']) {
      await expect(refusal(s.consume(missing))).resolves.toEqual({
        code: 'INVALID_INPUT',
        reason: 'STATE_MISSING',
      });
    }
    const state = await s.issue();
    for (const malformed of [
      'abc',
      state + 'x',
      state.replace(/^v1/, 'v2'),
      state.split('.').slice(0, 3).join('.'),
    ]) {
      await expect(refusal(s.consume(malformed))).resolves.toEqual({
        code: 'INVALID_INPUT',
        reason: 'STATE_MALFORMED',
      });
    }
    const [v, nonce, expires, mac] = state.split('.') as [string, string, string, string];
    // A later expiry with the old MAC; another key's MAC; a flipped MAC bit; the client secret as key.
    const later = [v, nonce, String(Number(expires) + 3_600_000), mac].join('.');
    const flipped = Buffer.from(mac, 'base64url');
    flipped[5] = (flipped[5] as number) ^ 0x10;
    for (const tampered of [
      later,
      forge(randomBytes(32), `${v}.${nonce}.${expires}`),
      [v, nonce, expires, flipped.toString('base64url')].join('.'),
    ]) {
      await expect(refusal(s.consume(tampered))).resolves.toEqual({
        code: 'FORBIDDEN',
        reason: 'STATE_TAMPERED',
      });
    }
    // Signed with our key but never issued (not in the store).
    const unknown = forge(KEY, `v1.${randomBytes(16).toString('base64url')}.${T0.getTime() + 60_000}`);
    await expect(refusal(s.consume(unknown))).resolves.toEqual({
      code: 'FORBIDDEN',
      reason: 'STATE_UNKNOWN',
    });

    now = new Date(T0.getTime() + MAX_STATE_TTL_MS);
    await expect(refusal(s.consume(state))).resolves.toEqual({ code: 'FORBIDDEN', reason: 'STATE_EXPIRED' });
  });

  it('gives exactly one success to concurrent uses of one state', async () => {
    const s = states();
    const state = await s.issue();
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => s.consume(state)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const reasons = outcomes.flatMap((o) =>
      o.status === 'rejected' ? [(o.reason as AppError).details?.reason] : [],
    );
    expect(reasons).toEqual(Array.from({ length: 9 }, () => 'STATE_REUSED'));
  });

  it('checkStateSignature is pure and returns a reason', () => {
    expect(checkStateSignature(KEY, undefined, T0)).toEqual({ ok: false, reason: 'STATE_MISSING' });
    const good = forge(KEY, `v1.${'A'.repeat(22)}.${T0.getTime() + 1}`);
    expect(checkStateSignature(KEY, good, T0)).toEqual({
      ok: true,
      state: { nonce: 'A'.repeat(22), expiresAt: new Date(T0.getTime() + 1) },
    });
    expect(checkStateSignature(KEY, good, new Date(T0.getTime() + 1))).toEqual({
      ok: false,
      reason: 'STATE_EXPIRED',
    });
    // Signature before expiry: an expired forgery is reported as tampered.
    expect(checkStateSignature(randomBytes(32), good, new Date(T0.getTime() + 1))).toEqual({
      ok: false,
      reason: 'STATE_TAMPERED',
    });
  });

  it('refuses a short key, the HubSpot client secret as key, and a TTL over 10 minutes (threats A13)', () => {
    const secret = 'x'.repeat(40);
    const make = (key: Buffer, ttlMs?: number): unknown =>
      createOAuthState({
        key,
        hubspotClientSecret: secret,
        store: store.installations,
        now: () => now,
        ttlMs,
      });
    expect(() => make(randomBytes(16))).toThrow(/at least 32 bytes/);
    expect(() => make(Buffer.from(secret))).toThrow(/must not be the HubSpot client secret/);
    expect(() => make(KEY, MAX_STATE_TTL_MS + 1)).toThrow(/ttlMs/);
    expect(() => make(KEY, 60_000)).not.toThrow();
  });

  it('a state MAC is not a HubSpot v3 signature: it is keyed apart and domain-separated', async () => {
    // Even with the same key, our MAC covers "pillars.oauth-state\n..." so it cannot equal an
    // HMAC over a HubSpot v3 message (method + URI + body + timestamp).
    const state = await states().issue();
    const [v, nonce, expires, mac] = state.split('.') as [string, string, string, string];
    const plain = createHmac('sha256', KEY).update(`${v}.${nonce}.${expires}`).digest('base64url');
    expect(mac).not.toBe(plain);
  });
});
