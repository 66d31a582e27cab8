/**
 * The backend's structured logger: pino, JSON lines, with redaction applied to every line (see
 * log-redaction.ts). Tests pass a destination to capture lines. For readable local output, pipe
 * the process through `pino-pretty`.
 */
import { pino } from 'pino';
import type { DestinationStream, Logger, LoggerOptions } from 'pino';
import type { Config } from './config.js';
import { secretValues } from './config.js';
import { createLineRedactor, redactFields } from './log-redaction.js';

export type { Logger } from 'pino';

/** A pino logger for this config; `destination` (e.g. a capture stream in tests) defaults to stdout. */
export function createLogger(config: Config, destination?: DestinationStream): Logger {
  const redactLine = createLineRedactor(secretValues(config));
  const options: LoggerOptions = {
    level: config.logLevel,
    base: { service: 'pillars-backend', env: config.env },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      // Key-based redaction of the logged object and of child bindings.
      log: (object) => redactFields(object) as Record<string, unknown>,
      bindings: (bindings) => redactFields(bindings) as Record<string, unknown>,
    },
    // Errors are already plain objects (redactFields serialises them with their cause chain); pino's
    // default err serializer would re-type them as "Object".
    serializers: { err: (value: unknown) => value },
    // The finished line again, by key (child bindings) and by value (secrets inside messages, stacks).
    hooks: { streamWrite: redactLine },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
