import { TrinoSQL } from 'dt-sql-parser';

/**
 * Trino's SQL grammar (the ANTLR grammar of dt-sql-parser's TrinoSQL), standing in for Athena
 * engine 3 where we cannot run Athena. It proves syntax only: names of tables, columns and
 * functions are not resolved, so tests check function names separately (trinoFunctionNames).
 */
const parser = new TrinoSQL();

/** Syntax errors of one statement, each with its line and column (empty when it parses). */
export function trinoSyntaxErrors(sql: string): string[] {
  return parser.validate(sql).map((e) => `${e.startLine}:${e.startColumn} ${e.message}`);
}

interface ParseNode {
  readonly constructor: { readonly name: string };
  readonly children?: readonly ParseNode[] | null;
  getText(): string;
}

/** Lower-cased names of the functions the statement calls (casts and special forms excluded). */
export function trinoFunctionNames(sql: string): string[] {
  const names = new Set<string>();
  const visit = (node: ParseNode) => {
    if (node.constructor.name === 'FunctionCallContext') {
      names.add(node.getText().split('(')[0]?.toLowerCase() ?? '');
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(parser.parse(sql) as unknown as ParseNode);
  return [...names].sort();
}
