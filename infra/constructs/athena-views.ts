import { Aws, Token } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import type { EventType } from '../../shared/contracts/event-types';
import { toGlueType, toPrestoType } from '../../shared/contracts/table-schema';
import { deployedViewsFor } from '../../shared/sql/view-catalog';
import { type ViewDefinition, viewSelect } from '../../shared/sql/views';
import { constructFaults } from './construct-errors';

/** Glue's catalog name as Athena records it in a view. */
export const ATHENA_CATALOG = 'awsdatacatalog';

/** The view document Athena (Trino) stores for a view: Trino's ConnectorViewDefinition as JSON. */
export interface PrestoViewDocument {
  readonly originalSql: string;
  readonly catalog: string;
  readonly schema: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly runAsInvoker: boolean;
  readonly path: readonly unknown[];
}

export function prestoViewDocument(view: ViewDefinition, databaseName: string): PrestoViewDocument {
  return {
    originalSql: viewSelect(view).athena,
    catalog: ATHENA_CATALOG,
    schema: databaseName,
    columns: view.columns.map((c) => ({ name: c.name, type: toPrestoType(c.type) })),
    runAsInvoker: false,
    path: [],
  };
}

const PRESTO_VIEW_PREFIX = '/* Presto View: ';
const PRESTO_VIEW_SUFFIX = ' */';

/** `ViewOriginalText` of an Athena view: the view document, base64-encoded, in a comment. */
export function prestoViewText(document: PrestoViewDocument): string {
  const encoded = Buffer.from(JSON.stringify(document), 'utf8').toString('base64');
  return `${PRESTO_VIEW_PREFIX}${encoded}${PRESTO_VIEW_SUFFIX}`;
}

/** The view document inside a `ViewOriginalText` (the inverse of prestoViewText). */
export function readPrestoViewText(text: string): PrestoViewDocument {
  if (!text.startsWith(PRESTO_VIEW_PREFIX) || !text.endsWith(PRESTO_VIEW_SUFFIX)) {
    throw constructFaults.notAPrestoViewText(text);
  }
  const encoded = text.slice(PRESTO_VIEW_PREFIX.length, -PRESTO_VIEW_SUFFIX.length);
  return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as PrestoViewDocument;
}

export interface AthenaViewsProps {
  readonly eventTypes: readonly EventType[];
  /**
   * Glue database of the tables; the views go in the same one. A plain string (it is encoded into the view).
   */
  readonly databaseName: string;
  readonly glueDatabase: glue.CfnDatabase;
  /** The Glue table of each collected event type (each view is created after the tables it reads). */
  readonly tables: Readonly<Partial<Record<EventType, glue.CfnTable>>>;
}

/**
 * The deployed views of shared/sql/view-catalog.ts as Glue tables of type VIRTUAL_VIEW, in the form Athena
 * itself writes for `CREATE VIEW` (parameter presto_view=true, the view document base64-encoded in
 * ViewOriginalText, the columns in the storage descriptor). CloudFormation creates them with the stack,
 * replaces their text when a definition changes and deletes them with the stack; no function runs at deploy
 * time. Why this and not a custom resource: docs/deploy.md.
 */
export class AthenaViews extends Construct {
  readonly views: readonly { readonly definition: ViewDefinition; readonly table: glue.CfnTable }[];

  constructor(scope: Construct, id: string, props: AthenaViewsProps) {
    super(scope, id);
    if (Token.isUnresolved(props.databaseName)) throw constructFaults.viewDatabaseNameUnresolved();
    this.views = deployedViewsFor(props.eventTypes).map((definition) => {
      const table = new glue.CfnTable(this, definition.name, {
        catalogId: Aws.ACCOUNT_ID,
        databaseName: props.databaseName,
        tableInput: {
          name: definition.name,
          description: definition.description,
          tableType: 'VIRTUAL_VIEW',
          parameters: { presto_view: 'true', comment: 'Presto View' },
          viewOriginalText: prestoViewText(prestoViewDocument(definition, props.databaseName)),
          viewExpandedText: '/* Presto View */',
          partitionKeys: [],
          storageDescriptor: {
            columns: definition.columns.map((c) => ({
              name: c.name,
              type: toGlueType(c.type),
              ...(c.comment ? { comment: c.comment } : {}),
            })),
            serdeInfo: {},
          },
        },
      });
      table.addResourceDependency(props.glueDatabase);
      for (const type of definition.eventTypes) {
        const source = props.tables[type];
        if (source) table.addResourceDependency(source);
      }
      return { definition, table };
    });
  }
}
