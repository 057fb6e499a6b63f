import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The construct's props as jsii could compile them (jsii user guide, "TypeScript restrictions";
 * jsii specification, "The jsii type system"): plain interfaces whose properties are primitives,
 * lists, enums, classes or other interfaces, with no utility or mapped types (Partial, Pick, Omit,
 * Record, Readonly), and every optional property documenting its default (`@default`).
 */
const PROPS_FILES = [
  'infra/props/pipeline-props.ts',
  'infra/props/resource-options.ts',
  'infra/props/detection-props.ts',
];
const UTILITY_TYPES = /\b(Partial|Required|Pick|Omit|Record|Readonly|ReadonlyArray)\s*</;

interface Property {
  readonly where: string;
  readonly type: string;
  readonly optional: boolean;
  readonly doc: string;
}

function exportedInterfaceProperties(path: string): Property[] {
  const file = fileURLToPath(new URL(`../../${path}`, import.meta.url));
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const properties: Property[] = [];
  for (const statement of source.statements) {
    if (!ts.isInterfaceDeclaration(statement)) continue;
    if (!statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (statement.name.text === 'ResolvedProps') continue; // internal: the props after defaults
    for (const member of statement.members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      properties.push({
        where: `${path} ${statement.name.text}.${member.name.getText(source)}`,
        type: member.type.getText(source),
        optional: member.questionToken !== undefined,
        doc: ts
          .getJSDocCommentsAndTags(member)
          .map((d) => d.getText(source))
          .join('\n'),
      });
    }
  }
  return properties;
}

const properties = PROPS_FILES.flatMap(exportedInterfaceProperties);

describe('the construct props', () => {
  it('are read from the files that declare them', () => {
    expect(properties.map((p) => p.where)).toContain(
      'infra/props/pipeline-props.ts StorageOptions.cursorTableProps',
    );
    expect(properties.length).toBeGreaterThan(30);
  });

  it('use no utility or mapped types', () => {
    expect(properties.filter((p) => UTILITY_TYPES.test(p.type) || /\{\s*\[/.test(p.type))).toEqual([]);
  });

  it('document the default of every optional property', () => {
    expect(properties.filter((p) => p.optional && !/@default /.test(p.doc)).map((p) => p.where)).toEqual([]);
  });
});
