import { redactTokens } from '../shared/errors';

/** Where a command writes, and the environment it reads: injected so tests need no child process. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Output that can never show a token: every known secret value is replaced wherever it appears,
 * and diagnostics (stderr) also lose anything shaped like a JWT.
 */
export class Output {
  private readonly secrets = new Set<string>();

  constructor(private readonly io: CliIo) {}

  /** Registers a value that must never be written (a token read from the environment or a secret). */
  hide(secret: string | undefined): void {
    if (secret && secret.length >= 8) this.secrets.add(secret);
  }

  /** Data and reports, one line per call. */
  line(text = ''): void {
    this.io.stdout.write(`${this.scrub(text)}\n`);
  }

  /** Diagnostics, notes and errors, one line per call. */
  note(text: string): void {
    this.io.stderr.write(`${redactTokens(this.scrub(text))}\n`);
  }

  private scrub(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('[REDACTED TOKEN]');
    return out;
  }
}
