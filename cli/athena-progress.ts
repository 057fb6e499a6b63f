import { formatBytes } from './athena-cost';
import type { AthenaProgress } from './athena-runner';
import type { Output } from './io';

/**
 * Shows a running Athena query on stderr: on a terminal one line updated at every poll
 * (`<label>: RUNNING 3.4 s, 12.0 MB scanned`), elsewhere one line per change of state.
 */
export function athenaProgressReporter(out: Output, label: string): (progress: AthenaProgress) => void {
  let lastState: string | undefined;
  return (progress) => {
    if (!out.statusUpdatesInPlace && progress.state === lastState) return;
    lastState = progress.state;
    const seconds = (progress.elapsedMs / 1000).toFixed(1);
    const scanned =
      progress.scannedBytes !== undefined && progress.scannedBytes > 0
        ? `, ${formatBytes(progress.scannedBytes)} scanned`
        : '';
    out.status(`${label}: ${progress.state} ${seconds} s${scanned} (query ${progress.queryExecutionId})`);
  };
}
