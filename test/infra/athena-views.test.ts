import { App, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import { describe, expect, it } from 'vitest';
import { AthenaViews, readPrestoViewText } from '../../infra/constructs/athena-views';
import { EVENT_TYPES, type EventType } from '../../shared/contracts/event-types';
import { toGlueType, toPrestoType } from '../../shared/contracts/table-schema';
import { ALL_VIEWS } from '../../shared/sql/view-catalog';
import { viewSelect } from '../../shared/sql/views';
import { trinoSyntaxErrors } from '../support/trino-grammar';

/**
 * The views as the deploy creates them: Glue tables of type VIRTUAL_VIEW in the form Athena writes
 * for CREATE VIEW. What Athena will read back is checked here field by field, and the SQL it will
 * run (decoded from the template) is parsed with the Trino grammar.
 */

interface ViewInput {
  Name: string;
  Description: string;
  TableType: string;
  Parameters: Record<string, string>;
  ViewOriginalText: string;
  ViewExpandedText: string;
  PartitionKeys: unknown[];
  StorageDescriptor: { Columns: { Name: string; Type: string; Comment?: string }[] };
}

function synthesize(eventTypes: readonly EventType[], databaseName = 'op_events') {
  const stack = new Stack(new App(), 'Views');
  const database = new glue.CfnDatabase(stack, 'Database', {
    catalogId: stack.account,
    databaseInput: { name: databaseName },
  });
  const tables = Object.fromEntries(
    eventTypes.map((type) => [
      type,
      new glue.CfnTable(stack, `Table-${type}`, {
        catalogId: stack.account,
        databaseName,
        tableInput: { name: `${type}_raw` },
      }),
    ]),
  );
  new AthenaViews(stack, 'Views', { eventTypes, databaseName, glueDatabase: database, tables });
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<
    string,
    { Type: string; DependsOn?: string[]; Properties: { DatabaseName: string; TableInput: ViewInput } }
  >;
  const logicalId = (name: string) =>
    Object.entries(resources).find(([, r]) => r.Properties.TableInput?.Name === name)?.[0];
  const views = Object.values(resources).filter((r) => r.Properties.TableInput?.TableType === 'VIRTUAL_VIEW');
  return { views, logicalId };
}

describe('views created by the deploy', () => {
  const { views, logicalId } = synthesize(EVENT_TYPES);

  it('are one Glue VIRTUAL_VIEW per view definition, in the tables database', () => {
    expect(views.map((v) => v.Properties.TableInput.Name)).toEqual(ALL_VIEWS.map((v) => v.name));
    for (const view of views) {
      expect(view.Properties.DatabaseName).toBe('op_events');
      expect(view.Properties.TableInput).toMatchObject({
        TableType: 'VIRTUAL_VIEW',
        Parameters: { presto_view: 'true', comment: 'Presto View' },
        ViewExpandedText: '/* Presto View */',
        PartitionKeys: [],
      });
    }
  });

  // The SQL is in the view's text, so a changed definition is a changed property CloudFormation updates.
  it.each(ALL_VIEWS)('$name: Athena reads its SQL, catalog, schema and columns', (definition) => {
    const input = views.find((v) => v.Properties.TableInput.Name === definition.name)?.Properties.TableInput;
    if (!input) throw new Error(`no view ${definition.name}`);
    const document = readPrestoViewText(input.ViewOriginalText);
    expect(document).toEqual({
      originalSql: viewSelect(definition).athena,
      catalog: 'awsdatacatalog',
      schema: 'op_events',
      columns: definition.columns.map((c) => ({ name: c.name, type: toPrestoType(c.type) })),
      runAsInvoker: false,
      path: [],
    });
    expect(trinoSyntaxErrors(`CREATE VIEW ${definition.name} AS ${document.originalSql}`)).toEqual([]);
    expect(input.StorageDescriptor.Columns.map((c) => [c.Name, c.Type])).toEqual(
      definition.columns.map((c) => [c.name, toGlueType(c.type)]),
    );
    expect(input.Description).toBe(definition.description);
  });

  it('are created after the database and the tables they read', () => {
    for (const type of EVENT_TYPES) {
      for (const name of [type, `${type}_unique`, `${type}_ecs`]) {
        const view = views.find((v) => v.Properties.TableInput.Name === name);
        expect(view?.DependsOn).toEqual(expect.arrayContaining([logicalId(`${type}_raw`), 'Database']));
      }
    }
  });
});

describe('views of a partial deployment', () => {
  it('only read tables the deployment has', () => {
    const { views } = synthesize(['signinattempts']);
    expect(views.map((v) => v.Properties.TableInput.Name)).toEqual([
      'country_codes',
      'signinattempts',
      'signinattempts_drift',
      'signinattempts_unique',
      'signinattempts_ecs',
      'signinattempts_ocsf',
    ]);
  });

  it('need the database name as a plain string', () => {
    const stack = new Stack(new App(), 'Tokens');
    const database = new glue.CfnDatabase(stack, 'Database', { catalogId: stack.account, databaseInput: {} });
    expect(
      () =>
        new AthenaViews(stack, 'Views', {
          eventTypes: ['signinattempts'],
          databaseName: Token.asString(database.ref),
          glueDatabase: database,
          tables: {},
        }),
    ).toThrow(/plain string/);
  });
});
