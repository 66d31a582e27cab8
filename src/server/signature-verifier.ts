/**
 * HubSpot request signature v3, verified as a pure function: no Express, no clock, no config.
 *
 * HubSpot documents: signature = base64(HMAC-SHA256(key = app client secret,
 * UTF-8 of METHOD + URI + RAW_BODY + TIMESTAMP)), with no separators; URI is the full URL with
 * scheme, host, path and the query string as received; TIMESTAMP is the X-HubSpot-Request-Timestamp
 * header as sent (ms since the epoch). Requests older than 5 minutes are rejected.
 *
 * URI decoding is uncertain: HubSpot's request-validation page asks to decode a fixed set of
 * percent-encoded characters before hashing, while none of its SDK helpers (Node, Python, PHP) decode,
 * and its local dev proxy signs the URL as it sends it. We therefore accept a signature over the URL
 * as received OR over the decoded variant. The decoded variant only turns `%XX` of reserved characters
 * into the character itself; no query separator (`&`, `=`, `+`, `#`) is in the set, so both forms
 * carry the same parameters, and the signed method, body and timestamp must still match.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a signature was refused; logged as a reason code, never shown to the caller. */
export type SignatureFailureReason =
  'missing_signature' | 'missing_timestamp' | 'bad_timestamp' | 'stale' | 'future' | 'mismatch';

/** Which form of the URL the signature covered (logged, to settle the decoding question in production). */
export type SignedUrlForm = 'as_received' | 'decoded';

export type SignatureVerification =
  { ok: true; urlForm: SignedUrlForm } | { ok: false; reason: SignatureFailureReason };

export interface VerifySignatureV3Input {
  /** HTTP method; compared upper-case, as HubSpot signs it. */
  method: string;
  /** The full public URL: configured public origin + the request target as received. */
  url: string;
  /** The body bytes exactly as received (empty for GET). */
  rawBody: Buffer | string;
  /** X-HubSpot-Signature-v3 header value. */
  signature: string | undefined;
  /** X-HubSpot-Request-Timestamp header value. */
  timestamp: string | undefined;
  /** The app's client secret. */
  secret: string;
  /** Current time in ms since the epoch (injected so tests fix it). */
  nowMs: number;
  /** Oldest accepted signature, in ms (HubSpot: 5 minutes). */
  maxAgeMs?: number;
  /** Furthest accepted clock skew into the future, in ms. */
  maxFutureMs?: number;
}

/** The characters HubSpot's page lists as decoded before hashing. */
const DECODED_CHARACTERS: Readonly<Record<string, string>> = {
  '3A': ':',
  '2F': '/',
  '3F': '?',
  '40': '@',
  '21': '!',
  '24': '$',
  '27': "'",
  '28': '(',
  '29': ')',
  '2A': '*',
  '2C': ',',
  '3B': ';',
};
// Upper-case hex only, as the page lists them: a lower-case `%3a` is hashed as received. Keeping the
// set this narrow means no single-character change of a URL can map onto the same decoded form.
const ENCODED_PATTERN = /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/g;

/** The URL with HubSpot's listed percent-encodings decoded (one pass; `%253A` stays as it is). */
export function decodeHubSpotUri(url: string): string {
  return url.replace(ENCODED_PATTERN, (match, hex: string) => DECODED_CHARACTERS[hex] ?? match);
}

function sign(secret: string, method: string, url: string, body: Buffer, timestamp: string): string {
  return createHmac('sha256', secret)
    .update(method, 'utf8')
    .update(url, 'utf8')
    .update(body)
    .update(timestamp, 'utf8')
    .digest('base64');
}

/** Constant-time string compare; a length difference returns false without throwing. */
function sameSignature(provided: Buffer, expected: string): boolean {
  const expectedBytes = Buffer.from(expected, 'utf8');
  if (provided.length !== expectedBytes.length) {
    // Keep the work alike on both paths; the expected length (44) is public anyway.
    timingSafeEqual(expectedBytes, expectedBytes);
    return false;
  }
  return timingSafeEqual(provided, expectedBytes);
}

const TIMESTAMP_PATTERN = /^\d{1,15}$/;

/** Verify an X-HubSpot-Signature-v3; never throws on any header content. */
export function verifySignatureV3(input: VerifySignatureV3Input): SignatureVerification {
  const { signature, timestamp, nowMs } = input;
  const maxAgeMs = input.maxAgeMs ?? 300_000;
  const maxFutureMs = input.maxFutureMs ?? 90_000;

  if (signature === undefined || signature === '') return { ok: false, reason: 'missing_signature' };
  if (timestamp === undefined || timestamp === '') return { ok: false, reason: 'missing_timestamp' };
  if (!TIMESTAMP_PATTERN.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const signedAt = Number(timestamp);
  if (nowMs - signedAt > maxAgeMs) return { ok: false, reason: 'stale' };
  if (signedAt - nowMs > maxFutureMs) return { ok: false, reason: 'future' };
  // An empty key would make every signature forgeable by anyone who guesses it; refuse outright.
  if (input.secret === '') return { ok: false, reason: 'mismatch' };

  const method = input.method.toUpperCase();
  const body = typeof input.rawBody === 'string' ? Buffer.from(input.rawBody, 'utf8') : input.rawBody;
  const provided = Buffer.from(signature, 'utf8');

  const asReceived = sameSignature(provided, sign(input.secret, method, input.url, body, timestamp));
  const decodedUrl = decodeHubSpotUri(input.url);
  const decoded =
    decodedUrl !== input.url &&
    sameSignature(provided, sign(input.secret, method, decodedUrl, body, timestamp));

  if (asReceived) return { ok: true, urlForm: 'as_received' };
  if (decoded) return { ok: true, urlForm: 'decoded' };
  return { ok: false, reason: 'mismatch' };
}
