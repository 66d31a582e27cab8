/**
 * The job scheduler: every tick, for each portal the process serves, each scheduled job whose
 * current period has not run yet is claimed and run. A period is the job's unit of work (a local
 * date for daily jobs, a local Monday for weekly ones, an hour for syncs), so "once per period"
 * holds across every process sharing the database: JobRunStore.claim gives the lease to exactly one
 * of them; a run that fails is retried on a later tick; a process that dies mid-run loses its lease
 * when it expires and another process takes the period over (the jobs themselves are idempotent:
 * snapshots replace a week, stage timing replaces a pipeline's timing, training assignments are
 * opened once per rep and module).
 *
 * Jobs of a portal run in list order (snapshots before the training rules that read them), one at
 * a time, so a tick never bursts one portal's HubSpot limits. HubSpot's limits are per portal, so a
 * few portals run side by side (`portalConcurrency`); each portal's gateway paces its own requests.
 */
import type { FunctionContext } from '../functions/context.js';
import type { JobRunStore } from '../store/coaching-ports.js';

/** One scheduled job. */
export interface ScheduledJob {
  /** Stable name; the lease key with the portal and the period. */
  readonly name: string;
  /** The period due at `now` in the portal's time zone (e.g. `2026-11-23` for a weekly job). */
  periodAt(now: Date, timeZone: string): string;
  /** How long a claim holds before another process may take the period over. */
  readonly leaseMs: number;
  /** Do the work for the period; the result is stored as the run's summary. */
  run(ctx: FunctionContext, period: string): Promise<unknown>;
}

/** What one job did for one portal on a tick. */
export interface JobOutcome {
  portalId: number;
  job: string;
  period: string;
  outcome: 'ran' | 'failed' | 'done' | 'running';
  summary?: unknown;
  error?: string;
}

export interface SchedulerDeps {
  jobRuns: JobRunStore;
  /** The portals this process runs jobs for (active installations, or the one configured portal). */
  portals: () => Promise<readonly number[]>;
  /** A job context for a portal (its gateway; no user). */
  contextFor: (portalId: number) => Promise<FunctionContext>;
  jobs: readonly ScheduledJob[];
  logger: FunctionContext['logger'];
  /** Portals whose jobs run side by side (default DEFAULT_PORTAL_CONCURRENCY). */
  portalConcurrency?: number;
  /** Told every outcome (metrics). */
  onOutcome?: (o: JobOutcome) => void;
  now?: () => Date;
}

/** Portals run side by side by default: enough to keep a tick of hundreds of portals short, few
 * enough that one process's CPU and database connections are not swamped. */
export const DEFAULT_PORTAL_CONCURRENCY = 4;

/** A running scheduler. */
export interface Scheduler {
  /** Run every due job of every portal once; resolves with what happened. */
  tick(): Promise<JobOutcome[]>;
  /** Tick now and then every intervalMs (a tick never overlaps the previous one). */
  start(intervalMs: number): void;
  /** Stop ticking and wait for a tick in progress. */
  stop(): Promise<void>;
}

/** Build the scheduler. */
export function createScheduler(deps: SchedulerDeps): Scheduler {
  const now = deps.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<JobOutcome[]> | undefined;
  let stopped = false;

  async function runPortal(portalId: number): Promise<JobOutcome[]> {
    const out: JobOutcome[] = [];
    const ctx = await deps.contextFor(portalId);
    const { timeZone } = await ctx.hubspot.getPortalDetails();
    for (const job of deps.jobs) {
      if (stopped) break;
      const at = now();
      const period = job.periodAt(at, timeZone);
      const claim = await deps.jobRuns.claim(portalId, job.name, period, at, job.leaseMs);
      if (claim !== 'claimed') {
        out.push({ portalId, job: job.name, period, outcome: claim });
        continue;
      }
      const started = Date.now();
      try {
        const summary = await job.run(ctx, period);
        await deps.jobRuns.finish(portalId, job.name, period, now(), summary ?? null);
        deps.logger.info(
          {
            portalId,
            job: job.name,
            period,
            ms: Date.now() - started,
            metric: 'job_outcome',
            outcome: 'ran',
          },
          'scheduled job finished',
        );
        out.push({ portalId, job: job.name, period, outcome: 'ran', summary });
      } catch (e) {
        const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        await deps.jobRuns
          .fail(portalId, job.name, period, now(), reason.slice(0, 500))
          .catch(() => undefined);
        deps.logger.warn(
          { portalId, job: job.name, period, err: e, metric: 'job_outcome', outcome: 'failed' },
          'scheduled job failed; a later tick retries it',
        );
        out.push({ portalId, job: job.name, period, outcome: 'failed', error: reason });
      }
    }
    for (const o of out) deps.onOutcome?.(o);
    return out;
  }

  async function tick(): Promise<JobOutcome[]> {
    const portals = [...(await deps.portals())];
    const results: JobOutcome[][] = portals.map(() => []);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (!stopped && next < portals.length) {
        const i = next++;
        const portalId = portals[i] as number;
        try {
          results[i] = await runPortal(portalId);
        } catch (e) {
          // One portal's failure (HubSpot down for it, uninstalled mid-tick) never stops the others.
          deps.logger.warn({ portalId, err: e }, 'scheduler could not run the jobs of a portal');
        }
      }
    };
    const width = Math.max(1, Math.min(deps.portalConcurrency ?? DEFAULT_PORTAL_CONCURRENCY, portals.length));
    await Promise.all(Array.from({ length: width }, worker));
    // In portal order, whatever finished first.
    return results.flat();
  }

  function guardedTick(): Promise<JobOutcome[]> {
    if (running) return running;
    running = tick().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    tick: guardedTick,
    start(intervalMs) {
      stopped = false;
      const loop = () => {
        void guardedTick()
          .catch((e: unknown) => deps.logger.error({ err: e }, 'scheduler tick failed'))
          .finally(() => {
            if (!stopped) timer = setTimeout(loop, intervalMs);
          });
      };
      loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
