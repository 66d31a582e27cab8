/**
 * Shared pieces of the OAuth integration tests: a sandbox with OAuth apps, the real token
 * endpoint pointed at it, a cipher, and a dump of every table for the plaintext check (E4).
 */
import { randomBytes } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { createSandbox } from '../../../src/sandbox/index.js';
import type { Sandbox, SandboxOptions } from '../../../src/sandbox/index.js';
import { parsePortalFixture } from '../../../src/sandbox/fixture.js';
import type { PortalFixture } from '../../../src/sandbox/fixture.js';
import { createHubSpotTokenEndpoint } from '../../../src/oauth/hubspot-token-endpoint.js';
import type { TokenEndpoint } from '../../../src/oauth/token-endpoint.js';
import { createTokenCipher } from '../../../src/oauth/token-cipher.js';
import type { TokenCipher } from '../../../src/oauth/token-cipher.js';
import { TABLE_NAMES } from '../../../src/store/schema.js';

export const APP = {
  clientId: 'pillars-test',
  clientSecret: 'pillars-test-secret',
  redirectUris: ['http://localhost:3000/oauth/callback'],
};
export const REDIRECT = 'http://localhost:3000/oauth/callback';
/** The token endpoint's key in sandbox.stats().byEndpoint. */
export const TOKEN_ENDPOINT = 'POST /oauth/v1/token';

/** A portal with one super admin (the installer). */
export function portalFixture(portalId: number): PortalFixture {
  return parsePortalFixture({
    portal: { portalId, timeZone: 'UTC' },
    users: [{ id: '9011', email: 'admin@example.com', superAdmin: true }],
  });
}

/** A started sandbox with the given portals and our OAuth app. */
export async function startOAuthSandbox(
  portalIds: readonly number[],
  extra: Partial<SandboxOptions> = {},
): Promise<Sandbox> {
  const sandbox = createSandbox({
    portals: portalIds.map(portalFixture),
    oauthClients: [APP],
    limits: false,
    ...extra,
  });
  await sandbox.start();
  return sandbox;
}

/** The real HTTP token endpoint, against the sandbox. */
export function sandboxEndpoint(sandbox: Sandbox): TokenEndpoint {
  return createHubSpotTokenEndpoint({
    basePath: sandbox.baseUrl,
    clientId: APP.clientId,
    clientSecret: APP.clientSecret,
  });
}

/** A fresh 32-byte key and its cipher. */
export function newCipher(key: Buffer = randomBytes(32)): { key: Buffer; cipher: TokenCipher } {
  return { key, cipher: createTokenCipher({ keys: { t1: key }, currentKeyId: 't1' }) };
}

/** Every row of every table of a SQLite file, as one JSON text (a "dump" to grep). */
export function dumpSqlite(file: string): string {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return JSON.stringify(
      Object.fromEntries(TABLE_NAMES.map((t) => [t, db.prepare(`select * from "${t}"`).all()])),
    );
  } finally {
    db.close();
  }
}

/** Every row of every table of a PostgreSQL schema, as one JSON text. */
export async function dumpPostgres(url: string, schema: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, unknown[]> = {};
    for (const t of TABLE_NAMES) out[t] = (await client.query(`select * from "${schema}"."${t}"`)).rows;
    return JSON.stringify(out);
  } finally {
    await client.end();
  }
}
