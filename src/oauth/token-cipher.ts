/**
 * Sealing of OAuth tokens at rest (threats E4): AES-256-GCM, a random 96-bit nonce per token and
 * a key id, so keys can rotate: the current key seals, every configured key opens. The key lives
 * outside the database (env or KMS); a database dump holds only sealed text.
 *
 * Sealed form: `v1.<keyId>.<nonce>.<ciphertext>.<tag>` (base64url parts). The version and key id
 * are authenticated (additional data), and so is an optional context such as the portal id,
 * which stops a sealed token from being copied onto another portal's row.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../core/errors.js';

/** Seals and opens tokens. */
export interface TokenCipher {
  /** Seal plaintext with the current key; context (if any) must be given again to open it. */
  encrypt(plaintext: string, context?: string): string;
  /** Open a sealed token: UNAUTHENTICATED (malformed or tampered) or CONFIG_INVALID (unknown key id). */
  decrypt(sealed: string, context?: string): string;
  /** The key id new tokens are sealed with. */
  readonly currentKeyId: string;
}

/** Keys by id (each 32 bytes) and which one seals new tokens. */
export interface TokenCipherConfig {
  readonly keys: Readonly<Record<string, Buffer>>;
  readonly currentKeyId: string;
}

/** Why a sealed token could not be opened (in AppError.details.reason). */
export type TokenCipherFailure = 'TOKEN_MALFORMED' | 'TOKEN_TAMPERED' | 'UNKNOWN_KEY_ID';

const VERSION = 'v1';
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const B64URL = /^[A-Za-z0-9_-]*$/;

/** Build a cipher; CONFIG_INVALID when a key is not 32 bytes, an id is bad, or the current id is missing. */
export function createTokenCipher(config: TokenCipherConfig): TokenCipher {
  const keys = new Map<string, Buffer>();
  const problems: string[] = [];
  for (const [id, key] of Object.entries(config.keys)) {
    if (!KEY_ID.test(id)) problems.push(`key id "${id}" must be 1-32 letters, digits, _ or -`);
    else if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES)
      problems.push(`key "${id}" must be ${KEY_BYTES} bytes`);
    else keys.set(id, Buffer.from(key)); // a copy: later changes to the caller's buffer do not matter
  }
  if (!keys.has(config.currentKeyId) && !problems.some((p) => p.includes(`"${config.currentKeyId}"`))) {
    problems.push(`current key id "${config.currentKeyId}" is not among the keys`);
  }
  if (problems.length > 0) throw new AppError('CONFIG_INVALID', `token cipher: ${problems.join('; ')}`);
  const currentKeyId = config.currentKeyId;

  return {
    currentKeyId,
    encrypt(plaintext, context = '') {
      if (typeof plaintext !== 'string')
        throw new AppError('INTERNAL', 'token cipher: plaintext must be a string');
      const key = keys.get(currentKeyId) as Buffer;
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(additionalData(currentKeyId, context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, currentKeyId, b64(nonce), b64(body), b64(cipher.getAuthTag())].join('.');
    },
    decrypt(sealed, context = '') {
      const parts = typeof sealed === 'string' ? sealed.split('.') : [];
      const [version, keyId, nonceText, bodyText, tagText] = parts;
      if (
        parts.length !== 5 ||
        version !== VERSION ||
        keyId === undefined ||
        !KEY_ID.test(keyId) ||
        [nonceText, bodyText, tagText].some((p) => p === undefined || !B64URL.test(p))
      ) {
        throw failure('TOKEN_MALFORMED', 'token cipher: sealed token is malformed');
      }
      const key = keys.get(keyId);
      if (key === undefined) {
        // A configuration problem (a retired key still in use), not an attack: say which id.
        throw new AppError('CONFIG_INVALID', `token cipher: no key with id "${keyId}" is configured`, {
          details: { reason: 'UNKNOWN_KEY_ID' satisfies TokenCipherFailure, keyId },
        });
      }
      const nonce = Buffer.from(nonceText as string, 'base64url');
      const tag = Buffer.from(tagText as string, 'base64url');
      if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES) {
        throw failure('TOKEN_MALFORMED', 'token cipher: sealed token has a bad nonce or tag length');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
        decipher.setAAD(additionalData(keyId, context));
        decipher.setAuthTag(tag);
        const body = Buffer.from(bodyText as string, 'base64url');
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch (cause) {
        throw failure('TOKEN_TAMPERED', 'token cipher: sealed token failed authentication', cause);
      }
    },
  };
}

/** True when e is a cipher failure that means "this sealed token is unusable" (not a config problem). */
export function isSealedTokenUnusable(e: unknown): boolean {
  if (!(e instanceof AppError) || e.code !== 'UNAUTHENTICATED') return false;
  const reason = e.details?.reason;
  return reason === 'TOKEN_MALFORMED' || reason === 'TOKEN_TAMPERED';
}

/**
 * Parse keys from an env value `id:base64key,oldId:base64key` (the first is current). Reports every
 * problem in one CONFIG_INVALID and never echoes key material.
 */
export function parseTokenKeys(value: string | undefined, name = 'PILLARS_TOKEN_KEYS'): TokenCipherConfig {
  if (value === undefined || value.trim() === '') {
    throw new AppError(
      'CONFIG_INVALID',
      `${name} is not set: give "keyId:base64key" (32-byte keys), current first`,
    );
  }
  const keys: Record<string, Buffer> = {};
  const ids: string[] = [];
  const problems: string[] = [];
  value.split(',').forEach((entry, i) => {
    const at = entry.indexOf(':');
    const id = at < 0 ? '' : entry.slice(0, at).trim();
    const text = at < 0 ? '' : entry.slice(at + 1).trim();
    if (at < 0 || id === '' || text === '') {
      problems.push(`entry ${i + 1} must look like keyId:base64key`);
      return;
    }
    if (!KEY_ID.test(id)) {
      problems.push(`entry ${i + 1}: key id must be 1-32 letters, digits, _ or -`);
      return;
    }
    if (ids.includes(id)) {
      problems.push(`entry ${i + 1}: key id "${id}" is repeated`);
      return;
    }
    const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
    if (key.length !== KEY_BYTES) {
      problems.push(`key "${id}" must be ${KEY_BYTES} bytes of base64 (got ${key.length} bytes)`);
      return;
    }
    ids.push(id);
    keys[id] = key;
  });
  const currentKeyId = ids[0];
  if (problems.length > 0 || currentKeyId === undefined) {
    throw new AppError('CONFIG_INVALID', `${name} is invalid: ${problems.join('; ')}`);
  }
  return { keys, currentKeyId };
}

function additionalData(keyId: string, context: string): Buffer {
  return Buffer.from(`${VERSION}.${keyId}.${context}`, 'utf8');
}

function b64(data: Buffer): string {
  return data.toString('base64url');
}

function failure(reason: TokenCipherFailure, message: string, cause?: unknown): AppError {
  return new AppError('UNAUTHENTICATED', message, {
    details: { reason },
    ...(cause === undefined ? {} : { cause }),
  });
}
