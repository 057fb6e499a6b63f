import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, type CfnElement, Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  OnePasswordEventsStack,
  type OnePasswordEventsStackProps,
} from '../../infra/app/onepassword-events-stack';
import {
  OnePasswordEventsPipeline,
  type OnePasswordEventsPipelineProps,
} from '../../infra/constructs/onepassword-events-pipeline';
import { runTimeoutSecondsFor } from '../../infra/defaults/catch-up';
import { defaultFirehoseQuotaMiB } from '../../shared/contracts/aws-limits';
import { EVENT_TYPES } from '../../shared/contracts/event-types';
import { loadAlertConfig } from '../../shared/detections/alert-config';
import {
  DEFAULT_DETECTION_SETTINGS,
  type DetectionSettings,
  KNOWN_1PASSWORD_APPS,
} from '../../shared/detections/settings';
import { cdkJsonContext, logicalIds, NO_BUNDLING, onlyLogicalId, resource } from './helpers';

/**
 * The construct's props as jsii could compile them (jsii user guide, "TypeScript restrictions";
 * jsii specification, "The jsii type system"): plain interfaces whose properties are primitives,
 * lists, enums, classes or other interfaces, with no utility or mapped types (Partial, Pick, Omit,
 * Record, Readonly), and every optional property documenting its default (`@default`). Each default
 * is checked against a pipeline synthesized without that prop: one written as code is evaluated and
 * compared with the template; one written in words has a claim below, pinned to its words, that
 * asserts what they say (a group's: given empty, it synthesizes the default template).
 */
const PROPS_FILES = [
  'infra/app/onepassword-events-stack.ts',
  'infra/props/pipeline-props.ts',
  'infra/props/resource-options.ts',
  'infra/props/detection-props.ts',
];
const UTILITY_TYPES = /\b(Partial|Required|Pick|Omit|Record|Readonly|ReadonlyArray)\s*</;

interface Property {
  readonly where: string;
  readonly type: string;
  readonly optional: boolean;
  readonly doc: string;
}

function exportedInterfaceProperties(path: string): Property[] {
  const file = fileURLToPath(new URL(`../../${path}`, import.meta.url));
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const properties: Property[] = [];
  for (const statement of source.statements) {
    if (!ts.isInterfaceDeclaration(statement)) continue;
    if (!statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (statement.name.text === 'ResolvedProps') continue; // internal: the props after defaults
    for (const member of statement.members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      properties.push({
        where: `${path} ${statement.name.text}.${member.name.getText(source)}`,
        type: member.type.getText(source),
        optional: member.questionToken !== undefined,
        doc: ts
          .getJSDocCommentsAndTags(member)
          .map((d) => d.getText(source))
          .join('\n'),
      });
    }
  }
  return properties;
}

const properties = PROPS_FILES.flatMap(exportedInterfaceProperties);

describe('the construct props', () => {
  it('are read from the files that declare them', () => {
    expect(properties.map((p) => p.where)).toContain(
      'infra/props/pipeline-props.ts StorageOptions.cursorTableProps',
    );
    expect(properties.length).toBeGreaterThan(30);
  });

  it('use no utility or mapped types', () => {
    expect(properties.filter((p) => UTILITY_TYPES.test(p.type) || /\{\s*\[/.test(p.type))).toEqual([]);
  });

  it('document the default of every optional property', () => {
    expect(properties.filter((p) => p.optional && !/@default /.test(p.doc)).map((p) => p.where)).toEqual([]);
  });
});

/**
 * The default a doc comment gives as code (`@default 1024`, `@default Duration.seconds(60)`);
 * undefined for `@default - words`.
 */
function literalDefault(doc: string): string | undefined {
  const text = /@default\s+([^\n*]+?)\s*(?:\*\/|\n|$)/.exec(doc)?.[1];
  // A note after the value stays out: `10737418240 (10 GiB)`.
  return text === undefined || text.startsWith('-') ? undefined : text.replace(/\s+\(.*\)$/, '');
}

/** A default as code, evaluated, in a form the template shows: seconds, MiB, enum values as written there. */
function evaluate(code: string): unknown {
  const value: unknown = new Function('Duration', 'Size', 'RemovalPolicy', 'lambda', `return (${code});`)(
    Duration,
    Size,
    RemovalPolicy,
    lambda,
  );
  if (value instanceof Duration) return value.toSeconds();
  if (value instanceof Size) return value.toMebibytes();
  if (value instanceof lambda.Architecture) return value.name;
  return value;
}

// biome-ignore lint/suspicious/noExplicitAny: template JSON, read by path below
type Resource = { Properties: Record<string, any>; DeletionPolicy?: string };

/** A stack synthesized once, on first use: the template and what built it. */
function synthesized<T>(stackName: string, build: (stack: Stack) => T): () => T & { template: Template } {
  let made: (T & { template: Template }) | undefined;
  return () => {
    if (made === undefined) {
      const stack = new Stack(new App({ context: { ...cdkJsonContext(), ...NO_BUNDLING } }), stackName);
      const built = build(stack);
      made = { ...built, template: Template.fromStack(stack) };
    }
    return made;
  };
}

const resources = (template: Template, type: string, needle = ''): Resource[] =>
  logicalIds(template, type, needle).map((id) => resource(template, id) as Resource);
/** The one resource of `type` whose properties contain `needle`; none or several fail the test. */
const one = (template: Template, type: string, needle = ''): Resource =>
  resource(template, onlyLogicalId(template, type, needle)) as Resource;
/** The collector functions' (or, with `scheduled`, every function's) environments. */
const environments = (template: Template, needle = '"EVENT_TYPE"'): Record<string, string>[] =>
  resources(template, 'AWS::Lambda::Function', needle).map((f) => f.Properties.Environment.Variables);

const PIPELINE_ID = 'The-Pipeline';

/**
 * The pipeline with no props: what each default gives. A construct id with a hyphen, so that the
 * pipeline id's default (letters and digits of the id) shows.
 */
const defaults = synthesized('Defaults', (stack) => ({
  stack,
  pipeline: new OnePasswordEventsPipeline(stack, PIPELINE_ID),
}));

describe('every default written as code is what the construct does', () => {
  const template = () => defaults().template;
  const fn = () => one(template(), 'AWS::Lambda::Function', '"EVENT_TYPE":"auditevents"').Properties;
  const env = () => fn().Environment.Variables as Record<string, string>;
  // The detection settings the collector runs with, read from its environment as it reads them.
  const detectionSettings = () => loadAlertConfig(env())?.settings as DetectionSettings;
  const bucket = () => one(template(), 'AWS::S3::Bucket', 'events-bucket/').Properties;
  const retention = () => bucket().LifecycleConfiguration.Rules[0];
  const table = () => one(template(), 'AWS::DynamoDB::Table');
  const stream = () =>
    one(template(), 'AWS::KinesisFirehose::DeliveryStream', 'events/auditevents/').Properties;
  const alarm = (suffix: string) =>
    one(template(), 'AWS::CloudWatch::Alarm', `"${defaults().pipeline.namePrefix}-auditevents-${suffix}"`)
      .Properties;
  const rulesSchedule = () =>
    one(template(), 'AWS::Scheduler::Schedule', 'window detection rules').Properties.ScheduleExpression;

  /** Where each prop's default shows, in the unit its `@default` is written in. */
  const SHOWN: Record<string, () => unknown> = {
    'CollectorOptions.schedule': () =>
      one(template(), 'AWS::Scheduler::Schedule', 'auditevents').Properties.ScheduleExpression,
    'CollectorOptions.startLookbackHours': () => Number(env().START_LOOKBACK_HOURS),
    'CollectorOptions.maxEventsPerRun': () => Number(env().MAX_EVENTS_PER_RUN),
    'CollectorOptions.requestTimeoutMs': () => Number(env().REQUEST_TIMEOUT_MS),
    'CollectorOptions.cursorFallbackOverlapMinutes': () => Number(env().CURSOR_FALLBACK_OVERLAP_MINUTES),
    'CollectorOptions.tokenCacheSeconds': () => Number(env().TOKEN_CACHE_SECONDS),
    'CollectorOptions.requestBudgetPerMinute': () => Number(env().REQUEST_BUDGET_PER_MINUTE),
    'CollectorOptions.sourceMaps': () => env().NODE_OPTIONS === '--enable-source-maps',
    'StorageOptions.retentionDays': () => retention().ExpirationInDays,
    'StorageOptions.noncurrentVersionDays': () => retention().NoncurrentVersionExpiration.NoncurrentDays,
    'StorageOptions.objectLockAtBucketCreation': () => bucket().ObjectLockEnabled === true,
    'StorageOptions.firehoseBufferInterval': () =>
      stream().ExtendedS3DestinationConfiguration.BufferingHints.IntervalInSeconds,
    'StorageOptions.firehoseBufferSize': () =>
      stream().ExtendedS3DestinationConfiguration.BufferingHints.SizeInMBs,
    // One-hour periods, every one of them without events.
    'AlarmOptions.noEventsWindow': () => alarm('no-events').EvaluationPeriods * 3600,
    'AlarmOptions.freshnessThreshold': () => alarm('stale').Threshold,
    'AlarmOptions.failedRunsPer5Minutes': () => alarm('failed-runs').Threshold,
    // Five-minute periods, every one of them throttled.
    'AlarmOptions.throttledMinutes': () => alarm('throttled').EvaluationPeriods * 5,
    'AlarmOptions.tokenExpiryDays': () => alarm('token-expiring').Threshold / 86_400,
    'AlarmOptions.functionErrorsPer15Minutes': () => alarm('function-errors').Threshold,
    'QueryOptions.bytesScannedCutoffPerQuery': () =>
      one(template(), 'AWS::Athena::WorkGroup').Properties.WorkGroupConfiguration.BytesScannedCutoffPerQuery,
    'CollectorFunctionOptions.memorySize': () => fn().MemorySize,
    'CollectorFunctionOptions.architecture': () => fn().Architectures[0],
    // Lambda's own default when the function has no TracingConfig.
    'CollectorFunctionOptions.tracing': () => fn().TracingConfig?.Mode ?? 'Disabled',
    'CursorTableOptions.removalPolicy': () => table().DeletionPolicy?.toLowerCase(),
    'CursorTableOptions.deletionProtection': () => table().Properties.DeletionProtectionEnabled,
    'CursorTableOptions.pointInTimeRecovery': () =>
      table().Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled,
    'DetectionWatchlistProps.vaults': () => detectionSettings().watchlists.vaults,
    'DetectionWatchlistProps.groups': () => detectionSettings().watchlists.groups,
    'DetectionWatchlistProps.items': () => detectionSettings().watchlists.items,
    'DetectionWatchlistProps.itemTitles': () => detectionSettings().watchlists.itemTitles,
    'DetectionThresholdProps.signInFailures': () => detectionSettings().thresholds.signInFailures,
    'DetectionThresholdProps.signInFailureMinutes': () => detectionSettings().thresholds.signInFailureMinutes,
    'DetectionThresholdProps.exfiltrationItems': () => detectionSettings().thresholds.exfiltrationItems,
    'DetectionThresholdProps.exfiltrationMinutes': () => detectionSettings().thresholds.exfiltrationMinutes,
    'DetectionThresholdProps.newIpBaselineDays': () => detectionSettings().thresholds.newIpBaselineDays,
    'DetectionThresholdProps.selfGrantUseMinutes': () => detectionSettings().thresholds.selfGrantUseMinutes,
    'DetectionThresholdProps.exportAfterCreationDays': () =>
      detectionSettings().thresholds.exportAfterCreationDays,
    'DetectionThresholdProps.exportBeforeSuspensionDays': () =>
      detectionSettings().thresholds.exportBeforeSuspensionDays,
    'DetectionSettingsProps.disabledRules': () => detectionSettings().disabledRules,
    'DetectionSettingsProps.suppressionMinutes': () => detectionSettings().suppressionMinutes,
    'DetectionsProps.enabled': () =>
      defaults().pipeline.detectionAlerts !== undefined && defaults().pipeline.scheduledRules !== undefined,
    'DetectionsProps.scheduleMinutes': () => Number(/^rate\((\d+) minutes\)$/.exec(rulesSchedule())?.[1]),
  };
  const written = properties.flatMap((p) => {
    const code = literalDefault(p.doc);
    return code === undefined ? [] : [{ name: p.where.split(' ')[1] as string, code }];
  });

  it('finds each prop whose default is written as code (function, table, detection options too)', () => {
    expect(written.map((p) => p.name).sort()).toEqual(Object.keys(SHOWN).sort());
  });

  it.each(written.map((p) => [p.name, p.code] as const))('%s: @default %s', (name, code) => {
    expect(SHOWN[name]?.()).toEqual(evaluate(code));
  });
});

/** The default a doc comment gives in words (`@default - a new bucket`), on one line; undefined for code. */
function proseDefault(doc: string): string | undefined {
  const text = /@default\s+-\s+([\s\S]*?)\s*(?:\*\/|\n\s*\*\s*@|$)/.exec(doc)?.[1];
  return text?.replace(/\s*\n\s*\*\s*/g, ' ');
}

/** The props interfaces by name: a prop of one of these types is a group of props. */
const INTERFACES = new Set(properties.map((p) => p.where.split(' ')[1]?.split('.')[0] as string));
const groupType = (p: Property): string | undefined => {
  const type = p.type.replace(/^readonly\s+/, '');
  return INTERFACES.has(type) ? type : undefined;
};

/** Every group of `name` given empty, all the way down: `{ collector: { functionProps: {} }, ... }`. */
function emptyGroups(name: string): Record<string, object> {
  const members = properties.filter((p) => p.where.split(' ')[1]?.startsWith(`${name}.`));
  return Object.fromEntries(
    members.flatMap((p) => {
      const type = groupType(p);
      return type === undefined ? [] : [[p.where.split('.').at(-1) as string, emptyGroups(type)]];
    }),
  );
}

/**
 * The defaults that name a value, given as that value: every group empty, the new bucket's
 * overrides empty, the package's own collector entry. The template must be the default one.
 */
const explicitProps = (): OnePasswordEventsPipelineProps => {
  const props = emptyGroups('OnePasswordEventsPipelineProps') as OnePasswordEventsPipelineProps;
  return {
    ...props,
    collector: {
      ...props.collector,
      entry: fileURLToPath(new URL('../../functions/collector.ts', import.meta.url)),
    },
    storage: { ...props.storage, bucketProps: {} },
  };
};
const explicit = synthesized('Defaults', (stack) => ({
  pipeline: new OnePasswordEventsPipeline(stack, PIPELINE_ID, explicitProps()),
}));

/** Defaults that follow another prop, shown with that prop given: existing resources, a VPC, a schedule. */
const SECRET_KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555';
const PRIVATE_SUBNETS = ['subnet-private1', 'subnet-private2'];
const given = synthesized('Given', (stack) => {
  const secretKey = kms.Key.fromKeyArn(stack, 'SecretKey', SECRET_KEY_ARN);
  const secret = secretsmanager.Secret.fromSecretAttributes(stack, 'Secret', {
    secretCompleteArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:op-events-token-AbCdEf',
    encryptionKey: secretKey,
  });
  const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'existing-events-bucket');
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-12345678',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    privateSubnetIds: PRIVATE_SUBNETS,
    privateSubnetRouteTableIds: ['rtb-private1', 'rtb-private2'],
    publicSubnetIds: ['subnet-public1', 'subnet-public2'],
    publicSubnetRouteTableIds: ['rtb-public1', 'rtb-public2'],
  });
  const pipeline = new OnePasswordEventsPipeline(stack, PIPELINE_ID, {
    eventTypes: ['auditevents', 'itemusages'],
    collector: { schedule: 'rate(5 minutes)', maxEventsPerRun: 500, functionProps: { vpc } },
    token: { secret },
    storage: { bucket },
  });
  return { stack, pipeline, secret, secretKey, bucket };
});

/** The app's stack: with its props left out, and with each group of them given empty. */
const APP_STACK = 'App-Stack';
const appStackWith = (props?: OnePasswordEventsStackProps) => {
  let made: { stack: OnePasswordEventsStack; template: Template } | undefined;
  return () => {
    if (made === undefined) {
      const app = new App({ context: { ...cdkJsonContext(), ...NO_BUNDLING } });
      const stack = new OnePasswordEventsStack(app, APP_STACK, props);
      made = { stack, template: Template.fromStack(stack) };
    }
    return made;
  };
};
const appStack = appStackWith();
/** The app stack's groups given empty: the pipeline's explicit props, and no alert targets. */
const explicitStackProps = (): OnePasswordEventsStackProps => ({ pipeline: explicitProps(), alerts: {} });
const explicitAppStack = appStackWith(explicitStackProps());

/** A default in words: what it says, and a check that fails when the construct does otherwise. */
interface Claim {
  readonly says: string;
  /** A group of props: its default is each member's, so `{}` synthesizes the default template. */
  readonly group?: true;
  readonly holds: () => void;
}

/** The default template, resource by resource: a failure names the resources that differ. */
function sameTemplate(actual: Template, expected: Template): void {
  const want = expected.toJSON();
  const got = actual.toJSON();
  const ids = new Set([...Object.keys(want.Resources), ...Object.keys(got.Resources)]);
  const differ = [...ids].filter(
    (id) => JSON.stringify(want.Resources[id]) !== JSON.stringify(got.Resources[id]),
  );
  expect(differ).toEqual([]);
  expect(got).toEqual(want);
}
const explicitDefaultsSynthesizeTheDefaultTemplate = () =>
  sameTemplate(explicit().template, defaults().template);
const explicitStackPropsSynthesizeTheDefaultStack = () =>
  sameTemplate(explicitAppStack().template, appStack().template);

const group = (
  says: string,
  more: () => void = () => {},
  sameAsLeftOut: () => void = explicitDefaultsSynthesizeTheDefaultTemplate,
): Claim => ({
  says,
  group: true,
  holds: () => {
    sameAsLeftOut();
    more();
  },
});

describe('every default written in words is what the construct does', () => {
  const d = () => defaults().template;
  const g = () => given().template;
  const collectorFns = (template: Template) => resources(template, 'AWS::Lambda::Function', '"EVENT_TYPE"');
  const eventsBucket = () => one(d(), 'AWS::S3::Bucket', 'events-bucket/');
  const logicalId = (stack: Stack, construct: IConstruct) =>
    stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const tokenStatements = (template: Template) =>
    resources(template, 'AWS::IAM::Policy', 'ReadToken').flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement,
    );
  const notificationRule = (template: Template) =>
    one(template, 'AWS::Events::Rule', 'readable notification').Properties;
  const allFunctionEnvironments = (template: Template) => environments(template, '"ALERT_EVENT_BUS"');

  const noSecretKey = () => {
    const secret = one(d(), 'AWS::SecretsManager::Secret').Properties;
    expect(secret.KmsKeyId).toBeUndefined();
    expect(defaults().pipeline.tokenSecretKey).toBeUndefined();
    expect(tokenStatements(d()).map((s) => s.Sid)).not.toContain('DecryptTokenViaSecretsManager');
  };
  const newPlaceholderSecret = () => {
    const secrets = resources(d(), 'AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(1);
    expect(secrets[0]?.Properties.SecretString).toBe('{"token":""}');
    expect(defaults().pipeline.tokenSecret).toBeInstanceOf(secretsmanager.Secret);
  };
  const theGivenSecret = () => {
    expect(given().pipeline.tokenSecret).toBe(given().secret);
    expect(resources(g(), 'AWS::SecretsManager::Secret')).toEqual([]);
  };
  const newEventsBucket = () => {
    expect(defaults().pipeline.eventsBucket).toBeInstanceOf(s3.Bucket);
    expect(resources(d(), 'AWS::S3::Bucket', 'events-bucket/')).toHaveLength(1);
  };
  const theGivenBucket = () => {
    expect(given().pipeline.eventsBucket).toBe(given().bucket);
    expect(resources(g(), 'AWS::S3::Bucket', 'events-bucket/')).toEqual([]);
  };
  const noObjectLock = () => {
    expect(eventsBucket().Properties.ObjectLockEnabled).toBeUndefined();
    expect(eventsBucket().Properties.ObjectLockConfiguration).toBeUndefined();
  };
  const defaultBus = (template: Template) => {
    const variables = allFunctionEnvironments(template);
    expect(variables.length).toBeGreaterThan(1); // the collectors and the scheduled rules
    for (const variables_ of variables) expect(variables_.ALERT_EVENT_BUS).toBe('default');
    expect(notificationRule(template).EventBusName ?? 'default').toBe('default');
  };
  const alarmTopicNotified = (stack: Stack, pipeline: OnePasswordEventsPipeline, template: Template) => {
    expect(notificationRule(template).Targets.map((t: { Arn: unknown }) => t.Arn)).toEqual([
      { Ref: logicalId(stack, pipeline.alarmTopic) },
    ]);
  };
  const defaultDetectionSettings = () => {
    for (const variables of allFunctionEnvironments(d())) {
      expect(variables.DETECTION_SETTINGS).toBeUndefined();
      expect(loadAlertConfig(variables)?.settings).toEqual(DEFAULT_DETECTION_SETTINGS);
    }
  };
  const settingsAsRun = () => loadAlertConfig(environments(d())[0] ?? {})?.settings as DetectionSettings;

  const CLAIMS: Record<string, Claim> = {
    'OnePasswordEventsPipelineProps.pipelineId': {
      says: "the construct's id, letters and digits only",
      holds: () => {
        expect(defaults().pipeline.pipelineId).toBe('ThePipeline');
        const outputs = Object.keys(d().toJSON().Outputs);
        expect(outputs).toContain('ThePipelineCursorTableName');
        expect(outputs.filter((name) => !name.startsWith('ThePipeline'))).toEqual([]);
      },
    },
    'OnePasswordEventsPipelineProps.eventTypes': {
      says: 'all three',
      holds: () => {
        expect(EVENT_TYPES).toHaveLength(3);
        expect(defaults().pipeline.collectors.map((c) => c.type)).toEqual([...EVENT_TYPES]);
        expect(environments(d()).map((v) => v.EVENT_TYPE)).toEqual([...EVENT_TYPES]);
      },
    },
    'OnePasswordEventsPipelineProps.collector': group('the defaults of each option'),
    'OnePasswordEventsPipelineProps.token': group(
      'the defaults of each option: a new secret holding a placeholder, set after deploy',
      newPlaceholderSecret,
    ),
    'OnePasswordEventsPipelineProps.storage': group('the defaults of each option'),
    'OnePasswordEventsPipelineProps.alarms': group('the defaults of each option'),
    'OnePasswordEventsPipelineProps.query': group('the defaults of each option'),
    'OnePasswordEventsPipelineProps.detections': group(
      'on: alerts to the default bus, notifications to the alarm topic',
      () => {
        expect(defaults().pipeline.detectionAlerts).toBeDefined();
        defaultBus(d());
        alarmTopicNotified(defaults().stack, defaults().pipeline, d());
      },
    ),
    'CollectorOptions.eventsApiUrl': {
      says: "derived by the collector from the token's audience",
      holds: () => {
        for (const variables of environments(d())) expect(variables.EVENTS_API_URL).toBeUndefined();
      },
    },
    'CollectorOptions.startTime': {
      says: 'use startLookbackHours',
      holds: () => {
        for (const variables of environments(d())) {
          expect(variables.START_TIME).toBeUndefined();
          expect(variables.START_LOOKBACK_HOURS).toBe('168');
        }
      },
    },
    'CollectorOptions.pageSize': {
      says: 'min(1000, collector.maxEventsPerRun)',
      holds: () => {
        expect(environments(d()).map((v) => [v.MAX_EVENTS_PER_RUN, v.PAGE_SIZE])[0]).toEqual([
          '600000',
          '1000',
        ]);
        // Given maxEventsPerRun: 500.
        expect(environments(g()).map((v) => v.PAGE_SIZE)).toEqual(['500', '500']);
      },
    },
    'CollectorOptions.firehoseQuotaMiBPerSecond': {
      says: "the region's default (5 in us-east-1, us-west-2, eu-west-1, else 1)",
      holds: () => {
        // Unset: the collector takes its region's quota when it runs (collector-runtime.ts).
        for (const variables of environments(d()))
          expect(variables.FIREHOSE_QUOTA_MIB_PER_SECOND).toBeUndefined();
        for (const region of ['us-east-1', 'us-west-2', 'eu-west-1'])
          expect(defaultFirehoseQuotaMiB(region)).toBe(5);
        for (const region of ['eu-central-1', 'ap-southeast-2', 'us-east-2', undefined])
          expect(defaultFirehoseQuotaMiB(region)).toBe(1);
      },
    },
    'CollectorOptions.functionProps': group('the defaults of each option'),
    'CollectorOptions.entry': {
      says: 'functions/collector.ts of this package',
      holds: explicitDefaultsSynthesizeTheDefaultTemplate,
    },
    'TokenOptions.secret': {
      says: 'a new secret holding a placeholder, set after deploy (docs/deploy.md)',
      holds: newPlaceholderSecret,
    },
    'TokenOptions.existingSecretArn': {
      says: '`secret`, or a new secret',
      holds: () => {
        theGivenSecret();
        newPlaceholderSecret();
      },
    },
    'TokenOptions.encryptionKey': {
      says: '`secret.encryptionKey`; none (the AWS managed key) without it',
      holds: () => {
        expect(given().pipeline.tokenSecretKey).toBe(given().secretKey);
        const decrypt = tokenStatements(g()).filter((s) => s.Sid === 'DecryptTokenViaSecretsManager');
        expect(decrypt.map((s) => s.Resource)).toEqual([SECRET_KEY_ARN, SECRET_KEY_ARN]);
        noSecretKey();
      },
    },
    'TokenOptions.existingSecretKmsKeyArn': {
      says: 'the key `encryptionKey` gives',
      holds: () => {
        expect(given().pipeline.node.tryFindChild('TokenSecretKmsKey')).toBeUndefined();
        expect(given().pipeline.tokenSecretKey).toBe(given().secretKey);
      },
    },
    'TokenOptions.keyAdminArns': {
      says: 'the new secret uses the AWS managed key',
      holds: () => {
        noSecretKey();
        expect(defaults().pipeline.node.tryFindChild('TokenSecretKey')).toBeUndefined();
        // The one key is the alarm topic's.
        expect(resources(d(), 'AWS::KMS::Key').map((k) => k.Properties.Description)).toEqual([
          'Encrypts the 1Password events alarm topic',
        ]);
      },
    },
    'StorageOptions.bucket': {
      says: 'a new bucket: versioned, SSE-S3, public access blocked, TLS only, access logged',
      holds: () => {
        newEventsBucket();
        const bucket = eventsBucket().Properties;
        expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
        expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ]);
        expect(bucket.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        expect(bucket.LoggingConfiguration.DestinationBucketName).toEqual({
          Ref: logicalId(defaults().stack, defaults().pipeline.accessLogsBucket),
        });
        const id = logicalId(defaults().stack, defaults().pipeline.eventsBucket);
        const policy = resources(d(), 'AWS::S3::BucketPolicy').find(
          (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: id }),
        );
        expect(policy?.Properties.PolicyDocument.Statement).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
      },
    },
    'StorageOptions.existingBucketName': {
      says: '`bucket`, or a new bucket',
      holds: () => {
        theGivenBucket();
        newEventsBucket();
      },
    },
    'StorageOptions.objectLockMode': { says: 'no Object Lock', holds: noObjectLock },
    'StorageOptions.objectLockRetentionDays': { says: 'no Object Lock', holds: noObjectLock },
    'StorageOptions.bucketProps': {
      says: 'none: the secure defaults above',
      holds: explicitDefaultsSynthesizeTheDefaultTemplate,
    },
    'StorageOptions.cursorTableProps': group('the defaults of each option'),
    'AlarmOptions.email': {
      says: 'no subscription',
      holds: () => {
        expect(resources(d(), 'AWS::SNS::Subscription')).toEqual([]);
        expect(resources(d(), 'AWS::SNS::Topic')).toHaveLength(1);
      },
    },
    'QueryOptions.glueDatabaseName': {
      says: "from the construct's path, lower case: `<stack>_<path>_<hash>`",
      holds: () => {
        const name = one(d(), 'AWS::Glue::Database').Properties.DatabaseInput.Name;
        expect(name).toMatch(/^defaults_thepipeline_[0-9a-f]{8}$/);
        expect(defaults().pipeline.glueDatabaseName).toBe(name);
      },
    },
    'CursorTableOptions.encryptionKey': {
      says: 'the AWS managed key (aws/dynamodb)',
      holds: () => {
        // SSEEnabled without a key: KMS with the AWS managed key alias/aws/dynamodb (CloudFormation
        // template reference, AWS::DynamoDB::Table SSESpecification,
        // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-dynamodb-table-ssespecification.html).
        expect(one(d(), 'AWS::DynamoDB::Table').Properties.SSESpecification).toEqual({ SSEEnabled: true });
      },
    },
    'CollectorFunctionOptions.timeout': {
      says: "the schedule's interval minus 10 s, at most 900 s; 50 s for `rate(1 minute)` and for cron",
      holds: () => {
        expect(collectorFns(d()).map((f) => f.Properties.Timeout)).toEqual([50, 50, 50]);
        // Given schedule: rate(5 minutes).
        expect(collectorFns(g()).map((f) => f.Properties.Timeout)).toEqual([290, 290]);
        // What the construct derives the timeout with, at the bound and for cron.
        expect(runTimeoutSecondsFor('rate(1 hour)')).toBe(900);
        expect(runTimeoutSecondsFor('cron(0/5 * * * ? *)')).toBe(50);
      },
    },
    'CollectorFunctionOptions.reservedConcurrentExecutions': {
      says: 'none (the DynamoDB lease fences overlapping runs)',
      holds: () => {
        for (const f of collectorFns(d())) expect(f.Properties.ReservedConcurrentExecutions).toBeUndefined();
      },
    },
    'CollectorFunctionOptions.environmentEncryption': {
      says: 'the AWS managed key (aws/lambda)',
      holds: () => {
        for (const f of collectorFns(d())) expect(f.Properties.KmsKeyArn).toBeUndefined();
      },
    },
    'CollectorFunctionOptions.vpc': {
      says: 'no VPC',
      holds: () => {
        for (const f of collectorFns(d())) expect(f.Properties.VpcConfig).toBeUndefined();
      },
    },
    'CollectorFunctionOptions.vpcSubnets': {
      says: "the VPC's private subnets",
      holds: () => {
        const subnets = collectorFns(g()).map((f) => f.Properties.VpcConfig.SubnetIds);
        expect(subnets).toEqual([PRIVATE_SUBNETS, PRIVATE_SUBNETS]);
      },
    },
    'CollectorFunctionOptions.securityGroups': {
      says: 'one created per function, all outbound traffic allowed',
      holds: () => {
        const groups = collectorFns(g()).map((f) => f.Properties.VpcConfig.SecurityGroupIds);
        expect(groups.map((ids) => ids.length)).toEqual([1, 1]);
        const ids = groups.map((ids) => ids[0]['Fn::GetAtt'][0]);
        expect(new Set(ids).size).toBe(2);
        const all = g().toJSON().Resources;
        for (const id of ids) {
          expect(all[id].Type).toBe('AWS::EC2::SecurityGroup');
          expect(all[id].Properties.SecurityGroupEgress).toEqual([
            { CidrIp: '0.0.0.0/0', Description: 'Allow all outbound traffic by default', IpProtocol: '-1' },
          ]);
        }
      },
    },
    'DetectionsProps.eventBus': { says: "the account's default bus", holds: () => defaultBus(d()) },
    'DetectionsProps.notificationTopic': {
      says: "the pipeline's alarm topic",
      holds: () => alarmTopicNotified(defaults().stack, defaults().pipeline, d()),
    },
    'DetectionsProps.settings': group('DEFAULT_DETECTION_SETTINGS', defaultDetectionSettings),
    'DetectionSettingsProps.watchlists': group('empty watchlists', () => {
      const { vaults, groups, items, itemTitles } = settingsAsRun().watchlists;
      expect([vaults, groups, items, itemTitles]).toEqual([[], [], [], []]);
    }),
    'DetectionSettingsProps.clientAllowList': {
      says: 'the 1Password apps (KNOWN_1PASSWORD_APPS)',
      holds: () => {
        expect(KNOWN_1PASSWORD_APPS.length).toBeGreaterThan(0);
        expect(settingsAsRun().clientAllowList).toEqual(KNOWN_1PASSWORD_APPS);
      },
    },
    'DetectionSettingsProps.thresholds': group('the defaults of each', () => {
      expect(settingsAsRun().thresholds).toEqual(DEFAULT_DETECTION_SETTINGS.thresholds);
    }),
    'OnePasswordEventsStackProps.pipeline': group(
      "the construct's defaults, with its outputs under their bare names (pipelineId '') and a Glue " +
        'database named after the stack (onepassword_events, or onepassword_events_<stack name>)',
      () => {
        const { stack, template } = appStack();
        expect(stack.pipeline.pipelineId).toBe('');
        expect(Object.keys(template.toJSON().Outputs)).toContain('CursorTableName');
        expect(stack.pipeline.glueDatabaseName).toBe('onepassword_events_app_stack');
        expect(stack.pipeline.eventTypes).toEqual([...EVENT_TYPES]);
      },
      explicitStackPropsSynthesizeTheDefaultStack,
    ),
    'OnePasswordEventsStackProps.alerts': group(
      'the default bus and the alarm topic',
      () => {
        defaultBus(appStack().template);
        alarmTopicNotified(appStack().stack, appStack().stack.pipeline, appStack().template);
      },
      explicitStackPropsSynthesizeTheDefaultStack,
    ),
    'AlertTargetNames.eventBusName': {
      says: "the account's default bus",
      holds: () => {
        expect(appStack().stack.node.tryFindChild('AlertBus')).toBeUndefined();
        defaultBus(appStack().template);
      },
    },
    'AlertTargetNames.topicArn': {
      says: "the stack's alarm topic",
      holds: () => {
        const { stack, template } = appStack();
        expect(stack.node.tryFindChild('AlertTopic')).toBeUndefined();
        alarmTopicNotified(stack, stack.pipeline, template);
      },
    },
  };

  const inWords = properties.flatMap((p) => {
    const says = proseDefault(p.doc);
    return says === undefined ? [] : [{ name: p.where.split(' ')[1] as string, says, group: groupType(p) }];
  });

  it('has a claim for each prop whose default is written in words, and no claim without a prop', () => {
    expect(inWords.length).toBeGreaterThan(40);
    expect(inWords.map((p) => p.name).sort()).toEqual(Object.keys(CLAIMS).sort());
  });

  it('checks each group of props as a group: given empty, it synthesizes the default template', () => {
    const groups = inWords.filter((p) => p.group !== undefined).map((p) => p.name);
    expect(groups).toContain('OnePasswordEventsPipelineProps.storage');
    expect(groups.filter((name) => CLAIMS[name]?.group !== true)).toEqual([]);
    // The explicit props hold every group, empty: none is left out of that template.
    const explicitGroups = JSON.stringify(explicitStackProps());
    for (const p of inWords.filter((p) => p.group !== undefined)) {
      expect(explicitGroups).toContain(`"${p.name.split('.')[1]}":{`);
    }
  });

  it.each(inWords.map((p) => [p.name, p.says] as const))('%s: @default - %s', (name, says) => {
    const claim = CLAIMS[name];
    expect(claim?.says, 'the words the check was written for').toBe(says);
    claim?.holds();
  });
});
