/** `pillars sandbox`: serve a fixture or a generated demo portal as a local HubSpot. */
import type { Command } from 'commander';
import { loadPortalFixture } from '../../sandbox/fixture.js';
import { generateDemoPortal } from '../../sandbox/demo-portal/index.js';
import { createSandbox } from '../../sandbox/index.js';
import { untilSignal, type CliIo, type StopSignal } from '../io.js';
import { DEFAULT_SANDBOX_LATENCY_MS } from '../portal-session.js';
import { parseLatency, parseNonNegativeInt } from './options.js';

interface SandboxOptions {
  fixture?: string;
  seed: string;
  size: string;
  port: string;
  host: string;
  latency?: string;
  limits: boolean;
}

export function registerSandboxCommand(
  program: Command,
  io: CliIo,
  waitForStop: StopSignal = untilSignal,
): void {
  program
    .command('sandbox')
    .description(
      'Serve a local HubSpot (the API subset Pillars uses) with a fixture or a generated demo portal',
    )
    .option('--fixture <file>', 'portal fixture to serve (default: a generated demo portal)')
    .option('--seed <n>', 'demo portal seed', '1')
    .option('--size <n>', 'demo portal size: number of engagements', '30000')
    .option('--port <n>', 'port to listen on (0 = any free port)', '4010')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--latency <ms>', `latency added per request (default ${DEFAULT_SANDBOX_LATENCY_MS})`)
    .option('--no-limits', "don't enforce HubSpot's rate limits (for load tests and benchmarks)")
    .action(async (opts: SandboxOptions) => {
      const fixture = opts.fixture
        ? await loadPortalFixture(opts.fixture)
        : generateDemoPortal({
            seed: parseNonNegativeInt(opts.seed, '--seed'),
            size: parseNonNegativeInt(opts.size, '--size'),
          });
      const latencyMs = opts.latency === undefined ? DEFAULT_SANDBOX_LATENCY_MS : parseLatency(opts.latency);
      const sandbox = createSandbox({
        portals: [fixture],
        latencyMs,
        ...(opts.limits ? {} : { limits: false as const }),
      });
      const { baseUrl } = await sandbox.start(parseNonNegativeInt(opts.port, '--port'), opts.host);
      const token = sandbox.tokenFor(fixture.portal.portalId);
      io.stdout(`${baseUrl}\n`);
      io.stderr(
        `Sandbox HubSpot for portal ${fixture.portal.portalId} (${fixture.portal.timeZone}) at ${baseUrl}\n` +
          `Token: ${token}\n` +
          `Try:   HUBSPOT_ACCESS_TOKEN=${token} npx pillars metrics --base-url ${baseUrl} --week ${new Date().toISOString().slice(0, 10)}\n` +
          'Stop with Ctrl-C.\n',
      );
      await waitForStop();
      await sandbox.stop();
    });
}
