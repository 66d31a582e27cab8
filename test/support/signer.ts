/**
 * An independent HubSpot v3 signer for tests, written from HubSpot's documented algorithm
 * (request-validation page; the api-client's `Signature.getSignature('v3')` does the same) and
 * sharing no code with src/server/signature-verifier.ts:
 *
 *   X-HubSpot-Signature-v3 = base64( HMAC-SHA256( clientSecret, utf8( METHOD + URI + BODY + TIMESTAMP ) ) )
 *
 * `decodeUri: true` signs the variant HubSpot's page describes, where a fixed list of
 * percent-encoded characters in the URI is decoded before hashing.
 */
import crypto from 'node:crypto';

export interface SignRequestInput {
  method: string;
  /** The full URL HubSpot called: scheme, host, path and query as sent. */
  url: string;
  /** The raw body (omit or '' for GET). */
  body?: string | Uint8Array;
  secret: string;
  /** ms since the epoch, as HubSpot puts it in X-HubSpot-Request-Timestamp. */
  timestamp: number | string;
  /** Sign over the URI with the documented percent-decoding applied. */
  decodeUri?: boolean;
}

// A type alias, not an interface, so it fits `Record<string, string>` header parameters.
export type SignedHeaders = {
  'X-HubSpot-Signature-v3': string;
  'X-HubSpot-Request-Timestamp': string;
};

// The page's table, written out pair by pair.
const DOCUMENTED_DECODINGS: ReadonlyArray<readonly [string, string]> = [
  ['%3A', ':'],
  ['%2F', '/'],
  ['%3F', '?'],
  ['%40', '@'],
  ['%21', '!'],
  ['%24', '$'],
  ['%27', "'"],
  ['%28', '('],
  ['%29', ')'],
  ['%2A', '*'],
  ['%2C', ','],
  ['%3B', ';'],
];

/** Apply the documented decoding, scanning left to right (the table's upper-case escapes only). */
export function documentedUriDecode(uri: string): string {
  let out = '';
  let i = 0;
  while (i < uri.length) {
    if (uri[i] === '%' && i + 2 < uri.length) {
      const code = uri.slice(i, i + 3);
      const pair = DOCUMENTED_DECODINGS.find(([encoded]) => encoded === code);
      if (pair) {
        out += pair[1];
        i += 3;
        continue;
      }
    }
    out += uri[i];
    i += 1;
  }
  return out;
}

/** Headers HubSpot would send for this request. */
export function signRequest(input: SignRequestInput): SignedHeaders {
  const timestamp = String(input.timestamp);
  const uri = input.decodeUri ? documentedUriDecode(input.url) : input.url;
  const prefix = Buffer.from(`${input.method.toUpperCase()}${uri}`, 'utf8');
  const body =
    input.body === undefined
      ? Buffer.alloc(0)
      : typeof input.body === 'string'
        ? Buffer.from(input.body, 'utf8')
        : Buffer.from(input.body);
  const source = Buffer.concat([prefix, body, Buffer.from(timestamp, 'utf8')]);
  const signature = crypto
    .createHmac('sha256', Buffer.from(input.secret, 'utf8'))
    .update(source)
    .digest()
    .toString('base64');
  return { 'X-HubSpot-Signature-v3': signature, 'X-HubSpot-Request-Timestamp': timestamp };
}
