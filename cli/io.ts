import { redactKnownSecrets, redactSecrets, rememberSecret } from '../shared/util/redaction';
import { quietWhenClosed } from './closed-pipe';
import { neutraliseControls } from './terminal-text';

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
    stdout: quietWhenClosed(process.stdout),
    stderr: quietWhenClosed(process.stderr),
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

/** Back to the start of the line and erase it: the status line's own control sequence. */
const ERASE_LINE = '\r\x1b[2K';

/**
 * The one way the CLI writes (test/cli/output-path.test.ts fails on any other): no piece of a known
 * token is written anywhere, diagnostics (stderr) also lose anything shaped like a JWT
 * (shared/util/redaction.ts), and every character a terminal would act on (escape sequences, C0/C1
 * controls, bidirectional overrides) is shown as its `\uXXXX` escape (terminal-text.ts), since
 * event fields, API and AWS error texts come from outside. JSON lines stay exact JSON.
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
    this.emit('stdout', `${redactKnownSecrets(text)}\n`);
  }

  /** Diagnostics, notes and errors, one line per call. */
  note(text: string): void {
    this.clearStatus();
    this.emit('stderr', `${redactSecrets(text)}\n`);
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
      this.emit('stderr', `${clean}\n`);
      return;
    }
    this.emit('stderr', clean, ERASE_LINE);
    this.statusShown = true;
  }

  /** Removes the status line from the terminal (before other output, or when the work is done). */
  clearStatus(): void {
    if (!this.statusShown) return;
    this.emit('stderr', '', ERASE_LINE);
    this.statusShown = false;
  }

  /** The only write: `shown` with what a terminal would act on escaped, after our own control sequence. */
  private emit(stream: 'stdout' | 'stderr', shown: string, control: typeof ERASE_LINE | '' = ''): void {
    this.io[stream].write(`${control}${neutraliseControls(shown)}`);
  }
}
