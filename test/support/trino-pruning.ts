import { TrinoSQL } from 'dt-sql-parser';

/**
 * Where a `dt` filter stops on its way down to the tables, read from the Trino text alone (the
 * ANTLR tree of dt-sql-parser's TrinoSQL grammar), with views expanded by name as Trino expands them.
 *
 * Trino's planner moves a filter through each plan node by the rules of its PredicatePushDown
 * optimizer (trinodb/trino, core/trino-main/src/main/java/io/trino/sql/planner/optimizations/
 * PredicatePushDown.java; overview: https://trino.io/docs/current/optimizer/pushdown.html):
 * - a window (visitWindow): only conjuncts that are deterministic functions of the window's
 *   PARTITION BY columns go below it;
 * - an aggregation (visitAggregation): only conjuncts on the grouping keys;
 * - a join (visitJoin): into either side of an inner join, into the preserved side of an outer join
 *   (the left of a LEFT JOIN), never into the side an outer join fills with NULLs;
 * - UNNEST (visitUnnest): conjuncts on the replicated (input) columns;
 * - projections (visitProject): conjuncts on columns passed through unchanged; UNION (visitUnion):
 *   into every branch.
 * A LIMIT stops it. A filter that reaches the scan of a partitioned table is what selects the
 * partitions Athena reads (with partition projection, the `dt` values it generates).
 *
 * The check follows the filtered column from each WHERE that names it, through every SELECT between
 * it and a table, and reports each table it reaches and each node that would stop it.
 */

export interface PruningCatalog {
  /** Tables whose scan a `dt` filter should reach (the raw tables with the `dt` partitions). */
  readonly partitionedTables: ReadonlySet<string>;
  /** Views by name: their Trino SELECT, expanded where a query names them. */
  readonly views: ReadonlyMap<string, string>;
}

export interface PruningReport {
  /** WHERE clauses that filter on the column. */
  readonly filters: number;
  /** Partitioned tables a filter reaches (one entry per path). */
  readonly reached: readonly string[];
  /** Why a filter stops before a table, one entry per stop. */
  readonly stopped: readonly string[];
}

interface Node {
  readonly constructor: { readonly name: string };
  readonly children?: readonly Node[] | null;
  getText(): string;
}

const parser = new TrinoSQL();
const kind = (node: Node) => node.constructor.name.replace(/Context$/, '');
const childrenOf = (node: Node): readonly Node[] => node.children ?? [];
const child = (node: Node, name: string) => childrenOf(node).find((c) => kind(c) === name);
const isToken = (node: Node) => kind(node) === 'TerminalNode';
const unquote = (text: string) => text.replaceAll('"', '').toLowerCase();

/** Nodes of the given kinds under `node`, not looking inside nested queries (another scope). */
function findInScope(node: Node, kinds: ReadonlySet<string>): Node[] {
  const found: Node[] = [];
  const visit = (n: Node) => {
    for (const c of childrenOf(n)) {
      if (kinds.has(kind(c))) found.push(c);
      if (!SCOPES.has(kind(c))) visit(c);
    }
  };
  visit(node);
  return found;
}
const SCOPES = new Set(['SubqueryRelation', 'SubqueryExpression', 'InSubquery', 'Exists', 'Subquery']);

interface ColumnRef {
  readonly qualifier?: string;
  readonly name: string;
}

const WRAPPERS = new Set([
  'Expression',
  'Predicated',
  'ValueExpressionDefault',
  'GroupingTerm',
  'ParenthesizedExpression',
]);
const REFERENCES = new Set(['ColumnReference', 'ColumnRef', 'Dereference']);

/** The column an expression is, when it is nothing but a (qualified) column reference. */
function columnRefOf(node: Node): ColumnRef | undefined {
  let n = node;
  while (WRAPPERS.has(kind(n)) && childrenOf(n).filter((c) => !isToken(c)).length === 1) {
    n = childrenOf(n).find((c) => !isToken(c)) as Node;
  }
  if (!REFERENCES.has(kind(n))) return undefined;
  const parts = unquote(n.getText()).split('.');
  if (parts.length > 2 || parts.some((p) => !/^[a-z_][a-z0-9_]*$/.test(p))) return undefined;
  return parts.length === 2
    ? { qualifier: parts[0], name: parts[1] as string }
    : { name: parts[0] as string };
}

function columnRefsIn(node: Node): ColumnRef[] {
  return findInScope(node, REFERENCES)
    .map(columnRefOf)
    .filter((ref): ref is ColumnRef => ref !== undefined);
}

/** A relation in a FROM clause with its alias and whether an outer join fills it with NULLs. */
interface FromItem {
  readonly alias: string | undefined;
  readonly relation: Node;
  readonly nullable: string | undefined;
}

function fromItems(relation: Node, nullable: string | undefined = undefined): FromItem[] {
  const k = kind(relation);
  if (k === 'JoinRelation') {
    const parts = childrenOf(relation).filter((c) => !isToken(c) && kind(c) !== 'JoinCriteria');
    const [left, ...rest] = parts.filter((c) => kind(c) !== 'JoinType');
    const joinType = unquote(child(relation, 'JoinType')?.getText() ?? '');
    const leftNullable = /^(right|full)/.test(joinType) ? `${joinType} join` : undefined;
    const rightNullable = /^(left|full)/.test(joinType) ? `${joinType} join` : undefined;
    return [
      ...fromItems(left as Node, nullable ?? leftNullable),
      ...rest.flatMap((r) => fromItems(r, nullable ?? rightNullable)),
    ];
  }
  if (k === 'AliasedRelation') {
    const [primary, ...after] = childrenOf(relation).filter((c) => !isToken(c));
    const aliasNode = after.find((c) => kind(c) !== 'ColumnAliases');
    const table = primary && kind(primary) === 'TableName' ? tableNameOf(primary) : undefined;
    return [
      {
        alias: aliasNode ? unquote(aliasNode.getText()) : table,
        relation: primary as Node,
        nullable,
      },
    ];
  }
  return childrenOf(relation)
    .filter((c) => !isToken(c))
    .flatMap((c) => fromItems(c, nullable));
}

const tableNameOf = (node: Node) => unquote(node.getText()).split('.').at(-1) as string;

/** Where the column comes from in one SELECT: an explicit reference, a star, or not at all. */
type Source =
  | { readonly kind: 'column'; readonly ref: ColumnRef }
  | { readonly kind: 'star'; readonly qualifier?: string }
  | { readonly kind: 'computed'; readonly text: string }
  | { readonly kind: 'absent' };

/** The output name of a select item (its alias, else the column it names) and its expression. */
function outputNameOf(item: Node): { name: string | undefined; expression: Node | undefined } {
  // SelectItem: (SelectLiteralColumnName | SelectExpressionColumnName) (AS? identifier)?
  const [inner, alias] = childrenOf(item).filter((c) => !isToken(c));
  const expression = inner ? childrenOf(inner).find((c) => !isToken(c)) : undefined;
  if (alias) return { name: unquote(alias.getText()), expression };
  return { name: expression ? columnRefOf(expression)?.name : undefined, expression };
}

function sourceOf(spec: Node, column: string): Source {
  const items = childrenOf(child(spec, 'SelectList') as Node).filter((c) => kind(c) === 'SelectItem');
  for (const item of items) {
    const inner = childrenOf(item).find((c) => !isToken(c)) as Node;
    if (kind(inner) !== 'SelectLiteralColumnName' && kind(inner) !== 'SelectExpressionColumnName') continue;
    const { name, expression } = outputNameOf(item);
    if (name !== column || !expression) continue;
    const ref = columnRefOf(expression);
    return ref ? { kind: 'column', ref } : { kind: 'computed', text: expression.getText() };
  }
  for (const item of items) {
    const inner = childrenOf(item).find((c) => !isToken(c)) as Node;
    if (kind(inner) === 'SelectAllWithoutTable') return { kind: 'star' };
    if (kind(inner) === 'TableAllColumns') {
      return { kind: 'star', qualifier: unquote(inner.getText().replace(/\.\*$/, '')) };
    }
  }
  return { kind: 'absent' };
}

class Walk {
  readonly reached: string[] = [];
  readonly stopped: string[] = [];
  private readonly ctes = new Map<string, Node>();

  constructor(private readonly catalog: PruningCatalog) {}

  /** Registers every WITH query of a statement (our statements never shadow a name). */
  addCtes(root: Node): void {
    const visit = (n: Node) => {
      if (kind(n) === 'NamedQuery') {
        const name = unquote((childrenOf(n).find((c) => !isToken(c)) as Node).getText());
        this.ctes.set(name, child(n, 'QueryStatement') as Node);
      }
      for (const c of childrenOf(n)) visit(c);
    };
    visit(root);
  }

  /** Follows `column` down from the FROM clause of `spec`, as a filter above that FROM would go. */
  fromClause(spec: Node, ref: ColumnRef, where: string): void {
    const items = childrenOf(spec)
      .filter((c) => kind(c) === 'RelationDefault' || kind(c) === 'JoinRelation')
      .flatMap((r) => fromItems(r));
    const candidates = ref.qualifier
      ? items.filter((i) => i.alias === ref.qualifier)
      : items.filter((i) => this.exposes(i.relation, ref.name));
    if (candidates.length !== 1) {
      this.stopped.push(`${where}: "${ref.name}" comes from ${candidates.length} relations`);
      return;
    }
    const [item] = candidates as [FromItem];
    if (item.nullable) {
      this.stopped.push(`${where}: "${ref.name}" comes from the NULL-filled side of a ${item.nullable}`);
      return;
    }
    this.relation(item.relation, ref.name, `${where} > ${item.alias ?? kind(item.relation)}`);
  }

  private relation(relation: Node, column: string, where: string): void {
    const k = kind(relation);
    if (k === 'TableName') {
      const name = tableNameOf(relation);
      const cte = this.ctes.get(name);
      const view = this.catalog.views.get(name);
      if (cte) this.query(cte, column, `${where} (WITH ${name})`);
      else if (this.catalog.partitionedTables.has(name)) this.reached.push(name);
      else if (view !== undefined) this.query(parse(view), column, `${where} (view ${name})`);
      else this.stopped.push(`${where}: table ${name} has no "${column}" partitions`);
      return;
    }
    const query = firstOfKinds(relation, ['QueryStatement', 'QueryNoWith']);
    if (k === 'ExpressionSourceTable' && query) this.query(query, column, where);
    else this.stopped.push(`${where}: cannot follow "${column}" into ${k}`);
  }

  /** A query (WITH, set operations, ORDER BY, LIMIT) below a filter on `column`. */
  query(node: Node, column: string, where: string): void {
    const k = kind(node);
    if (k === 'Program' || k === 'Statements' || k === 'SingleStatement' || k === 'StatementDefault') {
      this.query(childrenOf(node).find((c) => !isToken(c)) as Node, column, where);
      return;
    }
    if (k === 'RootQuery' || k === 'QueryStatement' || k === 'SubqueryRelation' || k === 'Subquery') {
      this.addCtes(node);
      const next = firstOfKinds(node, ['QueryNoWith']) ?? firstOfKinds(node, ['QueryStatement']);
      if (next) this.query(next, column, where);
      return;
    }
    if (k === 'QueryNoWith') {
      if (childrenOf(node).some((c) => isToken(c) && /^(limit|offset|fetch)$/i.test(c.getText()))) {
        this.stopped.push(`${where}: a LIMIT stops the filter`);
        return;
      }
      for (const spec of specsOf(childrenOf(node)[0] as Node)) this.spec(spec, column, where);
      return;
    }
    this.stopped.push(`${where}: cannot follow "${column}" into ${k}`);
  }

  /** One SELECT that outputs `column` to a filter above it. */
  private spec(spec: Node, column: string, where: string): void {
    if (kind(spec) !== 'QuerySpecification') {
      this.query(spec, column, where);
      return;
    }
    const source = sourceOf(spec, column);
    if (source.kind === 'absent' || source.kind === 'computed') {
      const why = source.kind === 'absent' ? 'is not an output' : `is computed (${source.text})`;
      this.stopped.push(`${where}: "${column}" ${why}`);
      return;
    }
    const name = source.kind === 'column' ? source.ref.name : column;
    const qualifier = source.kind === 'column' ? source.ref.qualifier : source.qualifier;
    for (const window of findInScope(child(spec, 'SelectList') as Node, new Set(['WindowSpecification']))) {
      const partitionBy = child(window, 'PartitionBy');
      const keys = partitionBy ? columnRefsIn(partitionBy).map((r) => r.name) : [];
      if (!keys.includes(name)) {
        this.stopped.push(`${where}: window not partitioned by "${name}" (${window.getText()})`);
      }
    }
    const groupBy = child(spec, 'GroupBy');
    if (groupBy && !groupingKeys(spec, groupBy).includes(name)) {
      this.stopped.push(`${where}: GROUP BY without "${name}"`);
    }
    this.fromClause(spec, qualifier ? { qualifier, name } : { name }, where);
  }

  /** Whether a FROM relation can supply the column (the candidate for an unqualified reference). */
  private exposes(relation: Node, column: string): boolean {
    if (kind(relation) === 'TableName') {
      const name = tableNameOf(relation);
      const cte = this.ctes.get(name);
      if (cte) return queryExposes(cte, column);
      if (this.catalog.partitionedTables.has(name)) return true;
      const view = this.catalog.views.get(name);
      return view !== undefined && queryExposes(parse(view), column);
    }
    const query = firstOfKinds(relation, ['QueryNoWith']);
    return kind(relation) === 'ExpressionSourceTable' && query !== undefined && queryExposes(query, column);
  }
}

function queryExposes(node: Node, column: string): boolean {
  const noWith = kind(node) === 'QueryNoWith' ? node : firstOfKinds(node, ['QueryNoWith']);
  const [spec] = noWith ? specsOf(childrenOf(noWith)[0] as Node) : [];
  return (
    spec !== undefined && kind(spec) === 'QuerySpecification' && sourceOf(spec, column).kind !== 'absent'
  );
}

function groupingKeys(spec: Node, groupBy: Node): string[] {
  const items = childrenOf(child(spec, 'SelectList') as Node).filter((c) => kind(c) === 'SelectItem');
  return findInScope(groupBy, new Set(['GroupingTerm'])).flatMap((term) => {
    const ordinal = Number(term.getText());
    if (Number.isInteger(ordinal) && ordinal > 0) {
      const item = items[ordinal - 1];
      const name = item ? outputNameOf(item).name : undefined;
      return name ? [name] : [];
    }
    const ref = columnRefOf(term);
    return ref ? [ref.name] : [];
  });
}

/** The SELECTs of a query term: one, or each branch of a UNION. */
function specsOf(term: Node): Node[] {
  const k = kind(term);
  if (k === 'QuerySpecification') return [term];
  if (k === 'SetOperation' || k === 'QueryTermDefault' || k === 'QueryPrimaryDefault') {
    return childrenOf(term)
      .filter((c) => !isToken(c) && kind(c) !== 'SetQuantifier')
      .flatMap(specsOf);
  }
  return [term];
}

/** The first descendant (breadth first) of one of the kinds. */
function firstOfKinds(node: Node, kinds: readonly string[]): Node | undefined {
  const queue = [...childrenOf(node)];
  while (queue.length > 0) {
    const n = queue.shift() as Node;
    if (kinds.includes(kind(n))) return n;
    queue.push(...childrenOf(n));
  }
  return undefined;
}

const parsed = new Map<string, Node>();

/** The parse tree of a statement; views are parsed once however often they are expanded. */
function parse(sql: string): Node {
  let tree = parsed.get(sql);
  if (!tree) {
    tree = parser.parse(sql) as unknown as Node;
    parsed.set(sql, tree);
  }
  return tree;
}

/** Follows every filter on `column` in a Trino statement down to the tables (see the module comment). */
export function trinoPruning(sql: string, catalog: PruningCatalog, column = 'dt'): PruningReport {
  const root = parse(sql);
  const walk = new Walk(catalog);
  walk.addCtes(root);
  let filters = 0;
  const visit = (node: Node) => {
    if (kind(node) === 'QuerySpecification') {
      const where = child(node, 'WhereClause');
      const ref = where ? columnRefsIn(where).find((r) => r.name === column) : undefined;
      if (ref) {
        filters += 1;
        walk.fromClause(node, ref, `WHERE ${ref.qualifier ? `${ref.qualifier}.` : ''}${column}`);
      }
    }
    for (const c of childrenOf(node)) visit(c);
  };
  visit(root);
  return { filters, reached: walk.reached, stopped: walk.stopped };
}
