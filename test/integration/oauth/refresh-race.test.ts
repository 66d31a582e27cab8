// Threats E5: two processes x 25 concurrent callers on an expired access token, sharing one
// database (a SQLite file; a real PostgreSQL server when PILLARS_TEST_DATABASE_URL is set). The
// sandbox's token endpoint must be hit exactly once, and all 50 calls must get a token.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInstaller } from '../../../src/oauth/installer.js';
import { sealContext } from '../../../src/oauth/token-provider.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { openPostgresStore } from '../../../src/store/postgres-store.js';
import type { Store } from '../../../src/store/ports.js';
import { openSqliteStore } from '../../../src/store/sqlite-store.js';
import { POSTGRES_TEST_URL, dropSchemas, freshSchemaName } from '../../support/postgres.js';
import { APP, REDIRECT, TOKEN_ENDPOINT, newCipher, sandboxEndpoint, startOAuthSandbox } from './helpers.js';

const PORTAL = 4242;
const CALLS_PER_PROCESS = 25;
// jest runs from the repository root.
const CHILD = resolve('test/integration/oauth/refresh-race-child.ts');

interface ChildResult {
  ok: number;
  distinct: string[];
  errors: string[];
}

interface Child {
  ready: Promise<void>;
  done: Promise<{ code: number | null; stderr: string; result: ChildResult | undefined }>;
  go(): void;
}

function spawnChild(args: readonly string[]): Child {
  const p = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (markReady = r));
  p.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (stdout.includes('ready\n')) markReady();
  });
  p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stderr: string; result: ChildResult | undefined }>((r) =>
    p.on('close', (code) => {
      markReady(); // a child that died early must not hang the test
      const last = stdout.trim().split('\n').pop() ?? '';
      r({ code, stderr, result: last.startsWith('{') ? (JSON.parse(last) as ChildResult) : undefined });
    }),
  );
  return { ready, done, go: () => p.stdin.end('go\n') };
}

async function race(store: Store, sandbox: Sandbox, key: Buffer, dbArgs: [string, string]): Promise<void> {
  const { cipher } = newCipher(key);
  const installer = createInstaller({
    store: store.installations,
    cipher,
    exchange: sandboxEndpoint(sandbox),
    now: () => new Date(),
  });
  const code = sandbox.issueAuthorizationCode({
    portalId: PORTAL,
    clientId: APP.clientId,
    redirectUri: REDIRECT,
    scopes: ['oauth'],
  });
  await installer.installFromCode({ code, redirectUri: REDIRECT });
  // Make the stored access token look expired, so every caller wants a refresh.
  const before = await store.installations.get(PORTAL);
  await store.installations.saveAccessToken(
    PORTAL,
    before?.accessTokenSealed ?? '',
    new Date(Date.now() - 1000),
  );
  sandbox.resetStats();

  const children = [0, 1].map(() =>
    spawnChild([
      ...dbArgs,
      sandbox.baseUrl,
      key.toString('base64'),
      String(PORTAL),
      String(CALLS_PER_PROCESS),
    ]),
  );
  await Promise.all(children.map((c) => c.ready));
  const started = Date.now();
  children.forEach((c) => c.go());
  const outcomes = await Promise.all(children.map((c) => c.done));
  const elapsedMs = Date.now() - started;

  expect(outcomes.map((o) => o.stderr)).toEqual(['', '']);
  expect(outcomes.map((o) => o.code)).toEqual([0, 0]);
  const results = outcomes.map((o) => o.result);
  expect(results.map((r) => r?.errors)).toEqual([[], []]);
  expect(results.map((r) => r?.ok)).toEqual([CALLS_PER_PROCESS, CALLS_PER_PROCESS]);
  const tokenHits = sandbox.stats().byEndpoint[TOKEN_ENDPOINT] ?? 0;
  expect(tokenHits).toBe(1);
  // Everyone got the one refreshed token, and it is what the store now holds.
  const distinct = new Set(results.flatMap((r) => r?.distinct ?? []));
  expect(distinct.size).toBe(1);
  const after = await store.installations.get(PORTAL);
  expect(cipher.decrypt(after?.accessTokenSealed ?? '', sealContext(PORTAL, 'access'))).toBe(
    [...distinct][0],
  );
  console.log(
    `refresh race (${store.dialect}): 2 processes x ${CALLS_PER_PROCESS} calls -> ${results.reduce((n, r) => n + (r?.ok ?? 0), 0)} ok, token endpoint hit ${tokenHits}x, ${elapsedMs} ms after go`,
  );
}

describe('refresh race across processes (threats E5)', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await startOAuthSandbox([PORTAL]);
  });
  afterEach(async () => {
    await sandbox.stop();
  });

  it('SQLite file: 2 processes x 25 callers -> one refresh, 50 tokens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pillars-oauth-race-'));
    const file = join(dir, 'race.db');
    const store = await openSqliteStore({ file });
    try {
      const { key } = newCipher();
      await race(store, sandbox, key, [file, '-']);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  (POSTGRES_TEST_URL === undefined ? it.skip : it)(
    'PostgreSQL server: 2 processes x 25 callers -> one refresh, 50 tokens (needs PILLARS_TEST_DATABASE_URL)',
    async () => {
      const url = POSTGRES_TEST_URL ?? '';
      const schema = freshSchemaName('pillars_oauth_race');
      const store = await openPostgresStore({ url, schema, max: 4 });
      try {
        const { key } = newCipher();
        await race(store, sandbox, key, [url, schema]);
      } finally {
        await store.close();
        await dropSchemas(url, [schema]);
      }
    },
    60_000,
  );
});
