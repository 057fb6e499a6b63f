import type { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { METRIC_DIMENSION, METRICS_NAMESPACE, type MetricName } from '../../shared/contracts/metric-names';

/**
 * A metric the pipeline's functions emit, with exactly the dimensions they emit
 * (shared/collector/run/telemetry.ts): EventType only, which is `source` (an event type, or
 * `scheduled-rules` for the scheduled rules' function).
 */
export function emittedMetric(
  source: string,
  name: MetricName,
  statistic: string,
  period: Duration,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { [METRIC_DIMENSION]: source },
    statistic,
    period,
  });
}
