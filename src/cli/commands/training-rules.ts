/**
 * `pillars training-rules`: run the weekly training-rules job for one week, as the scheduler would
 * (exactly once per portal and week: a week already done is skipped). Reads HubSpot (or a fixture
 * through the built-in sandbox) and the backend's store (DATABASE_URL, else SQLITE_FILE or its
 * default), writes assignments there and their tasks to HubSpot. With --fixture the demo catalogue
 * and targets are the defaults (as in the embedded backend); against a real portal, what ops saved.
 */
import type { Command } from 'commander';
import { createActivityMetrics } from '../../functions/activity-metrics/activity-metrics.js';
import { createCoachingSettings, PORTAL_DEFAULTS } from '../../functions/coaching/coaching-settings.js';
import { createAssignTraining } from '../../functions/training/assign-training.js';
import { DEFAULT_RULES, DEMO_CATALOGUE, DEMO_TARGETS } from '../../functions/training/default-catalogue.js';
import { runTrainingRules } from '../../jobs/training-rules.js';
import type { TrainingRulesSummary } from '../../jobs/training-rules.js';
import { openStore } from '../../store/open-store.js';
import type { CliIo } from '../io.js';
import { openPortalSession } from '../portal-session.js';
import { storeConfigFrom } from '../store-config.js';
import { parseLatency } from './options.js';

interface TrainingRulesOptions {
  week?: string;
  fixture?: string;
  json?: boolean;
  baseUrl?: string;
  latency?: string;
}

/** The summary in a few lines. */
export function formatTrainingRulesSummary(s: TrainingRulesSummary): string {
  if (s.status === 'skipped') {
    return `Training rules for the week of ${s.weekStart} (portal ${s.portalId}): skipped, ${s.skipped === 'done' ? 'already done' : 'another run holds the lease'}.\n`;
  }
  const lines = [
    `Training rules for the week of ${s.weekStart} (portal ${s.portalId}), weeks ${s.weeks[0] ?? '-'} to ${s.weeks.at(-1) ?? '-'}${s.weeksComputed > 0 ? ` (${s.weeksComputed} computed)` : ''}:`,
    `  fired ${s.fired}, assigned ${s.assigned} (${s.tasksCreated} tasks created), held: cap reached ${s.held.capReached}, already assigned ${s.held.alreadyAssigned}${s.unmatched > 0 ? `, no module for the tag ${s.unmatched}` : ''}`,
  ];
  for (const i of s.items) {
    lines.push(
      `  ${i.outcome.padEnd(16)} owner ${i.ownerId}  ${i.moduleId}  (${i.source}${i.ruleId ? ` ${i.ruleId}` : ''})`,
    );
  }
  lines.push(`  ${s.ms} ms`);
  return `${lines.join('\n')}\n`;
}

export function registerTrainingRulesCommand(program: Command, io: CliIo): void {
  program
    .command('training-rules')
    .description(
      'Run the weekly training rules: assign modules for persistent gaps and releases, within the monthly cap',
    )
    .option(
      '--week <date>',
      "any local date of the run's week (default: today); the complete weeks before it are evaluated",
    )
    .option('--fixture <file>', 'read a portal fixture through the built-in sandbox instead of HubSpot')
    .option('--json', 'print the summary as one JSON document')
    .option(
      '--base-url <url>',
      'HubSpot API base URL (default: $HUBSPOT_API_BASE_URL or https://api.hubapi.com)',
    )
    .option('--latency <ms>', 'with --fixture: latency the sandbox adds per request (default 50)')
    .addHelpText(
      'after',
      '\nReads and writes DATABASE_URL when set, else SQLITE_FILE (default .pillars/pillars.sqlite).\n' +
        'Example: pillars training-rules --week 2026-11-23 --fixture portal.json --json\n',
    )
    .action(async (opts: TrainingRulesOptions) => {
      const session = await openPortalSession({
        env: io.env,
        ...(opts.fixture ? { fixture: opts.fixture } : {}),
        ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
        ...(opts.latency !== undefined ? { latencyMs: parseLatency(opts.latency) } : {}),
      });
      try {
        const ctx = await session.context();
        const store = await openStore(storeConfigFrom(io.env));
        try {
          const settings = createCoachingSettings(
            store.settings,
            opts.fixture
              ? { catalogue: DEMO_CATALOGUE, targets: DEMO_TARGETS, rules: DEFAULT_RULES }
              : PORTAL_DEFAULTS,
          );
          const summary = await runTrainingRules(
            ctx,
            {
              settings,
              snapshots: store.snapshots,
              jobRuns: store.jobRuns,
              assignments: store.trainingAssignments,
              assignTraining: createAssignTraining({ settings, assignments: store.trainingAssignments }),
              activityMetrics: createActivityMetrics(),
            },
            opts.week !== undefined ? { week: opts.week } : {},
          );
          io.stdout(
            opts.json ? `${JSON.stringify(summary, null, 2)}\n` : formatTrainingRulesSummary(summary),
          );
        } finally {
          await store.close();
        }
      } finally {
        await session.close();
      }
    });
}
