/**
 * Opens "a portal" for a CLI command: either a fixture served by a private in-process sandbox on a
 * free loopback port, or a real HubSpot portal reached with a token from the environment. Either way
 * the same HubSpot client path as production is used.
 */
import pino from 'pino';
import { AppError } from '../core/errors.js';
import type { FunctionContext, ProgressReporter } from '../functions/context.js';
import type { HubSpotGateway } from '../hubspot/gateway.js';
import { createHubSpotGateway, createInProcessThrottle } from '../hubspot/index.js';
import { withMetadataCache } from '../hubspot/metadata-cache.js';
import { loadPortalFixture } from '../sandbox/fixture.js';
import type { PortalFixture } from '../sandbox/fixture.js';
import { createSandbox } from '../sandbox/index.js';

/** The environment variable that holds a HubSpot access token for CLI runs against a real portal. */
export const TOKEN_VARIABLE = 'HUBSPOT_ACCESS_TOKEN';
/** Latency the CLI's sandbox adds to every response unless told otherwise, so runs feel like HubSpot. */
export const DEFAULT_SANDBOX_LATENCY_MS = 50;

export interface PortalSessionOptions {
  fixture?: string;
  /** A portal already in memory (e.g. a generated demo portal), served like a fixture file. */
  portal?: PortalFixture;
  baseUrl?: string;
  latencyMs?: number;
  env: Record<string, string | undefined>;
  progress?: ProgressReporter;
}

export interface PortalSession {
  gateway: HubSpotGateway;
  context(): Promise<FunctionContext>;
  /** Requests made to HubSpot (or the sandbox) so far. */
  requests(): number;
  close(): Promise<void>;
}

/** Open the portal a command works on; always `close()` it. */
export async function openPortalSession(options: PortalSessionOptions): Promise<PortalSession> {
  const throttle = createInProcessThrottle();
  let requests = 0;
  const logger = pino({ level: options.env.LOG_LEVEL ?? 'silent' }, pino.destination(2));
  let closeSandbox = async (): Promise<void> => undefined;
  let basePath: string;
  let token: string;

  if (options.fixture || options.portal) {
    const fixture = options.portal ?? (await loadPortalFixture(options.fixture as string));
    const sandbox = createSandbox({
      portals: [fixture],
      latencyMs: options.latencyMs ?? DEFAULT_SANDBOX_LATENCY_MS,
    });
    const { baseUrl } = await sandbox.start(0, '127.0.0.1');
    basePath = baseUrl;
    token = sandbox.tokenFor(fixture.portal.portalId);
    closeSandbox = () => sandbox.stop();
  } else {
    const fromEnv = options.env[TOKEN_VARIABLE];
    if (!fromEnv) {
      const message = `no portal to read: pass --fixture FILE, or set ${TOKEN_VARIABLE} to a HubSpot access token`;
      throw new AppError('CONFIG_INVALID', message, { publicMessage: message });
    }
    token = fromEnv;
    basePath = options.baseUrl ?? options.env.HUBSPOT_API_BASE_URL ?? 'https://api.hubapi.com';
  }

  const gateway = withMetadataCache(
    createHubSpotGateway({
      accessToken: token,
      basePath,
      throttle,
      logger,
      onRequest: () => {
        requests += 1;
      },
    }),
    { ttlMs: 5 * 60_000 },
  );

  return {
    gateway,
    async context() {
      const details = await gateway.getPortalDetails();
      return {
        portalId: details.portalId,
        hubspot: gateway,
        now: () => new Date(),
        logger,
        ...(options.progress ? { progress: options.progress } : {}),
      };
    },
    requests: () => requests,
    async close() {
      await throttle.close();
      await closeSandbox();
    },
  };
}
