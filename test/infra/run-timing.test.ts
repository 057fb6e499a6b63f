import { App, Duration, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { OnePasswordEventsPipeline } from '../../infra/onepassword-events-pipeline';
import { ConfigurationError } from '../../infra/validation';
import { cdkJsonContext } from './helpers';

describe('function timeout', () => {
  it('is refused when too short for one page, naming the prop', () => {
    const stack = new Stack(new App({ context: cdkJsonContext() }), 'Short');
    let error: unknown;
    try {
      new OnePasswordEventsPipeline(stack, 'Pipeline', {
        eventTypes: ['auditevents'],
        collectorFunctionProps: { timeout: Duration.seconds(8) },
      });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).key).toBe('collectorFunctionProps.timeout');
    expect((error as Error).message).toMatch(/must be at least 10 s \(got 8 s\)/);
  });
});
