/**
 * Boots the real backend (`startBackend`) on a temporary SQLite file against an in-process sandbox
 * holding a generated demo portal, for integration tests that sign requests as HubSpot would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, type Backend, type BootOptions } from '../../src/server/boot.js';
import { generateDemoPortal, type DemoPortalFixture } from '../../src/sandbox/demo-portal/index.js';
import { createSandbox, type Sandbox } from '../../src/sandbox/index.js';

/** A free loopback port (the backend's public origin must name its real port before it listens). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface DemoBackend {
  fixture: DemoPortalFixture;
  sandbox: Sandbox;
  backend: Backend;
  /** The environment the backend booted with. */
  env: Record<string, string>;
  /** Stops this backend and the sandbox and deletes the database (a test that boots another backend closes it itself). */
  close(): Promise<void>;
}

/** Start the demo backend; `boot` passes extra boot options (e.g. webhooks autostart off). */
export async function startDemoBackend(options: {
  secret: string;
  prefix: string;
  boot?: Omit<BootOptions, 'sandbox'>;
  /** Demo portal size (activities; default 3000). */
  size?: number;
  /** The demo portal's anchor date (default today). */
  anchor?: string;
  /**
   * Run the functions' clock from the demo portal's "now" at real speed (so numbers do not depend on
   * the day the test runs, and writes still get distinct times).
   */
  clockFromDemoNow?: boolean;
}): Promise<DemoBackend> {
  const dir = await mkdtemp(join(tmpdir(), options.prefix));
  const fixture = generateDemoPortal({
    seed: 1,
    size: options.size ?? 3000,
    ...(options.anchor === undefined ? {} : { anchor: options.anchor }),
  });
  const sandbox = createSandbox({ portals: [fixture], latencyMs: 0 });
  await sandbox.start(0, '127.0.0.1');
  const port = await freePort();
  const env = {
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
    HUBSPOT_CLIENT_SECRET: options.secret,
    SQLITE_FILE: join(dir, 'pillars.sqlite'),
    LOG_LEVEL: 'silent',
  };
  const demoNow = Date.parse(fixture.demo.now);
  const bootedAt = Date.now();
  const clock = options.clockFromDemoNow ? { now: () => new Date(demoNow + (Date.now() - bootedAt)) } : {};
  const backend = await startBackend(env, { ...options.boot, ...clock, sandbox });
  return {
    fixture,
    sandbox,
    backend,
    env,
    async close() {
      await backend.close();
      await sandbox.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The staller's open deals in the stage the demo portal makes them stall in. */
export function stallerOpenDeals(fixture: DemoPortalFixture): string[] {
  const staller = Object.entries(fixture.demo.profiles).find(([, p]) => p === 'staller')?.[0];
  return fixture.objects.deals
    .filter(
      (d) =>
        d.properties.hubspot_owner_id === staller &&
        d.properties.dealstage === fixture.demo.stalledStageId &&
        d.properties.hs_is_closed === 'false',
    )
    .map((d) => d.id);
}
