import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOOKUP_KINDS, LOOKUP_SPECS, lookupPrefixFor } from '../../shared/contracts/lookup-schema';
import { onlyLogicalId, resource, synthApp } from './helpers';

let template: Template;

beforeAll(() => {
  template = synthApp().template;
});

type TableInput = {
  Name: string;
  StorageDescriptor: {
    Location: { 'Fn::Join': [string, unknown[]] };
    Columns: { Name: string; Type: string }[];
    SerdeInfo: { SerializationLibrary: string };
  };
};

describe('lookup tables in the stack', () => {
  it.each(LOOKUP_KINDS)('%s: a Glue table over lookups/<kind>/ in the events bucket', (kind) => {
    const spec = LOOKUP_SPECS[kind];
    const id = onlyLogicalId(template, 'AWS::Glue::Table', `"Name":"${spec.table}"`);
    const input = (resource(template, id).Properties as { TableInput: TableInput }).TableInput;
    expect(input.Name).toBe(spec.table);
    expect(JSON.stringify(input.StorageDescriptor.Location)).toContain(`/${lookupPrefixFor(kind)}`);
    const eventsBucket = onlyLogicalId(template, 'AWS::S3::Bucket', '"LogFilePrefix":"events-bucket/"');
    expect(JSON.stringify(input.StorageDescriptor.Location)).toContain(eventsBucket);
    expect(input.StorageDescriptor.Columns.map((c) => [c.Name, c.Type])).toEqual(
      spec.columns.map((c) => [c.name, 'string']),
    );
    expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
      'org.apache.hive.hcatalog.data.JsonSerDe',
    );
  });
});
