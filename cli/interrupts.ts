import { ExitCode } from './exit-codes';
import type { Output } from './io';
import { releaseHeldStateLocks } from './state-lock';

/**
 * Ctrl-C (SIGINT) while a command runs. By default it stops the process at once with exit code 130
 * (128 + SIGINT, what a shell reports for a command stopped by Ctrl-C) after releasing the state
 * lock, so the next command finds the state folder free. A command that can stop in a better way
 * (finish the current runs, cancel an Athena query) takes Ctrl-C over while it runs.
 */
export class Interrupts {
  private readonly takers: (() => void)[] = [];

  /** @param stopNow releases what must not outlive the process and ends it with exit code 130. */
  constructor(readonly stopNow: () => void) {}

  /** Until the returned function is called, Ctrl-C calls `handler` instead of stopping at once. */
  take(handler: () => void): () => void {
    this.takers.push(handler);
    return () => {
      const at = this.takers.lastIndexOf(handler);
      if (at !== -1) this.takers.splice(at, 1);
    };
  }

  /** One Ctrl-C: the newest taker's handler, or `stopNow`. */
  readonly fire = (): void => {
    const taker = this.takers.at(-1);
    if (taker) taker();
    else this.stopNow();
  };
}

/** What Ctrl-C does when no command took it: release the state locks, say so, exit 130. */
export function stopAtOnce(out: Output, exit: (code: number) => void): () => void {
  return () => {
    const released = releaseHeldStateLocks();
    out.note(`Interrupted (Ctrl-C)${released > 0 ? '; the state folder is free again' : ''}.`);
    exit(ExitCode.Interrupted);
  };
}
