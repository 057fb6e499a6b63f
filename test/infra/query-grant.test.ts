import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { OnePasswordEventsPipeline } from '../../infra/constructs/onepassword-events-pipeline';
import { cdkJsonContext, NO_BUNDLING } from './helpers';

const stack = new Stack(new App({ context: { ...cdkJsonContext(), ...NO_BUNDLING } }), 'Lake', {
  env: { account: '123456789012', region: 'eu-west-1' },
});
const pipeline = new OnePasswordEventsPipeline(stack, 'Audit', { eventTypes: ['auditevents'] });
const analysts = new iam.Role(stack, 'Analysts', { assumedBy: new iam.AccountRootPrincipal() });
pipeline.grantQuery(analysts);
const template = Template.fromStack(stack);
const id = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);
const events = { 'Fn::GetAtt': [id(pipeline.eventsBucket), 'Arn'] };
const results = { 'Fn::GetAtt': [id(pipeline.athenaResultsBucket), 'Arn'] };
const under = (bucket: object, prefix: string) => ({ 'Fn::Join': ['', [bucket, `/${prefix}*`]] });
const glue = (resource: string) => `arn:aws:glue:eu-west-1:123456789012:${resource}`;
const database = pipeline.glueDatabaseName;

describe('grantQuery', () => {
  it('grants exactly the statements a query of the pipeline needs, on its own resources', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy.Properties.Roles).includes(id(analysts)),
    );
    expect(policies).toHaveLength(1);
    // Every table and view of the pipeline's database (CDK's minimized policies sort resources).
    const tables = [
      'auditevents',
      'auditevents_drift',
      'auditevents_ecs',
      'auditevents_ocsf',
      'auditevents_raw',
      'auditevents_unique',
      'country_codes',
      'lookup_groups',
      'lookup_items',
      'lookup_users',
      'lookup_vaults',
    ];
    const created = Object.values(template.findResources('AWS::Glue::Table')).map(
      (table) => table.Properties.TableInput.Name as string,
    );
    expect(created.sort()).toEqual(tables);
    expect(policies[0]?.Properties.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'athena:BatchGetNamedQuery',
          'athena:GetNamedQuery',
          'athena:GetQueryExecution',
          'athena:GetQueryResults',
          'athena:GetWorkGroup',
          'athena:ListNamedQueries',
          'athena:StartQueryExecution',
          'athena:StopQueryExecution',
        ],
        Resource: `arn:aws:athena:eu-west-1:123456789012:workgroup/${pipeline.namePrefix}`,
      },
      {
        Effect: 'Allow',
        Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables'],
        Resource: [
          glue('catalog'),
          glue(`database/${database}`),
          ...tables.map((t) => glue(`table/${database}/${t}`)),
        ],
      },
      { Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucket'], Resource: events },
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [
          under(events, 'events/auditevents/'),
          ...['groups', 'items', 'users', 'vaults'].map((kind) => under(events, `lookups/${kind}/`)),
        ],
      },
      {
        Effect: 'Allow',
        Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        Resource: results,
      },
      {
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
        Resource: under(results, 'results/'),
      },
    ]);
  });

  it("names the workgroup and database the pipeline creates, and the workgroup's results location", () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', { Name: pipeline.namePrefix });
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: database } });
    const workGroup = Object.values(template.findResources('AWS::Athena::WorkGroup'))[0];
    expect(
      JSON.stringify(workGroup?.Properties.WorkGroupConfiguration.ResultConfiguration.OutputLocation),
    ).toContain('/results/');
  });

  it("leaves the grantee's policy with no cdk-nag finding: each object wildcard is one prefix, acknowledged", () => {
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  });
});
