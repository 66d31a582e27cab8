/**
 * Run by refresh-race.test.ts in two processes at once (`node --import tsx`): opens the shared
 * store, waits for "go" on stdin, then asks for the portal's access token N times concurrently
 * and prints one JSON line: how many calls succeeded, the distinct tokens, and any errors.
 *
 * argv: <sqlite file | postgres url> <postgres schema or "-"> <sandbox base URL> <key base64> <portal id> <calls>
 */
import { createInterface } from 'node:readline';
import { createHubSpotTokenEndpoint } from '../../../src/oauth/hubspot-token-endpoint.js';
import { createTokenCipher } from '../../../src/oauth/token-cipher.js';
import { createTokenProvider } from '../../../src/oauth/token-provider.js';
import { openPostgresStore } from '../../../src/store/postgres-store.js';
import { openSqliteStore } from '../../../src/store/sqlite-store.js';
import { APP } from './helpers.js';

const [target, schema, baseUrl, keyText, portalText, callsText] = process.argv.slice(2);
if (callsText === undefined)
  throw new Error('usage: refresh-race-child.ts <db> <schema|-> <base> <key> <portal> <calls>');

const store = target?.startsWith('postgres')
  ? await openPostgresStore({ url: target, schema: schema === '-' ? undefined : schema, max: 4 })
  : await openSqliteStore({ file: target ?? '' });
const provider = createTokenProvider({
  store: store.installations,
  cipher: createTokenCipher({ keys: { t1: Buffer.from(keyText ?? '', 'base64') }, currentKeyId: 't1' }),
  exchange: createHubSpotTokenEndpoint({
    basePath: baseUrl ?? '',
    clientId: APP.clientId,
    clientSecret: APP.clientSecret,
  }),
  now: () => new Date(),
});

process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line.trim() === 'go') break;
lines.close();

const results = await Promise.allSettled(
  Array.from({ length: Number(callsText) }, () => provider.accessTokenFor(Number(portalText))),
);
const tokens = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
process.stdout.write(
  JSON.stringify({
    ok: tokens.length,
    distinct: [...new Set(tokens)],
    errors: results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message)] : [])),
  }) + '\n',
);
await store.close();
