import { Aws } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  LOOKUP_KINDS,
  LOOKUP_SPECS,
  type LookupKind,
  lookupPrefixFor,
} from '../../shared/contracts/lookup-schema';
import { toGlueType } from '../../shared/contracts/table-schema';

export interface LookupTablesProps {
  readonly bucket: s3.IBucket;
  readonly glueDatabase: glue.CfnDatabase;
  readonly glueDatabaseName: string;
}

/**
 * One Glue table per lookup (shared/contracts/lookup-schema.ts) over lookups/<kind>/ in the events bucket,
 * filled by `op-events lookups load KIND FILE --stack NAME`. Until a lookup is loaded its table is
 * empty and the views show uuids only. The rows are written by our own CLI with every column as
 * text, so the Hive JSON SerDe (strict, deterministic) reads them.
 */
export class LookupTables extends Construct {
  readonly tables: Readonly<Record<LookupKind, glue.CfnTable>>;

  constructor(scope: Construct, id: string, props: LookupTablesProps) {
    super(scope, id);
    const tables = {} as Record<LookupKind, glue.CfnTable>;
    for (const kind of LOOKUP_KINDS) {
      const spec = LOOKUP_SPECS[kind];
      const table = new glue.CfnTable(this, kind, {
        catalogId: Aws.ACCOUNT_ID,
        databaseName: props.glueDatabaseName,
        tableInput: {
          name: spec.table,
          description: `1Password ${kind} from "${spec.cliCommand}" (op-events lookups load ${kind})`,
          tableType: 'EXTERNAL_TABLE',
          parameters: { classification: 'json', compressionType: 'gzip', typeOfData: 'file' },
          storageDescriptor: {
            location: `s3://${props.bucket.bucketName}/${lookupPrefixFor(kind)}`,
            inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
            compressed: true,
            serdeInfo: { serializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe', parameters: {} },
            columns: spec.columns.map((c) => ({
              name: c.name,
              type: toGlueType(c.type),
              ...(c.comment ? { comment: c.comment } : {}),
            })),
          },
        },
      });
      table.addResourceDependency(props.glueDatabase);
      tables[kind] = table;
    }
    this.tables = tables;
  }
}
