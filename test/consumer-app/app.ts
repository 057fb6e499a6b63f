/**
 * A CDK app of someone else's, as the README shows it: it installs the package and imports it by
 * its name. One stack, two pipelines: audit events into one bucket, sign-in attempts and item
 * usages into another. test/infra/consumer-app.test.ts synthesizes it in-process (the package's
 * sources); test/infra/package.test.ts runs main.ts against the packed package from another folder.
 */
import { App, type AppProps, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { OnePasswordEventsPipeline } from 'onepassword-events-to-s3';

export interface ConsumerApp {
  readonly app: App;
  readonly stack: Stack;
  readonly audit: OnePasswordEventsPipeline;
  readonly access: OnePasswordEventsPipeline;
}

export function buildConsumerApp(props: AppProps = {}): ConsumerApp {
  const app = new App(props);
  const stack = new Stack(app, 'SecurityLake');
  const audit = new OnePasswordEventsPipeline(stack, 'Audit', {
    eventTypes: ['auditevents'],
    alarmEmail: 'security@example.com',
  });
  const access = new OnePasswordEventsPipeline(stack, 'Access', {
    eventTypes: ['signinattempts', 'itemusages'],
    retentionDays: 90,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, audit, access };
}
