import { TrinoSQL } from 'dt-sql-parser';
import { TRINO_FUNCTIONS } from './functions';

/**
 * Trino SQL (Athena engine 3) rewritten as DuckDB SQL with Trino's semantics, so the Athena text of
 * every deployed statement can run in the tests. The statement is parsed with Trino's grammar
 * (dt-sql-parser's TrinoSQL) and written back node by node: constructs whose meaning is the same in
 * both engines are copied, the others rewritten (functions: functions.ts), and anything else is
 * refused with an error naming it, so a construct nobody mapped and tested never passes unnoticed.
 */

interface ParseNode {
  readonly constructor: { readonly name: string };
  readonly children?: readonly ParseNode[] | null;
  getText(): string;
}

/** Grammar rules whose text means the same in both engines: their tokens are copied. */
const SAME_IN_BOTH = new Set([
  'ProgramContext',
  'StatementsContext',
  'SingleStatementContext',
  'StatementDefaultContext',
  'RootQueryContext',
  'QueryStatementContext',
  'QueryNoWithContext',
  'QueryTermDefaultContext',
  'QueryPrimaryDefaultContext',
  'QuerySpecificationContext',
  'SelectListContext',
  'SelectItemContext',
  'SelectExpressionColumnNameContext',
  'SelectLiteralColumnNameContext',
  'TableAllColumnsContext',
  'SelectAllWithoutTableContext',
  'ExpressionContext',
  'PredicatedContext',
  'ValueExpressionDefaultContext',
  'ColumnRefContext',
  'ColumnReferenceContext',
  'ColumnNameContext',
  'QualifiedNameContext',
  'UnquotedIdentifierContext',
  'QuotedIdentifierContext',
  'NonReservedContext',
  'AndContext',
  'OrContext',
  'LogicalNotContext',
  'ComparisonContext',
  'ComparisonOperatorContext',
  'InListContext',
  'NullPredicateContext',
  'ParenthesizedExpressionContext',
  'StringLiteralContext',
  'BasicStringLiteralContext',
  'NumericLiteralContext',
  'IntegerLiteralContext',
  // A literal with a point is a DECIMAL in both.
  'DecimalLiteralContext',
  'BooleanLiteralContext',
  'BooleanValueContext',
  'NullLiteralContext',
  // CASE: both forms, and a simple CASE on NULL takes ELSE in both (NULL equals nothing).
  'SearchedCaseContext',
  'SimpleCaseContext',
  'WhenClauseContext',
  'ArrayConstructorContext',
  'RowConstructorContext',
  'JoinRelationContext',
  'JoinTypeContext',
  'JoinCriteriaContext',
  'JoinColumnEqualityContext',
  'JoinColumnReferenceContext',
  'RelationDefaultContext',
  'SampledRelationContext',
  'TableNameContext',
  'TableOrViewNameContext',
  'TableRefContext',
  'SubqueryRelationContext',
  // VALUES (a, b), (c, d): rows of a table in both.
  'InlineTableContext',
  'ExpressionSourceTableContext',
  'ColumnAliasesContext',
  'WhereClauseContext',
  'GroupByContext',
  'HavingClauseContext',
  'SingleGroupingSetContext',
  'GroupingSetContext',
  'GroupingTermContext',
  'SetQuantifierContext',
  'WithContext',
  'NamedQueryContext',
  'LimitRowCountContext',
  'RowCountContext',
  'OverContext',
  'WindowSpecificationContext',
  'PartitionByContext',
]);

/** Tokens that only some rules may carry: refused where a copied rule holds one of them. */
const REFUSED_TOKENS = new Set([
  '/',
  '%',
  '||',
  'FETCH',
  'OFFSET',
  'TABLESAMPLE',
  'ROLLUP',
  'CUBE',
  'GROUPING',
]);

const parser = new TrinoSQL();

export class UntranslatedTrino extends Error {}

const refuse = (what: string, node: ParseNode): never => {
  throw new UntranslatedTrino(`no DuckDB translation for ${what}: ${node.getText().slice(0, 120)}`);
};

const isRule = (node: ParseNode, name: string) => node.constructor.name === name;
const isToken = (node: ParseNode) => !node.children;
const kids = (node: ParseNode) => node.children ?? [];

/** The DuckDB text of one Trino statement (a query). */
export function translateTrino(sql: string): string {
  const errors = parser.validate(sql);
  if (errors.length > 0) throw new UntranslatedTrino(`not Trino SQL: ${errors[0]?.message}`);
  return emit(parser.parse(sql) as unknown as ParseNode)
    .replace(/\s+/g, ' ')
    .trim();
}

function emit(node: ParseNode): string {
  if (isToken(node)) {
    const text = node.getText();
    if (text === '<EOF>') return '';
    if (REFUSED_TOKENS.has(text.toUpperCase())) refuse(`the token ${text}`, node);
    return text;
  }
  const rule = node.constructor.name;
  const handler = HANDLERS[rule];
  if (handler) return handler(node);
  if (SAME_IN_BOTH.has(rule)) return kids(node).map(emit).join(' ');
  return refuse(rule.replace(/Context$/, ''), node);
}

const HANDLERS: Readonly<Record<string, (node: ParseNode) => string>> = {
  FunctionCallContext: functionCall,
  CastContext: cast,
  AtTimeZoneContext: atTimeZone,
  ArithmeticBinaryContext: arithmetic,
  CurrentDateContext: () => 'current_date',
  LambdaContext: lambda,
  AliasedRelationContext: aliasedRelation,
  SortItemContext: sortItem,
  SetOperationContext: setOperation,
  // Pattern recognition (MATCH_RECOGNIZE) is a wrapper of every relation; only the plain one is known.
  PatternRecognitionContext: (node) =>
    kids(node).length === 1 ? emit(kids(node)[0] as ParseNode) : refuse('MATCH_RECOGNIZE', node),
};

function functionCall(node: ParseNode): string {
  const [nameNode, ...rest] = kids(node);
  const name = (nameNode as ParseNode).getText().toLowerCase();
  const fn = TRINO_FUNCTIONS[name];
  if (!fn) return refuse(`the function ${name}`, node);
  const args: string[] = [];
  let distinct = false;
  let star = false;
  let over: ParseNode | undefined;
  for (const child of rest) {
    if (isRule(child, 'ExpressionContext')) args.push(emit(child));
    else if (isRule(child, 'SetQuantifierContext')) distinct = child.getText().toUpperCase() === 'DISTINCT';
    else if (isRule(child, 'OverContext')) over = child;
    else if (isToken(child) && child.getText() === '*') star = true;
    else if (!(isToken(child) && ['(', ')', ','].includes(child.getText()))) {
      refuse(`${child.constructor.name.replace(/Context$/, '')} in a call of ${name}`, node);
    }
  }
  if (over && fn.kind !== 'window') refuse(`${name} as a window function`, node);
  if (!over && fn.kind === 'window') refuse(`${name} without OVER`, node);
  if ((distinct || star) && name !== 'count') refuse(`DISTINCT or * in ${name}`, node);
  if (distinct) return `count(DISTINCT ${args.join(', ')})`;
  if (star) return 'count(*)';
  const call = fn.render(args);
  return over ? `${call} ${emit(over)}` : call;
}

/** A Trino type as DuckDB spells it; only the types the views use. */
function duckType(node: ParseNode): string {
  const rule = node.constructor.name;
  const text = node.getText().toLowerCase();
  if (rule === 'GenericTypeContext') {
    const simple: Record<string, string> = {
      varchar: 'VARCHAR',
      bigint: 'BIGINT',
      integer: 'INTEGER',
      int: 'INTEGER',
      double: 'DOUBLE',
      boolean: 'BOOLEAN',
    };
    if (simple[text]) return simple[text];
    const [head, ...params] = kids(node);
    if (head?.getText().toLowerCase() === 'array') {
      const element = params.find((p) => isRule(p, 'TypeParameterContext'));
      const elementType = element ? kids(element)[0] : undefined;
      if (elementType) return `${duckType(elementType)}[]`;
    }
    return refuse(`the type ${text}`, node);
  }
  // timestamp(3) is the only datetime type the views declare; with a zone it would be another type.
  if (rule === 'DateTimeTypeContext' && text === 'timestamp(3)') return 'TIMESTAMP';
  if (rule === 'RowTypeContext') {
    const fields = kids(node)
      .filter((k) => isRule(k, 'RowFieldContext'))
      .map((field) => {
        const [fieldName, fieldType] = kids(field);
        if (!fieldName || !fieldType || kids(field).length !== 2) return refuse('a row field', field);
        return `${emit(fieldName)} ${duckType(fieldType)}`;
      });
    return `STRUCT(${fields.join(', ')})`;
  }
  return refuse(`the type ${text}`, node);
}

/** CAST and TRY_CAST; a cast that fails is an error, TRY_CAST gives NULL, in both engines. */
function cast(node: ParseNode): string {
  const [keyword, , value, , type] = kids(node);
  const word = keyword?.getText().toUpperCase();
  if ((word !== 'CAST' && word !== 'TRY_CAST') || !value || !type || kids(node).length !== 6) {
    return refuse('this cast', node);
  }
  const target = duckType(type);
  // DuckDB rounds text such as '2.5' to an integer; Trino accepts only a whole number there.
  if (target === 'BIGINT' || target === 'INTEGER') {
    return `trino_${word.toLowerCase()}_${target.toLowerCase()}(${emit(value)})`;
  }
  return `${word}(${emit(value)} AS ${target})`;
}

/**
 * `x AT TIME ZONE 'UTC'`: the same instant in UTC. With Trino's timestamp with time zone held as
 * DuckDB's TIMESTAMPTZ in a UTC session, that is a cast to TIMESTAMPTZ (a timestamp without zone is
 * read in the session zone, UTC, as Trino reads it).
 */
function atTimeZone(node: ParseNode): string {
  const [value, ...rest] = kids(node);
  if (!value || rest.map((k) => k.getText().toUpperCase()).join('') !== "ATTIMEZONE'UTC'")
    return refuse("AT TIME ZONE other than 'UTC'", node);
  return `CAST(${emit(value)} AS TIMESTAMPTZ)`;
}

/**
 * + - * on numbers mean the same in both engines. `/` is refused: Trino divides integers as
 * integers, DuckDB gives a double. `current_date - INTERVAL 'n' DAY` is a DATE in Trino and a
 * TIMESTAMP in DuckDB, so it becomes `current_date - n` (a DATE).
 */
function arithmetic(node: ParseNode): string {
  const [left, operator, right] = kids(node);
  const op = operator?.getText();
  if (!left || !right || !op || !['+', '-', '*'].includes(op)) return refuse(`the operator ${op}`, node);
  const interval = right.getText().match(/^INTERVAL'(\d+)'DAY$/i);
  if (interval) {
    if (left.getText().toLowerCase() !== 'current_date' || op === '*') {
      refuse('interval arithmetic other than current_date +/- days', node);
    }
    return `(current_date ${op} ${interval[1]})`;
  }
  if (/INTERVAL/i.test(left.getText()) && !/\(/.test(left.getText())) refuse('interval arithmetic', node);
  return `${emit(left)} ${op} ${emit(right)}`;
}

/** `x -> expr` is DuckDB's `lambda x: expr`. */
function lambda(node: ParseNode): string {
  const parts = kids(node);
  const arrow = parts.findIndex((p) => isToken(p) && p.getText() === '->');
  const params = parts
    .slice(0, arrow)
    .filter((p) => !isToken(p))
    .map(emit);
  const body = parts[arrow + 1];
  if (arrow < 1 || !body) return refuse('this lambda', node);
  return `lambda ${params.join(', ')}: (${emit(body)})`;
}

/**
 * `CROSS JOIN UNNEST(array) AS d (a, b)`: Trino expands an array of rows into one column per field.
 * DuckDB's unnest with max_depth 2 does the same inside a LATERAL subquery.
 */
function aliasedRelation(node: ParseNode): string {
  const [relation, ...alias] = kids(node);
  const source = relation && isRule(relation, 'ExpressionSourceTableContext') ? kids(relation) : [];
  const unnest = source.length === 1 ? source[0] : undefined;
  if (!unnest || isRule(unnest, 'SubqueryRelationContext')) return kids(node).map(emit).join(' ');
  if (!isRule(unnest, 'UnnestContext')) return refuse('a table function', node);
  const [, , array, close, ...more] = kids(unnest);
  if (!array || close?.getText() !== ')' || more.length > 0)
    return refuse('UNNEST of several arrays or WITH ORDINALITY', node);
  const columns = alias.find((a) => isRule(a, 'ColumnAliasesContext'));
  const columnCount = columns ? kids(columns).filter((k) => !isToken(k)).length : 1;
  const depth = columnCount > 1 ? ', max_depth := 2' : '';
  return `LATERAL (SELECT unnest(${emit(array)}${depth})) ${alias.map(emit).join(' ')}`;
}

/** Trino puts NULLs last whatever the direction; said explicitly so DuckDB's setting cannot change it. */
function sortItem(node: ParseNode): string {
  const text = kids(node).map(emit).join(' ');
  return /\bNULLS\s+(FIRST|LAST)\s*$/i.test(text) ? text : `${text} NULLS LAST`;
}

/** UNION ALL only: a bare UNION removes duplicates in both, but nothing deployed uses it. */
function setOperation(node: ParseNode): string {
  const words = kids(node)
    .filter((k) => isToken(k) || isRule(k, 'SetQuantifierContext'))
    .map((k) => k.getText().toUpperCase());
  if (words.join(' ') !== 'UNION ALL') refuse(`the set operation ${words.join(' ')}`, node);
  return kids(node).map(emit).join(' ');
}
