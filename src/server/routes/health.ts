/**
 * Liveness and readiness for load balancers and orchestrators. Public: they reveal nothing but
 * "up" and "ready"; the reasons a probe failed go to the log only.
 */
import type { RequestHandler } from 'express';

/** A readiness check (e.g. the store's health); resolves when the dependency is usable. */
export type ReadinessProbe = () => Promise<void>;

/** How long one probe may take before it counts as failed. */
export const PROBE_TIMEOUT_MS = 2_000;

/** GET /healthz: the process serves requests. */
export function livenessHandler(): RequestHandler {
  return (_req, res) => {
    res.set('cache-control', 'no-store').status(200).json({ status: 'ok' });
  };
}

function withTimeout(probe: ReadinessProbe, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`probe timed out after ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
    // Calling inside the promise turns a synchronous throw into a failure, not a crash.
    new Promise<void>((run) => run(probe())).then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** GET /readyz: every injected probe passes → 200; any fails or times out → 503. */
export function readinessHandler(
  probes: readonly ReadinessProbe[],
  timeoutMs = PROBE_TIMEOUT_MS,
): RequestHandler {
  return async (_req, res) => {
    const results = await Promise.allSettled(probes.map((probe) => withTimeout(probe, timeoutMs)));
    const failed: string[] = [];
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') return;
      const name = probes[i]?.name || `probe${i}`;
      failed.push(name);
      res.locals.log.warn({ probe: name, err: result.reason as unknown }, 'readiness probe failed');
    });
    res.set('cache-control', 'no-store');
    if (failed.length > 0) {
      res.status(503).json({ status: 'not_ready', failed });
      return;
    }
    res.status(200).json({ status: 'ready' });
  };
}
