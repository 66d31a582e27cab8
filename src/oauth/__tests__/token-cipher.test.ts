import { createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../../core/errors.js';
import { createTokenCipher, isSealedTokenUnusable, parseTokenKeys } from '../token-cipher.js';

const K1 = randomBytes(32);
const K0 = randomBytes(32);

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected a throw');
}

describe('token cipher', () => {
  const cipher = createTokenCipher({ keys: { k1: K1, k0: K0 }, currentKeyId: 'k1' });

  it('round-trips, with a fresh nonce every time and no plaintext in the sealed form', () => {
    const token = 'sbx-rt-' + 'a'.repeat(300) + ' ünïcode';
    const a = cipher.encrypt(token);
    const b = cipher.encrypt(token);
    expect(a).not.toBe(b);
    expect(a).not.toContain('aaaa');
    expect(a).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(cipher.decrypt(a)).toBe(token);
    expect(cipher.decrypt(b)).toBe(token);
    expect(cipher.decrypt(cipher.encrypt(''))).toBe('');
  });

  it('is standard AES-256-GCM: node decrypts it independently with the key, nonce, tag and AAD', () => {
    const sealed = cipher.encrypt('hello', 'portal:1:refresh');
    const [, , nonce, body, tag] = sealed.split('.') as [string, string, string, string, string];
    const d = createDecipheriv('aes-256-gcm', K1, Buffer.from(nonce, 'base64url'));
    d.setAAD(Buffer.from('v1.k1.portal:1:refresh'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    expect(Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString()).toBe('hello');
    expect(Buffer.from(nonce, 'base64url')).toHaveLength(12);
  });

  it('refuses a change to any part as TOKEN_TAMPERED or TOKEN_MALFORMED, never crashing', () => {
    const sealed = cipher.encrypt('secret-token');
    const parts = sealed.split('.');
    for (const i of [2, 3, 4]) {
      const part = parts[i] as string;
      // Flip one bit of the decoded bytes, keep the length.
      const bytes = Buffer.from(part, 'base64url');
      bytes[0] = (bytes[0] as number) ^ 1;
      const changed = [...parts];
      changed[i] = bytes.toString('base64url');
      const error = thrown(() => cipher.decrypt(changed.join('.')));
      expect(error.code).toBe('UNAUTHENTICATED');
      expect(error.details?.reason).toBe('TOKEN_TAMPERED');
      expect(isSealedTokenUnusable(error)).toBe(true);
    }
    // The key id is authenticated too: a token moved to another configured key fails.
    const moved = ['v1', 'k0', ...parts.slice(2)].join('.');
    expect(thrown(() => cipher.decrypt(moved)).details?.reason).toBe('TOKEN_TAMPERED');
    // Truncated nonce or tag, bad version, wrong part count, non-base64url.
    const malformed = [
      '',
      'v1.k1',
      ['v2', ...parts.slice(1)].join('.'),
      [...parts.slice(0, 2), 'AAAA', ...parts.slice(3)].join('.'),
      [...parts.slice(0, 4), 'AAAA'].join('.'),
      [...parts.slice(0, 3), 'not base64!', parts[4]].join('.'),
      sealed + '.extra',
    ];
    for (const bad of malformed) {
      const error = thrown(() => cipher.decrypt(bad));
      expect(error.code).toBe('UNAUTHENTICATED');
      expect(error.details?.reason).toBe('TOKEN_MALFORMED');
    }
  });

  it('binds the context: a token sealed for one portal does not open for another', () => {
    const sealed = cipher.encrypt('t', 'portal:1:refresh');
    expect(cipher.decrypt(sealed, 'portal:1:refresh')).toBe('t');
    expect(thrown(() => cipher.decrypt(sealed, 'portal:2:refresh')).details?.reason).toBe('TOKEN_TAMPERED');
    expect(thrown(() => cipher.decrypt(sealed)).details?.reason).toBe('TOKEN_TAMPERED');
  });

  it('reports an unknown key id as CONFIG_INVALID (a retired key still in use), not as tampering', () => {
    const other = createTokenCipher({ keys: { k9: randomBytes(32) }, currentKeyId: 'k9' });
    const error = thrown(() => cipher.decrypt(other.encrypt('t')));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.details).toEqual({ reason: 'UNKNOWN_KEY_ID', keyId: 'k9' });
    expect(isSealedTokenUnusable(error)).toBe(false);
  });

  it('rotates: tokens sealed with the old key still open; new tokens use the current key', () => {
    const before = createTokenCipher({ keys: { k0: K0 }, currentKeyId: 'k0' });
    const old = before.encrypt('old-token');
    const after = createTokenCipher({ keys: { k1: K1, k0: K0 }, currentKeyId: 'k1' });
    expect(after.decrypt(old)).toBe('old-token');
    expect(after.encrypt('new').startsWith('v1.k1.')).toBe(true);
    expect(after.currentKeyId).toBe('k1');
  });

  it('refuses bad configuration with CONFIG_INVALID', () => {
    expect(thrown(() => createTokenCipher({ keys: { k1: randomBytes(16) }, currentKeyId: 'k1' })).code).toBe(
      'CONFIG_INVALID',
    );
    expect(thrown(() => createTokenCipher({ keys: { k1: K1 }, currentKeyId: 'k2' })).message).toContain(
      '"k2"',
    );
    expect(thrown(() => createTokenCipher({ keys: { 'a.b': K1 }, currentKeyId: 'a.b' })).code).toBe(
      'CONFIG_INVALID',
    );
  });
});

describe('parseTokenKeys', () => {
  const b64 = (k: Buffer): string => k.toString('base64');

  it('parses id:base64 pairs; the first is current', () => {
    const config = parseTokenKeys(`k1:${b64(K1)}, k0:${b64(K0)}`);
    expect(config.currentKeyId).toBe('k1');
    expect(Object.keys(config.keys)).toEqual(['k1', 'k0']);
    expect(config.keys.k1?.equals(K1)).toBe(true);
    expect(parseTokenKeys(`k1:${K1.toString('base64url')}`).keys.k1?.equals(K1)).toBe(true);
  });

  it('reports every problem at once, without echoing key material', () => {
    const short = randomBytes(16).toString('base64');
    const error = thrown(() => parseTokenKeys(`k1:${short},nocolon,k1:${b64(K0)},bad id:${b64(K0)},k2:%%%`));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('key "k1" must be 32 bytes');
    expect(error.message).toContain('entry 2 must look like keyId:base64key');
    expect(error.message).toContain('entry 4: key id must be');
    expect(error.message).toContain('key "k2" must be 32 bytes');
    expect(error.message).not.toContain(short);
    expect(error.message).not.toContain(b64(K0));
    expect(thrown(() => parseTokenKeys(`k1:${b64(K1)},k1:${b64(K0)}`)).message).toContain('repeated');
    expect(thrown(() => parseTokenKeys(undefined)).message).toContain('PILLARS_TOKEN_KEYS is not set');
    expect(thrown(() => parseTokenKeys('  ', 'MY_KEYS')).message).toContain('MY_KEYS');
  });
});
