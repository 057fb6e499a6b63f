import { redactKnownSecrets, redactSecrets, rememberSecret } from '../shared/redaction';

/** Where a command writes, and the environment it reads: injected so tests need no child process. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Output that can never show a token: no piece of a known token is written anywhere, and
 * diagnostics (stderr) also lose anything shaped like a JWT (shared/redaction.ts).
 */
export class Output {
  constructor(private readonly io: CliIo) {}

  /** Registers a value that must never be written (a token read from the environment or a secret). */
  hide(secret: string | undefined): void {
    rememberSecret(secret);
  }

  /** Data and reports, one line per call. */
  line(text = ''): void {
    this.io.stdout.write(`${redactKnownSecrets(text)}\n`);
  }

  /** Diagnostics, notes and errors, one line per call. */
  note(text: string): void {
    this.io.stderr.write(`${redactSecrets(text)}\n`);
  }
}
