/**
 * PGlite (PostgreSQL compiled to WASM) behind the same kysely store, so the PostgreSQL SQL paths
 * run in `npm test` with no server. Test-only: PGlite is a devDependency.
 *
 * Why a worker thread: PGlite's CommonJS build runs `await import('module')` while booting, and
 * jest's module sandbox refuses dynamic import unless node runs with --experimental-vm-modules
 * (it also replaces `module.createRequire`, so PGlite cannot be required around the sandbox).
 * A worker thread is a plain Node environment, so PGlite lives there and answers queries sent
 * as messages. kysely-pglite-dialect 1.3.1 (which supports PGlite 0.4) drives it: it serialises
 * connections, so transactions never interleave on PGlite's single session. Only SQL text,
 * parameters (strings, numbers) and plain result rows cross the thread boundary.
 *
 * Each database is fresh and in memory (~2 s to boot).
 *
 * One capability differs from a PostgreSQL server: PGlite 0.4 accepts at most 32,767 bind
 * parameters per statement, and above that it silently returns no rows and leaves the instance
 * broken (no error). PGLITE_CAPABILITIES says so, which also exercises the chunking paths.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import type { KyselyPlugin, Migration } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { POSTGRES_CAPABILITIES } from '../../src/store/capabilities.js';
import type { StoreCapabilities } from '../../src/store/capabilities.js';
import { openKyselyStore } from '../../src/store/kysely-store.js';
import type { Store } from '../../src/store/ports.js';
import type { Database } from '../../src/store/schema.js';

/** PostgreSQL's capabilities, with PGlite's lower bind-parameter limit (int16, not uint16). */
export const PGLITE_CAPABILITIES: StoreCapabilities = Object.freeze({
  ...POSTGRES_CAPABILITIES,
  maxBindParameters: 32_767,
});

/** Options of openPgliteStore. */
export interface PgliteStoreOptions {
  readonly plugins?: readonly KyselyPlugin[] | undefined;
  readonly migrations?: Readonly<Record<string, Migration>> | undefined;
}

/** A Kysely over a fresh in-memory PGlite; destroying it closes PGlite and its worker. */
export function createPgliteKysely(plugins: readonly KyselyPlugin[] = []): Kysely<Database> {
  // The dialect only calls query() and close(); our client has exactly those.
  const client = new PgliteWorkerClient() as unknown as PGlite;
  return new Kysely<Database>({ dialect: new PGliteDialect(client), plugins: [...plugins] });
}

/** A migrated store over a fresh in-memory PGlite. */
export function openPgliteStore(options: PgliteStoreOptions = {}): Promise<Store> {
  return openKyselyStore(createPgliteKysely(options.plugins), {
    dialect: 'postgres',
    capabilities: PGLITE_CAPABILITIES,
    migrations: options.migrations,
  });
}

// Runs in the worker as CommonJS, resolving PGlite from this file's place in the repository.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const { PGlite } = createRequire(workerData.resolveFrom)('@electric-sql/pglite');
const db = new PGlite();
parentPort.on('message', async (msg) => {
  try {
    if (msg.op === 'close') {
      await db.close();
      parentPort.postMessage({ id: msg.id, ok: true });
      return;
    }
    const r = await db.query(msg.sql, msg.params);
    parentPort.postMessage({ id: msg.id, ok: true, rows: r.rows, affectedRows: r.affectedRows });
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, message: String(e && e.message), code: e && e.code });
  }
});
`;

type Reply =
  | { id: number; ok: true; rows?: Record<string, unknown>[]; affectedRows?: number }
  | { id: number; ok: false; message: string; code?: string };

/** An error PGlite raised in the worker, with its SQLSTATE code. */
export class PgliteError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.name = 'PgliteError';
    this.code = code;
  }
}

class PgliteWorkerClient {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  #nextId = 0;
  #closed = false;

  constructor() {
    // jest runs this file as CommonJS (__filename); elsewhere fall back to the working directory.
    const resolveFrom = typeof __filename === 'string' ? __filename : join(process.cwd(), 'index.js');
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { resolveFrom } });
    // A forgotten close() must not keep jest alive.
    this.#worker.unref();
    this.#worker.on('message', (reply: Reply) => {
      const waiter = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      waiter?.resolve(reply);
    });
    this.#worker.on('error', (error) => this.#failAll(error));
    this.#worker.on('exit', () => this.#failAll(new Error('PGlite worker exited')));
  }

  async query(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<{ rows: Record<string, unknown>[]; affectedRows?: number }> {
    const reply = await this.#send({ op: 'query', sql, params: [...params] });
    if (!reply.ok) throw new PgliteError(reply.message, reply.code);
    return {
      rows: reply.rows ?? [],
      ...(reply.affectedRows === undefined ? {} : { affectedRows: reply.affectedRows }),
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#send({ op: 'close' }).catch(() => undefined);
    await this.#worker.terminate();
  }

  #send(message: Record<string, unknown>): Promise<Reply> {
    if (this.#closed && message.op !== 'close') return Promise.reject(new Error('PGlite is closed'));
    const id = (this.#nextId += 1);
    return new Promise<Reply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.ref(); // keep the process alive while a query is in flight
      this.#worker.postMessage({ id, ...message });
    }).finally(() => {
      if (this.#pending.size === 0) this.#worker.unref();
    });
  }

  #failAll(error: Error): void {
    for (const waiter of this.#pending.values()) waiter.reject(error);
    this.#pending.clear();
  }
}
