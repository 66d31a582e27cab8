import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { decodeHubSpotUri, verifySignatureV3 } from '../signature-verifier.js';
import type { VerifySignatureV3Input } from '../signature-verifier.js';
import { signRequest } from '../../../test/support/signer.js';

/** Expected values computed here with node:crypto, never with the code under test. */
function hmacB64(secret: string, source: string): string {
  return createHmac('sha256', secret).update(source, 'utf8').digest('base64');
}

const NOW = 1_700_000_000_000;
const SECRET = 'test-client-secret-0123456789';
const URL_ = 'https://pillars.example.com/api/v1/activity-metrics?week=2024-03-04&portalId=62515&userId=7';

function input(overrides: Partial<VerifySignatureV3Input> = {}): VerifySignatureV3Input {
  const timestamp = String(NOW);
  return {
    method: 'GET',
    url: URL_,
    rawBody: '',
    secret: SECRET,
    timestamp,
    signature: hmacB64(SECRET, `GET${URL_}${timestamp}`),
    nowMs: NOW,
    ...overrides,
  };
}

describe('verifySignatureV3 against HubSpot-published vectors', () => {
  // From @hubspot/ui-extensions-dev-server (dist/lib/__tests__/proxy/signing.spec.js), whose comments
  // say the first two match HubSpot's own backend test (WebhookSignatureGeneratorTest.java), and from
  // HubSpot/hubspot-api-python tests/spec/utils/test_signature.py.
  const vectors = [
    {
      name: 'HubSpot backend: POST with body',
      secret: 'f6e94c08-85d0-4608-bcc6-e1850176e7b8',
      method: 'POST',
      url: 'https://www.hubspot.com/webhook',
      body: 'REQUEST_BODY',
      timestamp: '1632188626483',
      signature: 'jf872r5vscVcxCiDRHA4rGrqe/8BPLNVkdJSHdMnGTU=',
    },
    {
      name: 'HubSpot backend: POST without body',
      secret: 'f6e94c08-85d0-4608-bcc6-e1850176e7b8',
      method: 'POST',
      url: 'https://www.hubspot.com/webhook',
      body: '',
      timestamp: '1632188626483',
      signature: 'csXgk7UbrE9F8ZmMvbpuKBxqIvTSqU1EX9pI/SJtxSE=',
    },
    {
      name: 'dev proxy: GET with identity query, empty body',
      secret: '12345678-aaaa-bbbb-cccc-ddddeeeeffff',
      method: 'GET',
      url: 'https://hubspot.com/?appId=1&portalId=2&userId=3',
      body: '',
      timestamp: '1111111111',
      signature: 'zTfXjo07jfzGouo4wvyAj3qEMUTVJ0PPYPACrluQtQI=',
    },
    {
      name: 'dev proxy: object body',
      secret: '12345678-aaaa-bbbb-cccc-ddddeeeeffff',
      method: 'GET',
      url: 'https://hubspot.com/?appId=1&portalId=2&userId=3',
      body: '{"a":1,"b":2}',
      timestamp: '1111111111',
      signature: 'aaknaCGCYJ4yqzuf1UKGqAWUfdcilJtm5nc/ZCudR9k=',
    },
    {
      name: 'dev proxy: empty object body',
      secret: '12345678-aaaa-bbbb-cccc-ddddeeeeffff',
      method: 'GET',
      url: 'https://hubspot.com/?appId=1&portalId=2&userId=3',
      body: '{}',
      timestamp: '1111111111',
      signature: 'bRPTUf7UOx1OqVAME6JSNfst9KxQYF5nRIUwG/KcQhQ=',
    },
    {
      name: 'hubspot-api-python: v3',
      secret: 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy',
      method: 'POST',
      url: 'https://www.example.com/webhook_uri',
      body: "{'example_field':'example_value'}",
      timestamp: '15000000',
      signature: 'HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw=',
    },
  ];

  it.each(vectors)('$name: the published value is HMAC-SHA256 base64 of METHOD+URI+BODY+TIMESTAMP', (v) => {
    expect(hmacB64(v.secret, `${v.method}${v.url}${v.body}${v.timestamp}`)).toBe(v.signature);
  });

  it.each(vectors)('$name: verifies', (v) => {
    const result = verifySignatureV3({
      method: v.method,
      url: v.url,
      rawBody: v.body,
      signature: v.signature,
      timestamp: v.timestamp,
      secret: v.secret,
      nowMs: Number(v.timestamp),
    });
    expect(result).toEqual({ ok: true, urlForm: 'as_received' });
  });

  it.each(vectors)('$name: the independent test signer reproduces it', (v) => {
    const headers = signRequest({
      method: v.method,
      url: v.url,
      body: v.body,
      secret: v.secret,
      timestamp: v.timestamp,
    });
    expect(headers['X-HubSpot-Signature-v3']).toBe(v.signature);
  });
});

describe('verifySignatureV3 freshness', () => {
  const at = (offsetMs: number) => {
    const timestamp = String(NOW + offsetMs);
    return verifySignatureV3(input({ timestamp, signature: hmacB64(SECRET, `GET${URL_}${timestamp}`) }));
  };

  it('accepts 299 s old and exactly 300 s old', () => {
    expect(at(-299_000).ok).toBe(true);
    expect(at(-300_000).ok).toBe(true);
  });
  it('rejects 301 s old (and 300.001 s) as stale', () => {
    expect(at(-301_000)).toEqual({ ok: false, reason: 'stale' });
    expect(at(-300_001)).toEqual({ ok: false, reason: 'stale' });
  });
  it('accepts 89 s and 90 s in the future', () => {
    expect(at(89_000).ok).toBe(true);
    expect(at(90_000).ok).toBe(true);
  });
  it('rejects 91 s in the future', () => {
    expect(at(91_000)).toEqual({ ok: false, reason: 'future' });
  });
  it('honours custom windows', () => {
    const timestamp = String(NOW - 10_000);
    const signature = hmacB64(SECRET, `GET${URL_}${timestamp}`);
    expect(verifySignatureV3(input({ timestamp, signature, maxAgeMs: 5_000 }))).toEqual({
      ok: false,
      reason: 'stale',
    });
  });
});

describe('verifySignatureV3 refusals', () => {
  it('accepts the untouched request', () => {
    expect(verifySignatureV3(input())).toEqual({ ok: true, urlForm: 'as_received' });
  });

  it('reports missing headers', () => {
    expect(verifySignatureV3(input({ signature: undefined }))).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    expect(verifySignatureV3(input({ signature: '' }))).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifySignatureV3(input({ timestamp: undefined }))).toEqual({
      ok: false,
      reason: 'missing_timestamp',
    });
    expect(verifySignatureV3(input({ timestamp: '' }))).toEqual({ ok: false, reason: 'missing_timestamp' });
  });

  it.each(['abc', '1.5', '-1', ' 1700000000000', '1e12', '0x10', '9'.repeat(16)])(
    'rejects timestamp %j as bad',
    (ts) => {
      expect(verifySignatureV3(input({ timestamp: ts }))).toEqual({ ok: false, reason: 'bad_timestamp' });
    },
  );

  it('rejects a body re-serialised after signing (A7)', () => {
    const timestamp = String(NOW);
    const signature = hmacB64(SECRET, `POST${URL_}{"a":1}${timestamp}`);
    expect(verifySignatureV3(input({ method: 'POST', rawBody: '{"a":1}', signature })).ok).toBe(true);
    expect(verifySignatureV3(input({ method: 'POST', rawBody: '{"a": 1}', signature }))).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('rejects a tampered path, query value, query order and method', () => {
    const tampered = [
      { url: URL_.replace('activity-metrics', 'activity-metric') },
      { url: URL_.replace('portalId=62515', 'portalId=62516') },
      { url: 'https://pillars.example.com/api/v1/activity-metrics?portalId=62515&week=2024-03-04&userId=7' },
      { url: `${URL_}&portalId=1` },
      { url: URL_.replace('https://', 'http://') },
      { method: 'POST' },
    ];
    for (const change of tampered)
      expect(verifySignatureV3(input(change))).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('rejects a timestamp changed after signing', () => {
    expect(verifySignatureV3(input({ timestamp: String(NOW + 1) }))).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('rejects the wrong secret, and an empty secret', () => {
    expect(verifySignatureV3(input({ secret: `${SECRET}x` }))).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignatureV3(input({ secret: '' }))).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('rejects every single flipped bit of the signature', () => {
    const good = Buffer.from(input().signature ?? '', 'base64');
    for (let bit = 0; bit < good.length * 8; bit += 1) {
      const bytes = Buffer.from(good);
      bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      expect(verifySignatureV3(input({ signature: bytes.toString('base64') })).ok).toBe(false);
    }
  });

  it('rejects wrong lengths, non-base64 and look-alikes without throwing', () => {
    const good = input().signature ?? '';
    const forged = [
      good.slice(0, -1),
      `${good}=`,
      `${good}A`,
      good.slice(0, 43),
      good.replace(/=$/, ''),
      '!'.repeat(44),
      'é'.repeat(22),
      good.replace(/\+/g, ' '),
      Buffer.from(good, 'base64').toString('hex'),
      Buffer.from(good, 'base64').toString('base64url'),
      `${good}\u0000`,
      'a',
    ].filter((s) => s !== good);
    for (const signature of forged) {
      expect(() => verifySignatureV3(input({ signature }))).not.toThrow();
      expect(verifySignatureV3(input({ signature }))).toEqual({ ok: false, reason: 'mismatch' });
    }
  });

  it('never throws and never accepts random header strings (A2)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 120 }),
        fc.option(fc.string({ maxLength: 20 })),
        (sig, ts) => {
          const result = verifySignatureV3(input({ signature: sig, timestamp: ts ?? undefined }));
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('URI decoding (the uncertain part of HubSpot’s docs)', () => {
  const encoded =
    'https://pillars.example.com/api/v1/x%3Ay?email=a%40b.example&list=1%2C2&q=%28a%29%21%24%27%2A%3B%2F%3F';
  const decoded = "https://pillars.example.com/api/v1/x:y?email=a@b.example&list=1,2&q=(a)!$'*;/?";

  it('decodes exactly the listed upper-case escapes, once', () => {
    expect(decodeHubSpotUri(encoded)).toBe(decoded);
    expect(decodeHubSpotUri('a%253Ab')).toBe('a%253Ab');
    expect(decodeHubSpotUri('a%20b%2Bc%26d%3De%23')).toBe('a%20b%2Bc%26d%3De%23');
    expect(decodeHubSpotUri('a%3ab')).toBe('a%3ab');
  });

  it('accepts a signature over the URL as received', () => {
    const signature = hmacB64(SECRET, `GET${encoded}${NOW}`);
    expect(verifySignatureV3(input({ url: encoded, signature }))).toEqual({
      ok: true,
      urlForm: 'as_received',
    });
  });

  it('accepts a signature over the documented decoded variant', () => {
    const signature = hmacB64(SECRET, `GET${decoded}${NOW}`);
    expect(verifySignatureV3(input({ url: encoded, signature }))).toEqual({ ok: true, urlForm: 'decoded' });
  });

  it('does not accept a signature over a fully decoded URL (spaces, &, =)', () => {
    const url = 'https://pillars.example.com/p?a=x%20y%26z%3D1';
    const signature = hmacB64(SECRET, `GET${decodeURIComponent(url)}${NOW}`);
    expect(verifySignatureV3(input({ url, signature }))).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('differential fuzz against the independent signer (A8)', () => {
  const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
  const ORIGINS = ['https://pillars.example.com', 'http://127.0.0.1:3000', 'https://a-b.example:8443'];
  const PIECES = [
    ...'abcXYZ019-._~'.split(''),
    ...":/?@!$'()*,;=&+ #[]".split(''),
    ...['%3A', '%2F', '%3F', '%40', '%21', '%24', '%27', '%28', '%29', '%2A', '%2C', '%3B', '%3a', '%2f'],
    ...['%20', '%2B', '%26', '%3D', '%25', '%253A', '%C3%A9', '%'],
    ...['é', 'ß', '日本', '😀', 'Ω', '\u00a0'],
  ];
  const piece = fc.constantFrom(...PIECES);
  const text = (max: number) => fc.array(piece, { maxLength: max }).map((p) => p.join(''));
  const path = fc.array(text(6), { minLength: 1, maxLength: 4 }).map((segments) => `/${segments.join('/')}`);
  const query = fc.option(
    fc
      .array(fc.tuple(text(4), text(5)), { minLength: 1, maxLength: 5 })
      .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&')),
  );
  const body = fc.oneof(
    fc.constant(''),
    fc.string({ unit: 'grapheme', maxLength: 60 }),
    fc.json({ maxDepth: 2 }),
    fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  );
  const request = fc.record({
    method: fc.constantFrom(...METHODS),
    url: fc
      .tuple(fc.constantFrom(...ORIGINS), path, query)
      .map(([o, p, q]) => (q === null ? `${o}${p}` : `${o}${p}?${q}`)),
    body,
    secret: fc.string({ unit: 'grapheme', minLength: 8, maxLength: 40 }),
    offset: fc.integer({ min: -300_000, max: 90_000 }),
    decodeUri: fc.boolean(),
  });

  type Req = { method: string; url: string; body: string | Buffer; secret: string; timestamp: string };
  const verify = (r: Req, signature: string) =>
    verifySignatureV3({
      method: r.method,
      url: r.url,
      rawBody: r.body,
      signature,
      timestamp: r.timestamp,
      secret: r.secret,
      nowMs: NOW,
    });
  // What the independent signer says: the request carries this signature in either URL form.
  const signerAccepts = (r: Req, signature: string) =>
    [false, true].some(
      (decodeUri) => signRequest({ ...r, decodeUri })['X-HubSpot-Signature-v3'] === signature,
    );

  const mutate = (s: string, at: number, kind: number, ch: string): string => {
    const i = s.length === 0 ? 0 : at % s.length;
    if (kind === 0 && s.length > 0) return s.slice(0, i) + s.slice(i + 1);
    if (kind === 1) return s.slice(0, i) + ch + s.slice(i);
    const replaced = s.slice(0, i) + ch + s.slice(i + 1);
    return replaced === s ? s + ch : replaced;
  };

  it('valid → ok; any single mutation → not ok (10,000 cases)', () => {
    let mutationsChecked = 0;
    fc.assert(
      fc.property(
        request,
        fc.nat(),
        fc.nat({ max: 2 }),
        fc.constantFrom('a', '%', '/', '?', '=', '&', 'é', ' ', '3'),
        (gen, at, kind, ch) => {
          const original: Req = { ...gen, timestamp: String(NOW + gen.offset) };
          const signature = signRequest({ ...original, decodeUri: gen.decodeUri })['X-HubSpot-Signature-v3'];
          const ok = verify(original, signature);
          expect(ok.ok).toBe(true);
          if (ok.ok)
            expect(ok.urlForm === 'decoded').toBe(gen.decodeUri && decodeHubSpotUri(gen.url) !== gen.url);

          const bodyText =
            typeof original.body === 'string' ? original.body : original.body.toString('latin1');
          const otherMethod =
            METHODS[(METHODS.indexOf(original.method as (typeof METHODS)[number]) + 1) % METHODS.length];
          const mutants: Req[] = [
            { ...original, method: otherMethod ?? 'GET' },
            { ...original, url: mutate(original.url, at, kind, ch) },
            {
              ...original,
              body:
                typeof original.body === 'string'
                  ? mutate(original.body, at, kind, ch)
                  : Buffer.from(mutate(bodyText, at, kind, ch), 'latin1'),
            },
            { ...original, timestamp: String(Number(original.timestamp) + (kind === 0 ? -1 : 1)) },
            { ...original, secret: mutate(original.secret, at, kind, ch) },
          ];
          for (const mutant of mutants) {
            const same =
              mutant.method === original.method &&
              mutant.url === original.url &&
              mutant.timestamp === original.timestamp &&
              mutant.secret === original.secret &&
              Buffer.compare(Buffer.from(mutant.body), Buffer.from(original.body)) === 0;
            if (same) continue;
            mutationsChecked += 1;
            expect(signerAccepts(mutant, signature)).toBe(false);
            expect(verify(mutant, signature).ok).toBe(false);
          }
          const flipped = Buffer.from(signature, 'base64');
          flipped[at % flipped.length] = (flipped[at % flipped.length] ?? 0) ^ (1 << kind);
          expect(verify(original, flipped.toString('base64')).ok).toBe(false);
        },
      ),
      { numRuns: 10_000 },
    );
    expect(mutationsChecked).toBeGreaterThan(40_000);
  });
});
