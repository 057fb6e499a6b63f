import { Aspects, CfnDeletionPolicy, Duration, type IAspect, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import type { Construct, IConstruct } from 'constructs';
import { STACK_SETTINGS } from '../../shared/contracts/settings';

/**
 * Days a replaced or deleted object version is kept before it expires (the setting `noncurrentVersionDays`).
 */
export const NONCURRENT_VERSION_DAYS = STACK_SETTINGS.noncurrentVersionDays.default;
/** Days the access-log bucket keeps server access logs. */
export const ACCESS_LOG_RETENTION_DAYS = 365;
/** Days Athena query results are kept. */
export const ATHENA_RESULTS_RETENTION_DAYS = 30;

/** Settings every bucket of this construct shares. */
function secureBucketBase(): s3.BucketProps {
  return {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    removalPolicy: RemovalPolicy.RETAIN,
  };
}

/** Object Lock default retention of the events bucket: every new object version is locked this long. */
export interface EventsObjectLock {
  /**
   * GOVERNANCE: users with s3:BypassGovernanceRetention may still delete; COMPLIANCE: nobody may, root
   * included.
   */
  readonly mode: 'GOVERNANCE' | 'COMPLIANCE';
  readonly days: number;
}

export interface EventsBucketOptions {
  /** Days an object stays. */
  readonly retentionDays: number;
  /** Days a replaced or deleted version is kept. @default NONCURRENT_VERSION_DAYS */
  readonly noncurrentVersionDays?: number;
  /** Object Lock default retention. @default - no Object Lock */
  readonly objectLock?: EventsObjectLock;
}

/**
 * The events bucket: SSE-S3 (Firehose and Athena need no key permissions, no KMS request cost),
 * versioned (an overwrite or delete can be undone for `noncurrentVersionDays`), objects expire
 * after `retentionDays`; optionally Object Lock, so that no version can be deleted or overwritten
 * before its retention ends (a lifecycle expiration then only adds a delete marker; the locked
 * version expires once its retention has passed).
 */
export function defaultEventsBucketProps(
  options: EventsBucketOptions,
  accessLogs: s3.IBucket,
): s3.BucketProps {
  const lock = options.objectLock;
  return {
    ...secureBucketBase(),
    versioned: true,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: 'events-bucket/',
    ...(lock === undefined
      ? {}
      : {
          objectLockEnabled: true,
          objectLockDefaultRetention:
            lock.mode === 'COMPLIANCE'
              ? s3.ObjectLockRetention.compliance(Duration.days(lock.days))
              : s3.ObjectLockRetention.governance(Duration.days(lock.days)),
        }),
    lifecycleRules: [
      {
        id: 'retention',
        expiration: Duration.days(options.retentionDays),
        noncurrentVersionExpiration: Duration.days(options.noncurrentVersionDays ?? NONCURRENT_VERSION_DAYS),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
    ],
  };
}

/** Athena query results: short-lived, never versioned. */
export function defaultAthenaResultsBucketProps(accessLogs: s3.IBucket): s3.BucketProps {
  return {
    ...secureBucketBase(),
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: 'athena-results-bucket/',
    lifecycleRules: [
      {
        id: 'results-retention',
        expiration: Duration.days(ATHENA_RESULTS_RETENTION_DAYS),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
    ],
  };
}

/**
 * Makes the buckets under `scope` grant S3 server access log delivery in the target bucket's policy
 * (to the logging.s3.amazonaws.com principal, for the source bucket and account) rather than with
 * the LogDeliveryWrite ACL. A bucket with ObjectOwnership BucketOwnerEnforced has ACLs disabled and
 * must be granted this way; S3 recommends the policy in any case (Amazon S3 User Guide, "Enabling
 * Amazon S3 server access logging", permissions for log delivery). CDK grants it so only under the
 * feature flag set here, which an app from an older `cdk init` or with no cdk.json lacks: there the
 * access-log bucket would fail with "objectOwnership must be set to "ObjectWriter" when accessControl
 * is "LogDeliveryWrite"". Call before adding children (context is set on `scope` only).
 */
export function grantLogDeliveryByBucketPolicy(scope: Construct): void {
  scope.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
}

/**
 * Destination of the other buckets' server access logs (S3 log delivery supports SSE-S3 only):
 * ACLs disabled, log delivery granted by the bucket policy (see grantLogDeliveryByBucketPolicy).
 */
export function defaultAccessLogBucketProps(): s3.BucketProps {
  return {
    ...secureBucketBase(),
    versioned: true,
    lifecycleRules: [
      {
        id: 'access-log-retention',
        expiration: Duration.days(ACCESS_LOG_RETENTION_DAYS),
        noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
    ],
  };
}

/**
 * Keeps the bucket policy of every retained bucket under `scope` when the stack is destroyed. CDK
 * creates a bucket's policy without a removal policy, so `cdk destroy` deleted it and left the
 * retained bucket without its TLS-only rules and without the grant that lets S3 deliver access logs.
 * An aspect, so that a policy created after the bucket (a later grant) and a removal policy changed
 * through the bucket props are both seen.
 */
export function retainPoliciesOfRetainedBuckets(scope: Construct): void {
  Aspects.of(scope).add(new RetainPolicyWithBucket());
}

class RetainPolicyWithBucket implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof s3.Bucket) || node.policy === undefined) return;
    const bucket = node.node.defaultChild as s3.CfnBucket;
    if (bucket.cfnOptions.deletionPolicy === CfnDeletionPolicy.RETAIN) {
      node.policy.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
  }
}
