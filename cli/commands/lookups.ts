import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { S3Client } from '@aws-sdk/client-s3';
import {
  isLookupKind,
  LOOKUP_KINDS,
  LOOKUP_SPECS,
  type LookupKind,
  lookupKeyFor,
} from '../../shared/contracts/lookup-schema';
import { StackOutput } from '../../shared/contracts/stack-outputs';
import { awsClientConfig, requireStackForAwsOptions } from '../aws-config';
import type { Command, CommandContext } from '../command';
import { ExitCode } from '../exit-codes';
import { decodeCliOutput, parseLookupInput } from '../lookups/lookup-input';
import { lookupObjectBody, replaceLocalLookup, replaceStackLookup } from '../lookups/lookup-store';
import { type ParsedCommandLine, stringValue } from '../options';
import { resultCommand } from '../render';
import { AWS_TARGET_OPTIONS, JSON_OPTION, STATE_DIR_OPTION } from '../shared-options';
import { readStackResources, requireOutput } from '../stack-resources';
import { resolveStateDir } from '../state-dir';
import { lookupRefusals } from '../usage-errors';
import {
  type LookupListing,
  type LookupLoaded,
  type LookupState,
  type LookupsResult,
  lookupsView,
} from './lookups-view';

const KINDS = LOOKUP_KINDS.join(', ');

function chooseKind(value: string | undefined): LookupKind {
  if (value === undefined) throw lookupRefusals.noKind(KINDS);
  if (!isLookupKind(value)) throw lookupRefusals.unknownKind(value, KINDS);
  return value;
}

function readInput(file: string | undefined, kind: LookupKind): { text: string; source: string } {
  if (file === undefined) throw lookupRefusals.noFile(kind, LOOKUP_SPECS[kind].cliCommand);
  if (!existsSync(file)) throw lookupRefusals.fileMissing(file);
  try {
    return { text: decodeCliOutput(readFileSync(file)), source: file };
  } catch (error) {
    throw lookupRefusals.fileUnreadable(file, (error as Error).message);
  }
}

/** Stores the lookup in the stack's events bucket (--stack), or else in the local state folder. */
async function load(args: ParsedCommandLine, context: CommandContext): Promise<LookupLoaded> {
  const [, kindArg, file] = args.positionals;
  const kind = chooseKind(kindArg);
  const { text, source } = readInput(file, kind);
  const rows = parseLookupInput(kind, text, source);
  const body = lookupObjectBody(kind, rows, new Date(context.now()).toISOString());
  const stack = stringValue(args, 'stack');
  requireStackForAwsOptions(args);
  const loaded = {
    action: 'load',
    lookup: kind,
    rows: rows.length,
    table: LOOKUP_SPECS[kind].table,
  } as const;
  if (stack !== undefined) {
    const clientConfig = awsClientConfig(args);
    const cloudFormation = new CloudFormationClient(clientConfig);
    const resources = await readStackResources(cloudFormation, stack, stringValue(args, 'pipeline'));
    const bucket = requireOutput(resources, resources.eventsBucket, StackOutput.EventsBucketName);
    const stored = await replaceStackLookup(new S3Client(clientConfig), bucket, kind, body);
    const location = `s3://${bucket}/${stored.key}`;
    return { ...loaded, location, encryption: stored.encryption, exitCode: ExitCode.Ok };
  }
  const state = resolveStateDir(stringValue(args, 'state-dir'), context.env);
  const location = replaceLocalLookup(state.s3, kind, body);
  return { ...loaded, location, exitCode: ExitCode.Ok };
}

/** A lookup of a local state folder: its rows and when they were loaded. */
function readLookupState(s3Dir: string, kind: LookupKind): LookupState {
  const path = join(s3Dir, lookupKeyFor(kind));
  const { table, cliCommand } = LOOKUP_SPECS[kind];
  if (!existsSync(path)) {
    return { lookup: kind, table, rows: undefined, loadedAt: undefined, refreshWith: cliCommand };
  }
  const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n').filter(Boolean);
  const loadedAt = lines[0] ? String((JSON.parse(lines[0]) as { loaded_at?: unknown }).loaded_at) : undefined;
  return { lookup: kind, table, rows: lines.length, loadedAt, refreshWith: cliCommand };
}

/** The lookups of the local state folder. */
function list(args: ParsedCommandLine, context: CommandContext): LookupListing {
  if (args.positionals.length > 1) throw lookupRefusals.listTakesNoArgument();
  if (stringValue(args, 'stack') !== undefined) throw lookupRefusals.listIsLocal();
  const state = resolveStateDir(stringValue(args, 'state-dir'), context.env);
  const lookups = LOOKUP_KINDS.map((kind) => readLookupState(state.s3, kind));
  return { action: 'list', lookups, exitCode: ExitCode.Ok };
}

async function lookups(args: ParsedCommandLine, context: CommandContext): Promise<LookupsResult> {
  const [action] = args.positionals;
  if (action === 'load') return load(args, context);
  if (action === 'list') return list(args, context);
  throw lookupRefusals.unknownAction(action);
}

export const lookupsCommand: Command = resultCommand(
  {
    name: 'lookups',
    brief: 'Load vault, item, user and group names (from the 1Password CLI) for the views.',
    usage:
      'op-events lookups load KIND FILE [--json] [--stack NAME | --state-dir DIR]  |  op-events ' +
      'lookups list [--json]',
    summary:
      'Stores the JSON the 1Password CLI prints (op vault|item|user|group list --format json) as ' +
      'lookup tables, ' +
      `so that queries show names instead of uuids. KIND is one of ${KINDS}. Each load replaces that ` +
      'lookup whole; ' +
      'input that is not such a list is refused and changes nothing.',
    positionals: { max: 3, description: 'load KIND FILE | list' },
    options: {
      ...JSON_OPTION,
      ...STATE_DIR_OPTION,
      stack: {
        type: 'string',
        value: 'NAME',
        description:
          "Store it in this deployed stack's events bucket (lookups/), encrypted as the events are.",
      },
      ...AWS_TARGET_OPTIONS,
    },
    details:
      'Only ids, names, titles, emails, categories and states are kept (no URLs or usernames of items).',
    examples: [
      {
        args: 'load vaults vaults.json',
        does: 'Vault names from: op vault list --format json > vaults.json',
      },
      {
        args: 'load items items.json --stack OnePasswordEvents',
        does: 'Item titles from: op item list --format json > items.json, into a deployed stack.',
      },
      { args: 'list', does: 'The lookups of the local state folder: rows and when each was loaded.' },
      { args: 'list --json', does: 'The same, one JSON object per lookup.' },
    ],
  },
  lookups,
  lookupsView,
);
