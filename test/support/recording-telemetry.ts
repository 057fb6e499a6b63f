import type { LogFields, Telemetry } from '../../shared/collector/run/telemetry';
import type { MetricName } from '../../shared/contracts/metric-names';

export interface LogEntry {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: LogFields | undefined;
}

/** Keeps logs and metrics in memory so tests can assert on what a run reported. */
export class RecordingTelemetry implements Telemetry {
  readonly logs: LogEntry[] = [];
  readonly metrics: { name: MetricName; value: number }[] = [];
  flushes = 0;

  info(message: string, fields?: LogFields) {
    this.logs.push({ level: 'info', message, fields });
  }
  warn(message: string, fields?: LogFields) {
    this.logs.push({ level: 'warn', message, fields });
  }
  error(message: string, fields?: LogFields) {
    this.logs.push({ level: 'error', message, fields });
  }
  metric(name: MetricName, value: number) {
    this.metrics.push({ name, value });
  }
  flush() {
    this.flushes++;
  }

  /** Sum of a metric over everything recorded. */
  total(name: MetricName): number {
    return this.metrics.filter((m) => m.name === name).reduce((sum, m) => sum + m.value, 0);
  }

  /** Everything recorded, as one string: for "the token never appears" checks. */
  text(): string {
    return JSON.stringify({ logs: this.logs, metrics: this.metrics });
  }
}
