/** `pillars demo-portal`: write a generated, deterministic demo portal fixture. */
import type { Command } from 'commander';
import { generateDemoPortal, writePortalFixture } from '../../sandbox/demo-portal/index.js';
import { invalidInput } from '../../core/errors.js';
import type { CliIo } from '../io.js';
import { parseNonNegativeInt } from './options.js';

interface DemoPortalOptions {
  seed: string;
  size: string;
  out: string;
  anchor?: string;
}

export function registerDemoPortalCommand(program: Command, io: CliIo): void {
  program
    .command('demo-portal')
    .description(
      'Write a generated demo portal (teams, reps with distinct profiles, six months of activity) as a fixture',
    )
    .option('--seed <n>', 'seed: the same seed, size and anchor give the same portal', '1')
    .option('--size <n>', 'number of engagements to generate (scales past 1,000,000)', '30000')
    .option('--anchor <date>', "the portal's today, YYYY-MM-DD (default: today)")
    .requiredOption('--out <file>', 'where to write the fixture JSON')
    .action(async (opts: DemoPortalOptions) => {
      if (opts.anchor !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.anchor)) {
        throw invalidInput(`--anchor must be a date as YYYY-MM-DD, got "${opts.anchor}"`);
      }
      const started = Date.now();
      const fixture = generateDemoPortal({
        seed: parseNonNegativeInt(opts.seed, '--seed'),
        size: parseNonNegativeInt(opts.size, '--size'),
        ...(opts.anchor ? { anchor: opts.anchor } : {}),
      });
      await writePortalFixture(fixture, opts.out);
      const o = fixture.objects;
      const engagements =
        o.calls.length + o.emails.length + o.meetings.length + o.notes.length + o.tasks.length;
      io.stderr(
        `Wrote ${opts.out}: portal ${fixture.portal.portalId}, ${fixture.owners.length} owners, ` +
          `${engagements.toLocaleString('en-US')} engagements, ${o.deals.length.toLocaleString('en-US')} deals ` +
          `in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    });
}
