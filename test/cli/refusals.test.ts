import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSnapshot, removeTempDirs, runCli, tempDir } from './cli-harness';

afterAll(() => removeTempDirs());

/**
 * Refusals of a command line that no other test reaches as a user would: each is bad input (exit 2)
 * with its whole message, and changes nothing in the state folder.
 */
describe('bad command lines are refused before anything changes', () => {
  const state = tempDir('op-events-refusals-');

  it.each([
    [['status', '--stack', ' '], '--stack needs a non-empty value.'],
    // report and verify take their stack target from --stack itself, checked as every target is.
    [['report', '--stack', ' '], '--stack needs a non-empty value.'],
    [['verify', '--stack', ' '], '--stack needs a non-empty value.'],
    [
      ['report', '--stack', 'S', '--region', 'nowhere'],
      '--region "nowhere" is not an AWS region name such as eu-west-1.',
    ],
    [
      ['verify', '--stack', 'S', '--region', 'nowhere'],
      '--region "nowhere" is not an AWS region name such as eu-west-1.',
    ],
    [
      ['status', '--region', 'eu-west-1', '--state-dir', state],
      '--region is for AWS resources: give it with --stack, --table, --stream or --secret-id.',
    ],
    [
      ['status', '--state-dir', ' '],
      'The state folder is empty: give --state-dir <folder> or unset OP_EVENTS_STATE_DIR.',
    ],
    [['query', ';', '--state-dir', state], 'The SQL holds no statement to run.'],
    [['query', '/* only a comment */', '--state-dir', state], 'The SQL holds no statement to run.'],
  ])('%j', async (argv, message) => {
    const before = fileSnapshot(state);
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
    expect(fileSnapshot(state)).toEqual(before);
  });

  it('a state folder with a cursor table but no record of its source is not collected into', async () => {
    const root = tempDir('op-events-refusals-');
    mkdirSync(join(root, 'dynamodb'));
    const before = fileSnapshot(root);
    const result = await runCli(['start', '--state-dir', root]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${root} has a cursor table but no record of where its events came from ` +
        `(${join(root, 'source.json')}). Use another folder (--state-dir), or delete ${root} to start over.`,
    );
    expect(fileSnapshot(root)).toEqual(before);
  });
});
