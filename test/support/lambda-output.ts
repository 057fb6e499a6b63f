import { vi } from 'vitest';

export interface CapturedOutput {
  /** Everything written since the capture began (or since `clear`), in order. */
  text(): string;
  /** The JSON lines written (Powertools log lines and EMF metric documents), parsed. */
  jsonLines(): Record<string, unknown>[];
  clear(): void;
}

/**
 * Captures what the collector writes when it runs as in Lambda (Powertools JSON log lines and EMF
 * metrics on stdout, console.* elsewhere), so the test output stays clean and a test can assert the
 * lines. Call in beforeEach; `vi.restoreAllMocks()` (or `restoreMocks`) ends the capture.
 */
export function captureLambdaOutput(): CapturedOutput {
  let chunks: string[] = [];
  const capture = (chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      capture(`${args.map(String).join(' ')}\n`);
    });
  }
  const text = () => chunks.join('');
  return {
    text,
    jsonLines: () =>
      text()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    clear: () => {
      chunks = [];
    },
  };
}
