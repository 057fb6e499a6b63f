/**
 * Stateful resources keep their logical ids and physical names: a change to one (a new logical id, a
 * renamed bucket, table, database or Glue table, Object Lock turned on at creation, a retained
 * resource no longer retained) makes CloudFormation replace, rename or delete it in every deployed
 * stack. Such a change fails here until the snapshot is updated together with an entry in
 * UPGRADING.md that says what deployed stacks must do:
 *
 *   STATEFUL_UPGRADE_NOTE=<heading anchor in UPGRADING.md> npx vitest run test/infra/stateful-resources.test.ts
 *
 * New resources alone need no note: `STATEFUL_UPGRADE_NOTE=none` records them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app/app';
import { buildConsumerApp } from '../consumer-app/app';
import { cdkJsonContext, NO_BUNDLING } from './helpers';
import { type StatefulIdentity, statefulDifferences, statefulIdentities } from './stateful-resources';

const SNAPSHOT = fileURLToPath(new URL('./stateful-resources.snapshot.json', import.meta.url));
const UPGRADING = fileURLToPath(new URL('../../UPGRADING.md', import.meta.url));

interface Snapshot {
  readonly about: string;
  /** Anchors of the UPGRADING.md entries that went with each recorded change, oldest first. */
  readonly upgradeNotes: string[];
  readonly stacks: Record<string, Record<string, StatefulIdentity>>;
}

/** GitHub's heading anchors: lower case, spaces to `-`, punctuation dropped. */
function headingAnchors(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) =>
      (m[1] as string)
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

/** The stacks whose stateful resources are guarded: the app's stack and the README's two-pipeline app. */
function currentStacks(): Record<string, Record<string, StatefulIdentity>> {
  const app = buildApp({ context: { ...cdkJsonContext(), ...NO_BUNDLING }, nag: false });
  const consumer = buildConsumerApp({ context: { ...cdkJsonContext(), ...NO_BUNDLING } });
  return {
    [app.stack.stackName]: statefulIdentities(Template.fromStack(app.stack)),
    [consumer.stack.stackName]: statefulIdentities(Template.fromStack(consumer.stack)),
  };
}

const snapshot = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as Snapshot;
const now = currentStacks();
const differences = Object.entries(now).flatMap(([stack, resources]) =>
  statefulDifferences(snapshot.stacks[stack] ?? {}, resources).map((line) => `${stack}: ${line}`),
);

describe('stateful resources (test/infra/stateful-resources.snapshot.json)', () => {
  const note = process.env.STATEFUL_UPGRADE_NOTE;
  const anchors = headingAnchors(readFileSync(UPGRADING, 'utf8'));

  if (note !== undefined) {
    it(`records the current resources with the upgrade note "${note}"`, () => {
      const needsNote = differences.some((line) => !line.endsWith(' is new'));
      if (needsNote) {
        expect(note, 'a replaced, renamed or dropped resource needs an UPGRADING.md entry').not.toBe('none');
        expect(anchors.has(note), `UPGRADING.md has no heading with anchor #${note}`).toBe(true);
      }
      const notes = needsNote ? [...snapshot.upgradeNotes, note] : snapshot.upgradeNotes;
      const updated: Snapshot = { ...snapshot, upgradeNotes: notes, stacks: now };
      writeFileSync(SNAPSHOT, `${JSON.stringify(updated, null, 2)}\n`);
    });
    return;
  }

  it('keeps every logical id, physical name and retention of the snapshot', () => {
    expect(
      differences.filter((line) => !line.endsWith(' is new')),
      'A deployed stack would replace, rename or delete these. Add an UPGRADING.md entry saying what to do, then record them: STATEFUL_UPGRADE_NOTE=<its anchor> npx vitest run test/infra/stateful-resources.test.ts',
    ).toEqual([]);
  });

  it('holds every stateful resource, so that a later rename of a new one is caught too', () => {
    expect(
      differences.filter((line) => line.endsWith(' is new')),
      'New stateful resources need no upgrade note; record them: STATEFUL_UPGRADE_NOTE=none npx vitest run test/infra/stateful-resources.test.ts',
    ).toEqual([]);
  });

  it('every upgrade note the snapshot refers to is a heading of UPGRADING.md', () => {
    for (const anchor of snapshot.upgradeNotes) expect(anchors, anchor).toContain(anchor);
  });

  it('guards the buckets, cursor table, secret, keys and Glue catalog of each stack', () => {
    for (const resources of Object.values(now)) {
      const types = new Set(Object.values(resources).map((r) => r.type));
      expect([...types].sort()).toEqual(
        [
          'AWS::DynamoDB::Table',
          'AWS::Glue::Database',
          'AWS::Glue::Table',
          'AWS::KMS::Key',
          'AWS::S3::Bucket',
          'AWS::SecretsManager::Secret',
        ].sort(),
      );
    }
  });

  it('catches a rename: another stack name gives the app stack another Glue database', () => {
    const second = buildApp({
      context: { ...cdkJsonContext(), ...NO_BUNDLING, stackName: 'OnePasswordEvents' },
      nag: false,
    });
    const renamed = buildApp({
      context: { ...cdkJsonContext(), ...NO_BUNDLING, stackName: 'Second' },
      nag: false,
    });
    const lines = statefulDifferences(
      statefulIdentities(Template.fromStack(second.stack)),
      statefulIdentities(Template.fromStack(renamed.stack)),
    );
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => /AWS::Glue::(Database|Table)\) changed/.test(line))).toBe(true);
    expect(lines.join('\n')).toContain('"Name":"onepassword_events_second"');
  });
});
