import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ALERT_ENV } from '../../shared/detections/alert-config';
import { ALERT_DETAIL_TYPE, ALERT_SOURCE } from '../../shared/detections/alert-event';
import { ALERT_KEY_PREFIX, outboxKeyFor } from '../../shared/detections/alert-outbox';
import type { DetectionSettings } from '../../shared/detections/settings';
import type { EventTypeCollector } from './event-type-collector';
import { allowServiceToPublishWith } from './topic-key-access';

/** Where detections go (the pipeline's `detections` props, resolved). */
export interface DetectionAlertsProps {
  /** The bus alerts are put on. @default - the account's default bus */
  readonly eventBus?: events.IEventBus;
  /** The topic that gets a readable notification of each alert. */
  readonly notificationTopic: sns.ITopic;
  /** The topic's customer-managed key, when the pipeline made it: EventBridge must be allowed to use it. */
  readonly notificationTopicKey?: kms.IKey;
  /** Settings that differ from the defaults (the collectors' DETECTION_SETTINGS). */
  readonly changedSettings?: Partial<DetectionSettings>;
  readonly table: dynamodb.ITable;
}

/**
 * The alert path of a pipeline: the collectors put alerts on an EventBridge bus (their environment
 * and permissions), and a rule on that bus sends each one, as readable text, to an SNS topic. Users
 * add their own rules on the same bus for other destinations (docs/detections.md, "Routing alerts").
 */
export class DetectionAlerts extends Construct {
  readonly eventBus: events.IEventBus;
  /** The rule that turns each alert into an SNS notification. */
  readonly notificationRule: events.Rule;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: DetectionAlertsProps,
  ) {
    super(scope, id);
    this.eventBus = props.eventBus ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.notificationRule = new events.Rule(this, 'NotificationRule', {
      description: '1Password detections: a readable notification of each alert',
      eventBus: this.eventBus,
      eventPattern: ALERT_EVENT_PATTERN,
      targets: [new targets.SnsTopic(props.notificationTopic, { message: NOTIFICATION_TEXT })],
    });
    if (props.notificationTopicKey) allowEventBridgeToUse(props.notificationTopicKey);
  }

  /** Lets a collector publish its alerts: its environment, events:PutEvents on the bus, its alert rows. */
  attachCollector(collector: EventTypeCollector): void {
    collector.function.addEnvironment(ALERT_ENV.eventBus, this.eventBus.eventBusName);
    const settings = this.props.changedSettings;
    if (settings && Object.keys(settings).length > 0) {
      collector.function.addEnvironment(ALERT_ENV.settings, JSON.stringify(settings));
    }
    const policy = new iam.Policy(collector, 'AlertPolicy', {
      roles: [collector.functionRole],
      statements: alertStatements(this.eventBus, this.props.table, collector.type),
    });
    collector.function.node.addDependency(policy);
  }
}

/** What every alert event matches (shared/detections/alert-event.ts). */
export const ALERT_EVENT_PATTERN: events.EventPattern = {
  source: [ALERT_SOURCE],
  detailType: [ALERT_DETAIL_TYPE],
};

const field = (path: string) => events.EventField.fromPath(path);

/** The SNS notification: what a responder reads first, and the query that shows the events. */
const NOTIFICATION_TEXT = events.RuleTargetInput.fromMultilineText(
  [
    `1Password detection: ${field('$.detail.title')} (${field('$.detail.severity')})`,
    `Rule: ${field('$.detail.rule_id')}  Group: ${field('$.detail.group_key')}`,
    `User: ${field('$.detail.user.email')}  IP: ${field('$.detail.ip')}`,
    `Events: ${field('$.detail.event_count')} from ${field('$.detail.first_seen')} to ` +
      `${field('$.detail.last_seen')}`,
    `Account ${field('$.account')}, region ${field('$.region')}, alert ${field('$.detail.alert_id')}`,
    'The events, in Athena (or op-events query):',
    `${field('$.detail.query')}`,
  ].join('\n'),
);

/**
 * The alert calls of a collector or the scheduled rules (shared/detections/alert-outbox.ts,
 * alert-publisher.ts): PutEvents on the one bus, and on the cursor table only the alert rows (the
 * outbox of `source`, an event type or the scheduled rules; staged alerts; suppression rows), by
 * their leading keys.
 */
export function alertStatements(
  bus: events.IEventBus,
  table: dynamodb.ITable,
  source: string,
): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'PublishAlerts',
      actions: ['events:PutEvents'],
      resources: [bus.eventBusArn],
    }),
    new iam.PolicyStatement({
      sid: 'AlertRowsOnly',
      actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
      resources: [table.tableArn],
      conditions: {
        'ForAllValues:StringLike': {
          'dynamodb:LeadingKeys': [
            outboxKeyFor(source),
            `${ALERT_KEY_PREFIX}alert#*`,
            `${ALERT_KEY_PREFIX}suppress#*`,
          ],
        },
      },
    }),
  ];
}

/**
 * EventBridge publishes to an encrypted topic only when the key lets it ("Amazon SNS topic
 * permissions", EventBridge User Guide: kms:Decrypt and kms:GenerateDataKey for events.amazonaws.com).
 * Limited to this account's events; naming the rule would make the key depend on it, and the rule
 * depends on the topic, which depends on the key.
 */
function allowEventBridgeToUse(key: kms.IKey): void {
  allowServiceToPublishWith(key, 'EventBridgeAlertNotifications', 'events.amazonaws.com');
}
