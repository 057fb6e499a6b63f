import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { TTL_ATTRIBUTE } from '../../shared/detections/alert-outbox';

/** Partition key of the cursor table (a contract with the collector: string `pk`, no sort key). */
export const CURSOR_TABLE_PARTITION_KEY = 'pk';

/** The choices a user may make of the cursor table (the construct's `CursorTableOptions` has this shape). */
export type CursorTableChoices = Pick<
  dynamodb.TableProps,
  'removalPolicy' | 'deletionProtection' | 'encryptionKey'
> & {
  readonly pointInTimeRecovery?: boolean;
};

/**
 * Cursor table defaults: on-demand (a handful of small writes per minute), point-in-time recovery
 * (the cursor is the only record of how far collection got), an AWS managed KMS key (key use is
 * visible in CloudTrail, no key to manage), RETAIN so that deleting the stack never loses the
 * cursors, and deletion protection so that no one deletes the table by hand either. Time to live on
 * `expires_at`: the alert path's staged alerts and suppression rows expire by themselves (cursor rows
 * never carry it).
 */
export function defaultCursorTableProps(options: CursorTableChoices = {}): dynamodb.TableProps {
  return {
    partitionKey: { name: CURSOR_TABLE_PARTITION_KEY, type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    timeToLiveAttribute: TTL_ATTRIBUTE,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: options.pointInTimeRecovery ?? true },
    ...(options.encryptionKey === undefined
      ? { encryption: dynamodb.TableEncryption.AWS_MANAGED }
      : { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: options.encryptionKey }),
    removalPolicy: options.removalPolicy ?? RemovalPolicy.RETAIN,
    deletionProtection: options.deletionProtection ?? true,
  };
}
