/**
 * A CDK app of someone else's, as the README shows it: it installs the package and imports it by
 * its name. Stack SecurityLake holds two pipelines, audit events into one bucket, sign-in attempts
 * and item usages into another, and an analysts' role may query the audit events. The app also brings resources it already has: stack SecurityData
 * holds a KMS key, a bucket encrypted with it and a token secret, and the pipeline of stack
 * SecurityArchive takes them as objects, its alarm e-mail from a CloudFormation parameter: every
 * name and ARN it gets is a token. test/infra/consumer-app.test.ts synthesizes it in-process (the
 * package's sources); test/infra/package.test.ts runs main.ts against the packed package from
 * another folder.
 */
import { App, type AppProps, CfnParameter, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { OnePasswordEventsPipeline } from 'onepassword-events-to-s3';

/** What the app already has before it adds a pipeline: a key, a bucket encrypted with it, a secret. */
export interface ExistingData {
  readonly stack: Stack;
  readonly key: kms.Key;
  readonly bucket: s3.Bucket;
  readonly secret: secretsmanager.Secret;
}

export interface ConsumerApp {
  readonly app: App;
  readonly stack: Stack;
  readonly audit: OnePasswordEventsPipeline;
  readonly access: OnePasswordEventsPipeline;
  readonly data: ExistingData;
  readonly archiveStack: Stack;
  readonly archive: OnePasswordEventsPipeline;
}

function existingData(app: App): ExistingData {
  const stack = new Stack(app, 'SecurityData');
  const key = new kms.Key(stack, 'DataKey', { enableKeyRotation: true });
  const logs = new s3.Bucket(stack, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(logs).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'The access-log bucket itself: logging it into itself would loop.',
  });
  const bucket = new s3.Bucket(stack, 'Lake', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    serverAccessLogsBucket: logs,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const secret = new secretsmanager.Secret(stack, 'EventsToken', { encryptionKey: key });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason: 'A 1Password Events API token is issued in the 1Password console: rotation is a manual step.',
  });
  return { stack, key, bucket, secret };
}

export function buildConsumerApp(props: AppProps = {}): ConsumerApp {
  const app = new App(props);
  const stack = new Stack(app, 'SecurityLake');
  const audit = new OnePasswordEventsPipeline(stack, 'Audit', {
    eventTypes: ['auditevents'],
    alarms: { email: 'security@example.com' },
  });
  const access = new OnePasswordEventsPipeline(stack, 'Access', {
    eventTypes: ['signinattempts', 'itemusages'],
    storage: { retentionDays: 90 },
  });
  // The security team's analysts may query the audit events.
  const analysts = new iam.Role(stack, 'Analysts', { assumedBy: new iam.AccountRootPrincipal() });
  audit.grantQuery(analysts);
  const data = existingData(app);
  const archiveStack = new Stack(app, 'SecurityArchive');
  const alarmEmail = new CfnParameter(archiveStack, 'AlarmEmail', { type: 'String' });
  const archive = new OnePasswordEventsPipeline(archiveStack, 'Archive', {
    eventTypes: ['auditevents'],
    storage: { bucket: data.bucket },
    token: { secret: data.secret },
    alarms: { email: alarmEmail.valueAsString },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, audit, access, data, archiveStack, archive };
}
