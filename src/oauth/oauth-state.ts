/**
 * The OAuth `state` of an install (threats E1, A13): a random 128-bit nonce with an expiry,
 * HMAC-SHA256-signed with an app key that is never the HubSpot client secret (the secret only
 * verifies HubSpot; our own values get their own key, so neither can forge the other). The
 * signature is checked in constant time, and the nonce is used once, through the store.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../core/errors.js';
import type { ErrorCode } from '../core/errors.js';
import type { InstallationStore } from '../store/ports.js';

/** Why a state was refused (in AppError.details.reason). */
export type StateFailure =
  'STATE_MISSING' | 'STATE_MALFORMED' | 'STATE_TAMPERED' | 'STATE_EXPIRED' | 'STATE_REUSED' | 'STATE_UNKNOWN';

/** A state whose signature holds (it may still be expired or used). */
export interface SignedState {
  readonly nonce: string;
  readonly expiresAt: Date;
}

/** The result of the pure signature check. */
export type StateCheck = { ok: true; state: SignedState } | { ok: false; reason: StateFailure };

/** Options of createOAuthState. */
export interface OAuthStateOptions {
  /** The app key that signs states (at least 32 bytes); NOT the HubSpot client secret. */
  readonly key: Buffer;
  /** When given, refuse a key equal to it (threats A13). */
  readonly hubspotClientSecret?: string | undefined;
  /** Where nonces are recorded and consumed. */
  readonly store: Pick<InstallationStore, 'recordState' | 'consumeState'>;
  readonly now: () => Date;
  /** Lifetime of a state; at most 10 minutes (default), enough for a consent screen. */
  readonly ttlMs?: number | undefined;
}

/** Issues and consumes signed, single-use OAuth states. */
export interface OAuthState {
  /** A new state, recorded in the store. */
  issue(): Promise<string>;
  /** Check and use a state once; throws AppError (details.reason: StateFailure) unless it is good. */
  consume(state: string | null | undefined): Promise<SignedState>;
}

/** Longest allowed state lifetime. */
export const MAX_STATE_TTL_MS = 10 * 60_000;
const MIN_KEY_BYTES = 32;
const NONCE_BYTES = 16; // 128 bits
const VERSION = 'v1';
// Domain separation: these MACs can never equal one computed over another kind of message.
const PURPOSE = 'pillars.oauth-state';
const STATE = /^v1\.([A-Za-z0-9_-]{22})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/;

const STATUS: Record<StateFailure, ErrorCode> = {
  STATE_MISSING: 'INVALID_INPUT',
  STATE_MALFORMED: 'INVALID_INPUT',
  STATE_TAMPERED: 'FORBIDDEN',
  STATE_EXPIRED: 'FORBIDDEN',
  STATE_REUSED: 'FORBIDDEN',
  STATE_UNKNOWN: 'FORBIDDEN',
};

const PUBLIC: Record<StateFailure, string> = {
  STATE_MISSING: 'The install link is incomplete. Start the install again.',
  STATE_MALFORMED: 'The install link is not valid. Start the install again.',
  STATE_TAMPERED: 'The install link is not valid. Start the install again.',
  STATE_EXPIRED: 'The install link has expired. Start the install again.',
  STATE_REUSED: 'The install link was already used. Start the install again.',
  STATE_UNKNOWN: 'The install link is not valid. Start the install again.',
};

/** Pure check of a state's form and signature at `now` (no store): the reason when it fails. */
export function checkStateSignature(key: Buffer, state: string | null | undefined, now: Date): StateCheck {
  if (state === undefined || state === null || state === '') return { ok: false, reason: 'STATE_MISSING' };
  const m = typeof state === 'string' ? STATE.exec(state) : null;
  if (m === null) return { ok: false, reason: 'STATE_MALFORMED' };
  const [, nonce, expires, mac] = m as unknown as [string, string, string, string];
  const expected = sign(key, `${VERSION}.${nonce}.${expires}`);
  const given = Buffer.from(mac, 'base64url');
  // Lengths match by the pattern above (43 chars = 32 bytes); check anyway, timingSafeEqual throws otherwise.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'STATE_TAMPERED' };
  }
  const expiresAt = new Date(Number(expires));
  if (now.getTime() >= expiresAt.getTime()) return { ok: false, reason: 'STATE_EXPIRED' };
  return { ok: true, state: { nonce, expiresAt } };
}

/** Build the state issuer; CONFIG_INVALID for a short key, the client secret as key, or a bad TTL. */
export function createOAuthState(options: OAuthStateOptions): OAuthState {
  const ttlMs = options.ttlMs ?? MAX_STATE_TTL_MS;
  const problems: string[] = [];
  if (!Buffer.isBuffer(options.key) || options.key.length < MIN_KEY_BYTES) {
    problems.push(`the state key must be at least ${MIN_KEY_BYTES} bytes`);
  } else if (
    options.hubspotClientSecret !== undefined &&
    options.key.equals(Buffer.from(options.hubspotClientSecret, 'utf8'))
  ) {
    problems.push('the state key must not be the HubSpot client secret (use a separate app key)');
  }
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0 || ttlMs > MAX_STATE_TTL_MS) {
    problems.push(`ttlMs must be between 1 and ${MAX_STATE_TTL_MS}`);
  }
  if (problems.length > 0) throw new AppError('CONFIG_INVALID', `oauth state: ${problems.join('; ')}`);
  const key = Buffer.from(options.key);
  const { store, now } = options;

  return {
    async issue() {
      const nonce = randomBytes(NONCE_BYTES).toString('base64url');
      const expiresAt = new Date(now().getTime() + ttlMs);
      const payload = `${VERSION}.${nonce}.${expiresAt.getTime()}`;
      await store.recordState(nonce, expiresAt);
      return `${payload}.${sign(key, payload).toString('base64url')}`;
    },

    async consume(state) {
      const at = now();
      const check = checkStateSignature(key, state, at);
      if (!check.ok) throw stateError(check.reason);
      const used = await store.consumeState(check.state.nonce, at);
      if (used === 'ok') return check.state;
      throw stateError(
        used === 'used' ? 'STATE_REUSED' : used === 'expired' ? 'STATE_EXPIRED' : 'STATE_UNKNOWN',
      );
    },
  };
}

function sign(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(`${PURPOSE}\n${payload}`, 'utf8').digest();
}

function stateError(reason: StateFailure): AppError {
  return new AppError(STATUS[reason], `oauth state refused: ${reason}`, {
    publicMessage: PUBLIC[reason],
    details: { reason },
  });
}
