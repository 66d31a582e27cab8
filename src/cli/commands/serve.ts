/** `pillars serve` (what `npm start` runs): the backend on its embedded defaults, or as configured. */
import type { Command } from 'commander';
import { startBackend, type Backend } from '../../server/boot.js';
import { untilSignal, type CliIo, type StopSignal } from '../io.js';

function lastMonday(today: Date): string {
  const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7) - 7);
  return d.toISOString().slice(0, 10);
}

/** The banner a newcomer reads: where everything is and one command to run next. */
export function describeBackend(b: Backend, today = new Date()): string {
  const lines = [
    '',
    'Pillars backend is running.',
    `  backend     ${b.url}  (health: ${b.url}/healthz, readiness: ${b.url}/readyz)`,
    `  database    ${b.config.storage.kind === 'sqlite' ? `SQLite file ${b.config.storage.file}` : 'PostgreSQL (DATABASE_URL)'}`,
  ];
  if (b.sandbox) {
    lines.push(
      `  HubSpot     built-in sandbox at ${b.sandbox.url}, demo portal ${b.portalId} (seed ${b.config.sandbox.seed}, ${b.config.sandbox.size.toLocaleString('en-US')} engagements)`,
      '',
      'See real numbers for last week, from another terminal:',
      `  HUBSPOT_ACCESS_TOKEN=${b.sandbox.token} npx pillars metrics --base-url ${b.sandbox.url} --week ${lastMonday(today)}`,
    );
  } else {
    lines.push(`  HubSpot     portal ${b.portalId} at ${b.config.hubspot.apiBaseUrl}`);
  }
  lines.push('', 'Stop with Ctrl-C.', '');
  return lines.join('\n');
}

export function registerServeCommand(
  program: Command,
  io: CliIo,
  waitForStop: StopSignal = untilSignal,
): void {
  program
    .command('serve')
    .description(
      'Run the backend (SQLite + the built-in sandbox portal unless configured otherwise; see README)',
    )
    .action(async () => {
      const backend = await startBackend(io.env);
      io.stderr(describeBackend(backend));
      await waitForStop();
      await backend.close();
    });
}
