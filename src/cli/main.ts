/**
 * The `pillars` command line. Each subcommand lives in its own module; this file wires them into
 * commander and turns every failure into a clear message on stderr and a non-zero exit code.
 */
import { Command, CommanderError } from 'commander';
import { isAppError } from '../core/errors.js';
import { registerDemoPortalCommand } from './commands/demo-portal.js';
import { registerDigestCommand } from './commands/digest.js';
import { registerMetricsCommand } from './commands/metrics.js';
import { registerProcessReportCommand } from './commands/process-report.js';
import { registerSandboxCommand } from './commands/sandbox.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSnapshotCommand } from './commands/snapshot.js';
import { registerTrainingRulesCommand } from './commands/training-rules.js';
import type { CliIo } from './io.js';
import { processIo } from './io.js';

/** Build the program; `io` is injected so tests can capture output. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('pillars')
    .description('Pillars: sales operations, process, coaching and training inside HubSpot')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .exitOverride();
  registerMetricsCommand(program, io);
  registerSandboxCommand(program, io);
  registerDemoPortalCommand(program, io);
  registerSnapshotCommand(program, io);
  registerProcessReportCommand(program, io);
  registerDigestCommand(program, io);
  registerTrainingRulesCommand(program, io);
  registerServeCommand(program, io);
  return program;
}

/** Run the CLI with process-style argv; resolves to the exit code. */
export async function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander already printed usage errors; help and version exit 0.
      return e.exitCode;
    }
    if (isAppError(e)) {
      io.stderr(`pillars: ${e.publicMessage}\n`);
      if (process.env.PILLARS_DEBUG) io.stderr(`${e.stack ?? e.message}\n`);
      return e.code === 'INVALID_INPUT' || e.code === 'CONFIG_INVALID' ? 2 : 1;
    }
    io.stderr(`pillars: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.PILLARS_DEBUG && e instanceof Error) io.stderr(`${e.stack}\n`);
    return 1;
  }
}
