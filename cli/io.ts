import { redactKnownSecrets, redactSecrets, rememberSecret } from '../shared/redaction';

/** Where a command writes, and the environment it reads: injected so tests need no child process. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  /** `isTTY` (as on process.stderr) lets a status line update in place. */
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Ctrl-C: how to hear it and how to end the process (absent in tests that run main in-process). */
  readonly interrupt?: InterruptSource;
}

export interface InterruptSource {
  /** Calls `handler` on each Ctrl-C (SIGINT) until the returned function is called. */
  listen(handler: () => void): () => void;
  exit(code: number): void;
}

/** The real process: its streams, environment, SIGINT and exit. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    interrupt: {
      listen(handler) {
        process.on('SIGINT', handler);
        return () => process.off('SIGINT', handler);
      },
      exit: (code) => process.exit(code),
    },
  };
}

/**
 * Output that can never show a token: no piece of a known token is written anywhere, and
 * diagnostics (stderr) also lose anything shaped like a JWT (shared/redaction.ts).
 */
export class Output {
  /** A status line is on the terminal, without its newline. */
  private statusShown = false;

  constructor(private readonly io: CliIo) {}

  /** Registers a value that must never be written (a token read from the environment or a secret). */
  hide(secret: string | undefined): void {
    rememberSecret(secret);
  }

  /** Data and reports, one line per call. */
  line(text = ''): void {
    this.clearStatus();
    this.io.stdout.write(`${redactKnownSecrets(text)}\n`);
  }

  /** Diagnostics, notes and errors, one line per call. */
  note(text: string): void {
    this.clearStatus();
    this.io.stderr.write(`${redactSecrets(text)}\n`);
  }

  /** True when stderr is a terminal, where `status` rewrites one line in place. */
  get statusUpdatesInPlace(): boolean {
    return this.io.stderr.isTTY === true;
  }

  /**
   * Progress of something running (stderr). On a terminal it replaces the previous status line;
   * elsewhere it is a line of its own, so callers off a terminal should call it only on changes.
   */
  status(text: string): void {
    const clean = redactSecrets(text);
    if (!this.statusUpdatesInPlace) {
      this.io.stderr.write(`${clean}\n`);
      return;
    }
    this.io.stderr.write(`\r\x1b[2K${clean}`);
    this.statusShown = true;
  }

  /** Removes the status line from the terminal (before other output, or when the work is done). */
  clearStatus(): void {
    if (!this.statusShown) return;
    this.io.stderr.write('\r\x1b[2K');
    this.statusShown = false;
  }
}
