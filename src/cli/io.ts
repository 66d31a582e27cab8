/** Where the CLI writes, injected so tests can capture it and long runs can show progress. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stderr is an interactive terminal (progress is shown only then). */
  stderrIsTty: boolean;
  env: Record<string, string | undefined>;
}

/** The real process streams. */
export function processIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stderrIsTty: Boolean(process.stderr.isTTY),
    env: process.env,
  };
}

/** A one-line progress indicator on stderr that rewrites itself; silent when stderr is not a terminal. */
export function createProgressLine(io: CliIo): { update(text: string): void; done(): void } {
  if (!io.stderrIsTty) return { update: () => undefined, done: () => undefined };
  let last = 0;
  let shown = false;
  return {
    update(text) {
      const now = Date.now();
      if (now - last < 100) return; // no more than 10 redraws a second
      last = now;
      shown = true;
      io.stderr(`\r\x1b[2K${text}`);
    },
    done() {
      if (shown) io.stderr('\r\x1b[2K');
    },
  };
}

/** Resolves when the process is asked to stop; injectable so tests can stop long-running commands. */
export type StopSignal = () => Promise<void>;

/** SIGINT or SIGTERM, whichever comes first. */
export const untilSignal: StopSignal = () =>
  new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
