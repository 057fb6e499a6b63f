import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';
import { acknowledgeWildcardResources } from '../compliance/nag';

/** What a query of the pipeline's tables touches. */
export interface QueryTargets {
  readonly workGroupName: string;
  readonly glueDatabaseName: string;
  /** Every Glue table and view of the pipeline's database. */
  readonly tableNames: readonly string[];
  /** The events bucket and the key prefixes its tables read (`events/<type>/`, `lookups/<kind>/`). */
  readonly dataBucket: s3.IBucket;
  readonly dataPrefixes: readonly string[];
  /** Where the workgroup writes query results. */
  readonly resultsBucket: s3.IBucket;
  readonly resultsPrefix: string;
}

/** The exact resources a query of the pipeline's tables touches, as ARNs. */
export interface QueryResourceArns {
  readonly workGroup: string;
  /** The Glue catalog, the database and each of its tables and views, in that order. */
  readonly catalogEntries: string[];
  readonly dataBucket: string;
  /** One per data prefix: the objects under it. */
  readonly dataObjects: string[];
  readonly resultsBucket: string;
  /** The objects under the results prefix. */
  readonly resultObjects: string;
}

/** The ARNs of what a query of `targets` touches, in `scope`'s stack. */
export function queryResourceArns(scope: IConstruct, targets: QueryTargets): QueryResourceArns {
  const stack = Stack.of(scope);
  const database = targets.glueDatabaseName;
  const glue = (resource: string, resourceName?: string) =>
    stack.formatArn({ service: 'glue', resource, resourceName });
  return {
    workGroup: stack.formatArn({
      service: 'athena',
      resource: 'workgroup',
      resourceName: targets.workGroupName,
    }),
    catalogEntries: [
      glue('catalog'),
      glue('database', database),
      ...targets.tableNames.map((table) => glue('table', `${database}/${table}`)),
    ],
    dataBucket: targets.dataBucket.bucketArn,
    dataObjects: targets.dataPrefixes.map((prefix) => targets.dataBucket.arnForObjects(`${prefix}*`)),
    resultsBucket: targets.resultsBucket.bucketArn,
    resultObjects: targets.resultsBucket.arnForObjects(`${targets.resultsPrefix}*`),
  };
}

/**
 * Running a query in the workgroup and reading its results and the saved queries (Athena User Guide,
 * "Example workgroup policies", running queries in a specified workgroup).
 */
const ATHENA_ACTIONS = [
  'athena:StartQueryExecution',
  'athena:StopQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:GetWorkGroup',
  'athena:ListNamedQueries',
  'athena:GetNamedQuery',
  'athena:BatchGetNamedQuery',
];

/**
 * Reading table definitions: Athena asks Glue for them as the caller, and a table's permission needs
 * its database and the catalog in the same statement (Athena User Guide, "Configure access to
 * databases and tables in the AWS Glue Data Catalog"). The tables use partition projection, so
 * Athena reads no partitions from Glue.
 */
const GLUE_ACTIONS = ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables'];

/**
 * The query results location: Athena writes results as the caller, in multipart uploads for large
 * ones (the results statement of the AWS managed policy AmazonAthenaFullAccess, narrowed to one prefix).
 */
const RESULTS_BUCKET_ACTIONS = ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'];
const RESULTS_OBJECT_ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
];

/**
 * Grants `grantee` what a query of the pipeline's tables and views needs, on exactly the pipeline's
 * resources: the workgroup, the Glue catalog entries, read access to the objects the tables read,
 * and the results location. Object wildcards stay within one prefix each; the grantee's cdk-nag
 * finding for each is acknowledged with that reason.
 */
export function grantQuery(scope: IConstruct, grantee: iam.IGrantable, targets: QueryTargets): iam.Grant {
  const arns = queryResourceArns(scope, targets);
  const { dataObjects, resultObjects } = arns;
  const on = (actions: string[], resourceArns: string[]) =>
    iam.Grant.addToPrincipal({ grantee, actions, resourceArns });
  const grants = [
    on(ATHENA_ACTIONS, [arns.workGroup]),
    on(GLUE_ACTIONS, arns.catalogEntries),
    on(['s3:GetBucketLocation', 's3:ListBucket'], [arns.dataBucket]),
    on(['s3:GetObject'], dataObjects),
    on(RESULTS_BUCKET_ACTIONS, [arns.resultsBucket]),
    on(RESULTS_OBJECT_ACTIONS, [resultObjects]),
  ];
  const key = targets.dataBucket.encryptionKey;
  if (key) grants.push(key.grantDecrypt(grantee));
  if (Construct.isConstruct(grantee)) {
    acknowledgeWildcardResources(grantee, [
      ...dataObjects.map((arn, i) => ({
        arn,
        reason:
          `Athena reads every object under ${targets.dataPrefixes[i]}, ` +
          "which holds one table's data only.",
      })),
      {
        arn: resultObjects,
        reason:
          "Athena names each query's result objects itself, " +
          `under ${targets.resultsPrefix} of the results bucket.`,
      },
    ]);
  }
  return grants.reduce((all, grant) => all.combine(grant));
}
