/**
 * Where the log canary suite's logger writes: every line of every logger the backend creates, kept
 * on globalThis so the mocked logger module and the test share one array whatever module instance
 * each of them loaded.
 */
import type { DestinationStream } from 'pino';

const holder = globalThis as { __pillarsSecurityLogLines?: string[] };

/** Every captured line, in order. */
export function capturedLines(): string[] {
  return (holder.__pillarsSecurityLogLines ??= []);
}

/** A pino destination that captures each line. */
export const captureStream: DestinationStream = {
  write(line: string) {
    capturedLines().push(line);
  },
};
