/** Runs one measurement of a bench, printing its name and how long it took to stderr. */
export async function step<T>(name: string, measure: () => T | Promise<T>): Promise<T> {
  const at = Date.now();
  process.stderr.write(`bench: ${name}...`);
  const result = await measure();
  process.stderr.write(` ${((Date.now() - at) / 1000).toFixed(1)} s\n`);
  return result;
}

/**
 * Runs a bench command's `main` and ends the process: 0 once it is done, 1 with the error's stack
 * when it fails (`<command> failed: ...`), whatever timers or children are still around.
 */
export function runBenchCommand(command: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(
        `${command} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
