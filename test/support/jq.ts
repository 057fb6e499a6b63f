import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * jq engines for tests of the JQ expressions Firehose runs (JsonParsingEngine JQ-1.6).
 *
 * - `jq-web` (npm, pinned 0.5.1): jq compiled to asm.js, so `npm test` needs nothing but Node. Its
 *   build is jq at commit 341a5fc on the way to 1.6 (`jq --version` says jq-1.6rc1-16-g341a5fc);
 *   the newer jq-web and jq-wasm releases carry jq 1.7 and later.
 * - `/usr/bin/jq` when it is jq 1.6 exactly (Debian 12's package): the released 1.6, as a cross-check.
 */
export interface JqEngine {
  readonly name: string;
  /** What `jq --version` prints. */
  readonly version: string;
  /** Runs `jq -c FILTER` over newline-delimited JSON; one output line per result. */
  run(filter: string, ndjson: string): string[];
}

const outputLines = (text: string) => text.split('\n').filter((line) => line.length > 0);

const JQ_WEB_CLI = fileURLToPath(new URL('./jq-web-cli.cjs', import.meta.url));

function runFile(file: string, args: readonly string[], input: string): string {
  return execFileSync(file, [...args], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** jq-web's jq, run like a jq binary: one fresh Node process per call. */
export function embeddedJq(): JqEngine {
  const jq = (args: readonly string[], input: string) =>
    runFile(process.execPath, [JQ_WEB_CLI, ...args], input);
  return {
    name: 'jq-web (npm)',
    version: jq(['.', '--version'], '').trim(),
    run: (filter, ndjson) => outputLines(jq([filter, '-c'], ndjson)),
  };
}

export const SYSTEM_JQ = '/usr/bin/jq';

/** /usr/bin/jq if it exists and is jq 1.6; otherwise why not. */
export function systemJq16(): JqEngine | string {
  if (!existsSync(SYSTEM_JQ)) return `${SYSTEM_JQ} is not installed`;
  const version = execFileSync(SYSTEM_JQ, ['--version'], { encoding: 'utf8' }).trim();
  if (version !== 'jq-1.6') return `${SYSTEM_JQ} is ${version}, not jq-1.6`;
  return {
    name: SYSTEM_JQ,
    version,
    run: (filter, ndjson) =>
      outputLines(
        execFileSync(SYSTEM_JQ, ['-c', filter], { input: ndjson, encoding: 'utf8', maxBuffer: 1 << 28 }),
      ),
  };
}
