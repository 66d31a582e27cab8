/**
 * What every Pillars function receives besides its input: the portal it runs for (from the signed
 * identity, never from the input), that portal's HubSpot gateway, storage and a clock.
 */
import type { HubSpotGateway } from '../hubspot/gateway.js';

/** Minimal structured logger the functions use (pino satisfies it). */
export interface FunctionLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Progress reports for long runs (the CLI shows them on stderr). */
export type ProgressReporter = (event: { phase: string; done: number; total?: number }) => void;

export interface FunctionContext {
  /** The signed portal id: the only tenant scope. */
  portalId: number;
  /** The signed HubSpot user id of the caller, when a person called (cards); absent for jobs and the CLI. */
  userId?: number;
  hubspot: HubSpotGateway;
  /** Current time; injected so tests can fix it. */
  now: () => Date;
  logger: FunctionLogger;
  progress?: ProgressReporter;
}

/** A Pillars function: typed input in, typed output out, no knowledge of HTTP or the CLI. */
export type PillarsFunction<I, O> = (input: I, ctx: FunctionContext) => Promise<O>;
