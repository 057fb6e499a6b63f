import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * What a user may change of the cursor table (dynamodb-defaults.ts); its key is a contract with the
 * collector.
 */
export interface CursorTableOptions {
  /** What deleting the stack does to the table (and its cursors). @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Refuse DeleteTable by anyone, the stack included. @default true */
  readonly deletionProtection?: boolean;
  /** Point-in-time recovery of the cursors. @default true */
  readonly pointInTimeRecovery?: boolean;
  /** A customer-managed key for the table. @default - the AWS managed key (aws/dynamodb) */
  readonly encryptionKey?: kms.IKey;
}

/**
 * What a user may change of each collector function (lambda-defaults.ts); its code, role and environment are
 * the construct's.
 */
export interface CollectorFunctionOptions {
  /**
   * Memory in MB; CPU scales with it (1024 is the smallest size that drains at the request budget:
   * bench/RESULTS.md).
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * At least 10 s (one page, shared/contracts/run-timing.ts); keep it below the schedule's period.
   * @default - the schedule's interval minus 10 s, at most 900 s; 50 s for `rate(1 minute)` and for cron
   */
  readonly timeout?: Duration;
  /** Instruction set. @default lambda.Architecture.ARM_64 */
  readonly architecture?: lambda.Architecture;
  /** Concurrency reserved for each collector. @default - none (the DynamoDB lease fences overlapping runs) */
  readonly reservedConcurrentExecutions?: number;
  /** X-Ray tracing. @default lambda.Tracing.DISABLED */
  readonly tracing?: lambda.Tracing;
  /** Key encrypting the environment at rest. @default - the AWS managed key (aws/lambda) */
  readonly environmentEncryption?: kms.IKey;
  /** VPC to run in (it must reach the 1Password events host and the AWS endpoints). @default - no VPC */
  readonly vpc?: ec2.IVpc;
  /** Subnets in `vpc`. @default - the VPC's private subnets */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** Security groups in `vpc`. @default - one created per function, all outbound traffic allowed */
  readonly securityGroups?: ec2.ISecurityGroup[];
}
