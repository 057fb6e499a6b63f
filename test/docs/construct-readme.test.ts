import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { mermaidBlocks, parseFlowchart } from '../support/mermaid';

const ROOT = resolve(import.meta.dirname, '../..');
const README = readFileSync(resolve(ROOT, 'infra/constructs/README.md'), 'utf8');
const source = (path: string) =>
  ts.createSourceFile(path, readFileSync(resolve(ROOT, path), 'utf8'), ts.ScriptTarget.ES2022, true);

/** The README's section under a `## ` heading. */
function section(heading: string): string {
  const start = README.indexOf(`## ${heading}`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** Each prop of the construct's props and option groups as a user writes it (`storage.bucket`). */
function propPaths(): string[] {
  const file = source('infra/props/pipeline-props.ts');
  const groups = new Map<string, string>([['OnePasswordEventsPipelineProps', '']]);
  const paths: string[] = [];
  for (const statement of file.statements) {
    if (!ts.isInterfaceDeclaration(statement) || !statement.name.text.endsWith('Props')) continue;
    for (const member of statement.members.filter(ts.isPropertySignature)) {
      const type = member.type?.getText(file) ?? '';
      if (type.endsWith('Options')) groups.set(type, `${member.name.getText(file)}.`);
    }
  }
  for (const statement of file.statements) {
    if (!ts.isInterfaceDeclaration(statement)) continue;
    const prefix = groups.get(statement.name.text);
    if (prefix === undefined) continue;
    for (const member of statement.members.filter(ts.isPropertySignature)) {
      paths.push(`${prefix}${member.name.getText(file)}`);
    }
  }
  return paths;
}

/** The construct class's public members (properties and methods). */
function publicMembers(): string[] {
  const file = source('infra/constructs/onepassword-events-pipeline.ts');
  const members: string[] = [];
  for (const statement of file.statements) {
    if (!ts.isClassDeclaration(statement) || statement.name?.text !== 'OnePasswordEventsPipeline') continue;
    for (const member of statement.members) {
      const hidden = ts
        .getModifiers(member as ts.HasModifiers)
        ?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
      if (hidden || ts.isConstructorDeclaration(member) || !member.name) continue;
      members.push(member.name.getText(file));
    }
  }
  return members;
}

describe('the construct README (infra/constructs/README.md, shipped as dist/CONSTRUCT.md)', () => {
  it('says the construct is TypeScript only, and why', () => {
    expect(README).toMatch(/\*\*TypeScript only\.\*\*/);
    expect(README).toContain('jsii');
  });

  it('has an example, the props, the properties, the defaults and a diagram Mermaid reads', async () => {
    expect(README).toContain("import { OnePasswordEventsPipeline } from 'onepassword-events-to-s3';");
    for (const heading of [
      'Architecture',
      'Pattern construct props',
      'Pattern properties',
      'Default settings',
    ]) {
      section(heading);
    }
    const [diagram] = mermaidBlocks(section('Architecture'));
    expect((await parseFlowchart(diagram as string)).type).toBe('flowchart-v2');
  });

  it('names every prop of every group in the props table', () => {
    const table = section('Pattern construct props');
    const paths = propPaths();
    expect(paths).toContain('storage.bucket');
    expect(paths.length).toBeGreaterThan(40);
    // A row may list siblings after the first: `collector.maxEventsPerRun`, `pageSize`, ...
    const missing = paths.filter((path) => {
      const name = path.split('.').at(-1) as string;
      return !table.includes(`\`${path}\``) && !new RegExp(`\\| \`[^|]*\`${name}\``).test(table);
    });
    expect(missing).toEqual([]);
  });

  it('names every public member of the construct as a property, or as an escape hatch', () => {
    const documented = `${section('Pattern properties')}${README}`;
    const members = publicMembers();
    expect(members).toContain('grantQuery');
    expect(members.filter((member) => !documented.includes(`\`${member}`))).toEqual([]);
  });
});

describe('the public surface', () => {
  it('holds L2 types and interfaces: no public property of the construct or its collectors is an L1 (Cfn*)', () => {
    const l1: string[] = [];
    for (const path of [
      'infra/constructs/onepassword-events-pipeline.ts',
      'infra/constructs/event-type-collector.ts',
    ]) {
      const file = source(path);
      for (const statement of file.statements) {
        if (!ts.isClassDeclaration(statement)) continue;
        for (const member of statement.members) {
          if (!ts.isPropertyDeclaration(member) || !member.type) continue;
          const hidden = ts.getModifiers(member)?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword);
          if (!hidden && /\bCfn[A-Z]/.test(member.type.getText(file)))
            l1.push(`${path} ${member.name.getText(file)}`);
        }
      }
    }
    expect(l1).toEqual([]);
  });
});
