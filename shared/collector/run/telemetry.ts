import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { EventType } from '../../contracts/event-types';
import { METRIC_DIMENSION, METRICS_NAMESPACE, type MetricName } from '../../contracts/metric-names';
import { redactFields, redactSecrets } from '../../util/redaction';

export type LogFields = Record<string, unknown>;

/** What a run reports: structured logs and CloudWatch metrics. Tests and the local run swap it. */
export interface Telemetry {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** Records a metric for this run; units: counts, or seconds for names ending in Seconds. */
  metric(name: MetricName, value: number): void;
  /** Emits the run's metrics (EMF on stdout in Lambda). */
  flush(): void;
  /**
   * Puts the invocation's context (request id, cold start, function name) on every later log line
   * and, on a cold start, emits the ColdStart metric. Lambda only.
   */
  startInvocation?(context: Partial<Context>): void;
}

export const SERVICE_NAME = 'op-events-collector';
/** The service the scheduled window rules' function logs as. */
export const SCHEDULED_RULES_SERVICE_NAME = 'op-events-scheduled-rules';

/**
 * Powertools logger (JSON lines with level, timestamp, request id) and metrics (Embedded Metric
 * Format, dimension EventType only, so the stack's alarms match them exactly). The scheduled rules'
 * function reports under EventType `scheduled-rules`.
 */
export function createPowertoolsTelemetry(type: EventType | 'scheduled-rules'): Telemetry {
  // Given here, the service name wins over the function's POWERTOOLS_SERVICE_NAME, which the stack
  // sets to the same value.
  const serviceName = type === 'scheduled-rules' ? SCHEDULED_RULES_SERVICE_NAME : SERVICE_NAME;
  const logger = new Logger({ serviceName, persistentKeys: { eventType: type } });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  metrics.clearDefaultDimensions();
  metrics.setDefaultDimensions({ [METRIC_DIMENSION]: type });
  return {
    info: (message, fields) => logger.info(redactSecrets(message), redactFields(fields ?? {})),
    warn: (message, fields) => logger.warn(redactSecrets(message), redactFields(fields ?? {})),
    error: (message, fields) => logger.error(redactSecrets(message), redactFields(fields ?? {})),
    metric: (name, value) =>
      metrics.addMetric(name, name.endsWith('Seconds') ? MetricUnit.Seconds : MetricUnit.Count, value),
    flush: () => metrics.publishStoredMetrics(),
    startInvocation: (context) => {
      logger.addContext(context as Context);
      // Dimension EventType only (no function name), like every other metric of the collector.
      metrics.captureColdStartMetric();
    },
  };
}
