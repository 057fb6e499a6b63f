import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { OnePasswordEventsPipeline } from '../../infra/constructs/onepassword-events-pipeline';
import { cdkJsonContext, NO_BUNDLING } from './helpers';

/**
 * The construct's props as jsii could compile them (jsii user guide, "TypeScript restrictions";
 * jsii specification, "The jsii type system"): plain interfaces whose properties are primitives,
 * lists, enums, classes or other interfaces, with no utility or mapped types (Partial, Pick, Omit,
 * Record, Readonly), and every optional property documenting its default (`@default`); a default
 * written as code is checked against a pipeline synthesized without props.
 */
const PROPS_FILES = [
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

/** The default a doc comment gives as code (`@default 1024`, `@default Duration.seconds(60)`); undefined for `@default - words`. */
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

describe('every default written as code is what the construct does', () => {
  // A pipeline with no props at all: what each default gives.
  const stack = new Stack(new App({ context: { ...cdkJsonContext(), ...NO_BUNDLING } }), 'Defaults');
  const pipeline = new OnePasswordEventsPipeline(stack, 'Pipeline');
  const template = Template.fromStack(stack);
  // biome-ignore lint/suspicious/noExplicitAny: template JSON, read by path below
  type Resource = { Properties: Record<string, any>; DeletionPolicy?: string };
  const one = (type: string, needle = ''): Resource => {
    const found = Object.values(template.findResources(type) as Record<string, Resource>).filter((r) =>
      JSON.stringify(r.Properties).includes(needle),
    );
    if (found.length === 0) throw new Error(`no ${type} with ${needle}`);
    return found[0] as Resource;
  };
  const fn = () => one('AWS::Lambda::Function', '"EVENT_TYPE":"auditevents"').Properties;
  const env = () => fn().Environment.Variables as Record<string, string>;
  const bucket = () => one('AWS::S3::Bucket', 'events-bucket/').Properties;
  const retention = () => bucket().LifecycleConfiguration.Rules[0];
  const table = () => one('AWS::DynamoDB::Table');
  const stream = () => one('AWS::KinesisFirehose::DeliveryStream', 'events/auditevents/').Properties;
  const alarm = (suffix: string) =>
    one('AWS::CloudWatch::Alarm', `"${pipeline.namePrefix}-auditevents-${suffix}"`).Properties;

  /** Where each prop's default shows, in the unit its `@default` is written in. */
  const SHOWN: Record<string, () => unknown> = {
    'CollectorOptions.schedule': () =>
      one('AWS::Scheduler::Schedule', 'auditevents').Properties.ScheduleExpression,
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
      one('AWS::Athena::WorkGroup').Properties.WorkGroupConfiguration.BytesScannedCutoffPerQuery,
    'CollectorFunctionOptions.memorySize': () => fn().MemorySize,
    'CollectorFunctionOptions.architecture': () => fn().Architectures[0],
    // Lambda's own default when the function has no TracingConfig.
    'CollectorFunctionOptions.tracing': () => fn().TracingConfig?.Mode ?? 'Disabled',
    'CursorTableOptions.removalPolicy': () => table().DeletionPolicy?.toLowerCase(),
    'CursorTableOptions.deletionProtection': () => table().Properties.DeletionProtectionEnabled,
    'CursorTableOptions.pointInTimeRecovery': () =>
      table().Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled,
  };
  const written = ['infra/props/pipeline-props.ts', 'infra/props/resource-options.ts']
    .flatMap(exportedInterfaceProperties)
    .flatMap((p) => {
      const code = literalDefault(p.doc);
      return code === undefined ? [] : [{ name: p.where.split(' ')[1] as string, code }];
    });

  it('finds each prop whose default is written as code (function and cursor table options included)', () => {
    expect(written.map((p) => p.name).sort()).toEqual(Object.keys(SHOWN).sort());
  });

  it.each(written.map((p) => [p.name, p.code] as const))('%s: @default %s', (name, code) => {
    expect(SHOWN[name]?.()).toEqual(evaluate(code));
  });
});
