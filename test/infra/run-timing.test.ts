import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  OnePasswordEventsPipeline,
  type OnePasswordEventsPipelineProps,
} from '../../infra/constructs/onepassword-events-pipeline';
import { ConfigurationError } from '../../infra/props/validation';
import { cdkJsonContext } from './helpers';

const timeoutsOf = (props: Partial<OnePasswordEventsPipelineProps>): number[] => {
  const stack = new Stack(new App({ context: cdkJsonContext() }), 'Timeouts');
  new OnePasswordEventsPipeline(stack, 'Pipeline', { eventTypes: ['auditevents'], ...props });
  const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  // The collectors' (the scheduled detection rules have a timeout of their own).
  return Object.values(functions)
    .filter((fn) => JSON.stringify(fn.Properties.Environment).includes('"EVENT_TYPE"'))
    .map((fn) => (fn.Properties as { Timeout: number }).Timeout);
};

describe('function timeout', () => {
  it('follows a cron schedule with 50 s (a cron tick may come a minute later)', () => {
    expect(timeoutsOf({ collector: { schedule: 'cron(0/5 * * * ? *)' } })).toEqual([50]);
  });

  it('stops at Lambda’s 900 s for an hourly schedule', () => {
    expect(timeoutsOf({ collector: { schedule: 'rate(1 hour)' } })).toEqual([900]);
  });

  it('is the one collector.functionProps.timeout sets, whatever the schedule', () => {
    expect(
      timeoutsOf({
        collector: { schedule: 'rate(5 minutes)', functionProps: { timeout: Duration.seconds(30) } },
      }),
    ).toEqual([30]);
  });

  it('is refused when too short for one page, naming the prop', () => {
    const stack = new Stack(new App({ context: cdkJsonContext() }), 'Short');
    let error: unknown;
    try {
      new OnePasswordEventsPipeline(stack, 'Pipeline', {
        eventTypes: ['auditevents'],
        collector: { functionProps: { timeout: Duration.seconds(8) } },
      });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).key).toBe('collector.functionProps.timeout');
    // The collector of the type names itself: the pipeline's path and the type.
    expect((error as ConfigurationError).constructPath).toBe('Short/Pipeline/auditevents');
    expect((error as Error).message).toMatch(
      /^Short\/Pipeline\/auditevents: Invalid "collector.functionProps.timeout": must be at least 10 s \(got 8 s\)/,
    );
  });
});
