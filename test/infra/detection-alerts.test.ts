import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { configFromContext } from '../../infra/app/context-settings';
import { OnePasswordEventsPipeline } from '../../infra/constructs/onepassword-events-pipeline';
import type { DetectionsProps } from '../../infra/props/detection-props';
import { ALERT_DETAIL_TYPE, ALERT_SOURCE } from '../../shared/detections/alert-event';
import { cdkJsonContext, NO_BUNDLING } from './helpers';

function pipelineTemplate(detections?: DetectionsProps | ((stack: Stack) => DetectionsProps)): Template {
  const app = new App({ context: { ...cdkJsonContext(), ...NO_BUNDLING } });
  const stack = new Stack(app, 'Alerts', { env: { account: '123456789012', region: 'eu-west-1' } });
  const props = typeof detections === 'function' ? detections(stack) : detections;
  new OnePasswordEventsPipeline(stack, 'Pipeline', {
    eventTypes: ['auditevents'],
    ...(props ? { detections: props } : {}),
  });
  return Template.fromStack(stack);
}

interface RuleProperties {
  readonly EventPattern: unknown;
  readonly EventBusName: unknown;
  readonly Targets: { Arn: unknown; InputTransformer: { InputPathsMap: object; InputTemplate: string } }[];
}

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

function policyStatements(template: Template, sid: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
    (p.Properties.PolicyDocument.Statement as Statement[]).filter((s) => s.Sid === sid),
  );
}

describe('the alert path by default', () => {
  let template: Template;
  beforeAll(() => {
    template = pipelineTemplate();
  });

  it('sends every alert on the default bus to the alarm topic as readable text', () => {
    const rules = template.findResources('AWS::Events::Rule');
    expect(Object.keys(rules)).toHaveLength(1);
    const rule = Object.values(rules)[0]?.Properties as RuleProperties;
    expect(rule.EventPattern).toEqual({ source: [ALERT_SOURCE], 'detail-type': [ALERT_DETAIL_TYPE] });
    expect(rule.EventBusName).toBe('default');
    const target = rule.Targets[0] as RuleProperties['Targets'][number];
    expect(JSON.stringify(target.Arn)).toContain('AlarmTopic');
    expect(target.InputTransformer.InputPathsMap).toMatchObject({
      'detail-title': '$.detail.title',
      'detail-severity': '$.detail.severity',
      'detail-query': '$.detail.query',
    });
    expect(target.InputTransformer.InputTemplate).toContain(
      '1Password detection: <detail-title> (<detail-severity>)',
    );
  });

  it('lets EventBridge use the alarm topic and its key, for this account only', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'EventBridgeAlertNotifications',
            Principal: { Service: 'events.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish' }),
        ]),
      },
    });
  });

  it('gives the collector the bus in its environment, PutEvents on that bus only, and only the alert rows', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ALERT_EVENT_BUS: 'default' }) },
    });
    const [publish] = policyStatements(template, 'PublishAlerts');
    expect(publish).toMatchObject({
      Action: 'events:PutEvents',
      Resource: 'arn:aws:events:eu-west-1:123456789012:event-bus/default',
    });
    const [rows] = policyStatements(template, 'AlertRowsOnly');
    expect(rows?.Action).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem']);
    expect(rows?.Condition).toEqual({
      'ForAllValues:StringLike': {
        'dynamodb:LeadingKeys': ['alerts#outbox#auditevents', 'alerts#alert#*', 'alerts#suppress#*'],
      },
    });
  });

  it('expires the alert rows with the table’s time to live', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
    });
  });
});

const WATCHED_VAULT = 'GJV5OUZ6QHCSNQQ3PRTJBEI2CE';

describe('the alert path as configured', () => {
  it('uses the named bus, the given topic and the settings', () => {
    const template = pipelineTemplate((stack) => ({
      eventBus: new events.EventBus(stack, 'SecurityBus', { eventBusName: 'security-alerts' }),
      notificationTopic: new sns.Topic(stack, 'SocTopic', { enforceSSL: true }),
      settings: {
        suppressionMinutes: 15,
        watchlists: { vaults: [WATCHED_VAULT], groups: [], items: [], itemTitles: [] },
      },
    }));
    const rule = Object.values(template.findResources('AWS::Events::Rule'))[0]?.Properties as RuleProperties;
    expect(JSON.stringify(rule.EventBusName)).toContain('SecurityBus');
    expect(JSON.stringify(rule.Targets[0]?.Arn)).toContain('SocTopic');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          DETECTION_SETTINGS: JSON.stringify({
            watchlists: { vaults: [WATCHED_VAULT], groups: [], items: [], itemTitles: [] },
            suppressionMinutes: 15,
          }),
        }),
      },
    });
  });

  it('is gone with enabled: false: no rule, no bus in the environment, no alert permissions', () => {
    const template = pipelineTemplate({ enabled: false });
    template.resourceCountIs('AWS::Events::Rule', 0);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.not(Match.objectLike({ ALERT_EVENT_BUS: Match.anyValue() })) },
    });
    expect(policyStatements(template, 'PublishAlerts')).toEqual([]);
  });
});

describe('detections in the CDK context', () => {
  const read = (context: Record<string, unknown>) => configFromContext((key) => context[key]);

  it('reads detections, the bus and topic by name, and the settings as JSON text or an object', () => {
    const config = read({
      detections: 'true',
      alertEventBusName: 'security-alerts',
      alertTopicArn: 'arn:aws:sns:eu-west-1:123456789012:soc',
      detectionSettings: `{"suppressionMinutes": 5, "watchlists": {"vaults": ["${WATCHED_VAULT}"]}}`,
    });
    expect(config.pipeline.detections).toEqual({
      enabled: true,
      settings: { suppressionMinutes: 5, watchlists: { vaults: [WATCHED_VAULT] } },
    });
    expect(config.alerts).toEqual({
      eventBusName: 'security-alerts',
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:soc',
    });
    expect(read({ detectionSettings: { disabledRules: ['unusual-client'] } }).pipeline.detections).toEqual({
      settings: { disabledRules: ['unusual-client'] },
    });
  });

  it('reads the settings from detectionSettingsFile, checked as the props are', () => {
    const dir = mkdtempSync(join(tmpdir(), 'op-events-detection-settings-'));
    try {
      const file = join(dir, 'detections.json');
      writeFileSync(
        file,
        JSON.stringify({ watchlists: { groups: [WATCHED_VAULT] }, disabledRules: ['unusual-client'] }),
      );
      expect(read({ detectionSettingsFile: file }).pipeline.detections).toEqual({
        settings: { watchlists: { groups: [WATCHED_VAULT] }, disabledRules: ['unusual-client'] },
      });
      writeFileSync(file, JSON.stringify({ watchlists: { groups: ['Administrators'] } }));
      expect(() => read({ detectionSettingsFile: file })).toThrow(
        /Invalid "detectionSettingsFile.watchlists.groups\[0\]": "Administrators" is not a 1Password uuid/,
      );
      expect(() => read({ detectionSettingsFile: join(dir, 'missing.json') })).toThrow(
        /Invalid "detectionSettingsFile": cannot be read/,
      );
      expect(() => read({ detectionSettingsFile: file, detectionSettings: {} })).toThrow(/keep one/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks detectionSettings field by field, naming the key and the field', () => {
    expect(() => read({ detectionSettings: { disabledRules: ['vault-exports'] } })).toThrow(
      /Invalid "detectionSettings.disabledRules\[0\]": "vault-exports" is no rule id/,
    );
    expect(() => read({ detectionSettings: '{"thresholds": {"newIpBaselineDays": 400}}' })).toThrow(
      /Invalid "detectionSettings.thresholds.newIpBaselineDays": must be a whole number of days from 1 to 90/,
    );
  });

  it('names the key of a bad value', () => {
    expect(() => read({ detections: 'maybe' })).toThrow(/detections/);
    expect(() => read({ alertEventBusName: 'a bus' })).toThrow(/alertEventBusName/);
    expect(() => read({ alertTopicArn: 'arn:aws:sqs:eu-west-1:123456789012:q' })).toThrow(/alertTopicArn/);
    expect(() => read({ detectionSettings: '{oops' })).toThrow(/detectionSettings/);
    expect(() => pipelineTemplate({ settings: { suppressionMinutes: -1 } })).toThrow(/suppressionMinutes/);
    expect(() => pipelineTemplate({ settings: { thresholds: { signInFailures: 0 } } })).toThrow(
      /thresholds\.signInFailures/,
    );
    expect(() => pipelineTemplate({ settings: { supressionMinutes: 5 } as object })).toThrow(
      /detections\.settings\.supressionMinutes/,
    );
  });
});

describe('the scheduled window rules', () => {
  let template: Template;
  beforeAll(() => {
    template = pipelineTemplate({ scheduleMinutes: 30 });
  });

  const statement = (sid: string) => {
    const role = Object.values(template.findResources('AWS::IAM::Role')).find((r) =>
      JSON.stringify(r.Properties.Description ?? '').includes('scheduled window rules'),
    );
    const policies = (role?.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
    return policies.flatMap((p) => p.PolicyDocument.Statement).find((s) => s.Sid === sid);
  };

  it('runs every scheduleMinutes through EventBridge Scheduler, once per tick', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(30 minutes)',
      Target: Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 } }),
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          PERIOD_MINUTES: '30',
          COLLECTED_TYPES: 'auditevents',
          ALERT_EVENT_BUS: 'default',
          WORK_GROUP: Match.anyValue(),
          GLUE_DATABASE: Match.anyValue(),
        }),
      },
    });
  });

  it('may query in the pipeline’s workgroup only, read its tables and views by name, and write only its results prefix', () => {
    expect(statement('QueriesInTheWorkgroup')?.Action).toEqual([
      'athena:GetQueryExecution',
      'athena:GetQueryResults',
      'athena:StartQueryExecution',
    ]);
    expect(JSON.stringify(statement('QueriesInTheWorkgroup')?.Resource)).toMatch(/:workgroup\//);
    const tables = JSON.stringify(statement('TheTablesAndViewsTheRulesRead')?.Resource);
    expect(tables).toContain('/auditevents_unique');
    expect(tables).not.toMatch(/table\/[^"]*\*/);
    expect(tables).not.toContain('itemusages');
    const objects = JSON.stringify(statement('ReadTheEventObjects')?.Resource);
    expect(objects).toContain('events/auditevents/*');
    expect(objects).not.toContain('itemusages');
    expect(statement('WriteAndReadQueryResults')?.Action).toContain('s3:PutObject');
    expect(JSON.stringify(statement('WriteAndReadQueryResults')?.Resource)).toContain('/results/*');
    expect(statement('PublishAlerts')?.Resource).toBe(
      'arn:aws:events:eu-west-1:123456789012:event-bus/default',
    );
    expect(statement('AlertRowsOnly')?.Condition).toEqual({
      'ForAllValues:StringLike': {
        'dynamodb:LeadingKeys': ['alerts#outbox#scheduled-rules', 'alerts#alert#*', 'alerts#suppress#*'],
      },
    });
  });

  it('has one alarm per cause: failed rules, unpublished alerts, other function errors', () => {
    const suffixes = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .map((a) => JSON.stringify(a.Properties.AlarmName))
      .filter((name) => name.includes('scheduled-rules-'))
      .map((name) =>
        name
          .replace(/.*scheduled-rules-/, '')
          .replace(/"\]*\}*$/, '')
          .replace(/"$/, ''),
      );
    expect(suffixes.sort()).toEqual(['alert-publish-failures', 'function-errors', 'rule-failures']);
  });

  it('refuses a period outside 5..1440 minutes, naming the prop', () => {
    expect(() => pipelineTemplate({ scheduleMinutes: 2 })).toThrow(/detections\.scheduleMinutes/);
  });
});
