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
} from '../../shared/lookup-schema';
import { StackOutput } from '../../shared/stack-outputs';
import { awsClientConfig, requireStackForAwsOptions } from '../aws-config';
import type { Command, CommandContext } from '../command';
import { ExitCode, UsageError } from '../exit-codes';
import { formatTable } from '../format-table';
import { decodeCliOutput, parseLookupInput } from '../lookups/lookup-input';
import { lookupObjectBody, replaceLocalLookup, replaceStackLookup } from '../lookups/lookup-store';
import { flag, type ParsedCommandLine, stringValue } from '../options';
import { AWS_TARGET_OPTIONS, JSON_OPTION, STATE_DIR_OPTION } from '../shared-options';
import { readStackResources, requireOutput } from '../stack-resources';
import { displayPath, resolveStateDir } from '../state-dir';

const KINDS = LOOKUP_KINDS.join(', ');

function chooseKind(value: string | undefined): LookupKind {
  if (value === undefined) throw new UsageError(`Say which lookup to load: one of ${KINDS}.`);
  if (!isLookupKind(value))
    throw new UsageError(`Unknown lookup ${JSON.stringify(value)}: use one of ${KINDS}.`);
  return value;
}

function readInput(file: string | undefined, kind: LookupKind): { text: string; source: string } {
  if (file === undefined) {
    throw new UsageError(
      `Give the file holding the output of "${LOOKUP_SPECS[kind].cliCommand}", e.g. op-events lookups load ${kind} ${kind}.json.`,
    );
  }
  if (!existsSync(file)) throw new UsageError(`${file} does not exist. Nothing was changed.`);
  try {
    return { text: decodeCliOutput(readFileSync(file)), source: file };
  } catch (error) {
    throw new UsageError(`${file} cannot be read (${(error as Error).message}). Nothing was changed.`);
  }
}

async function load(args: ParsedCommandLine, context: CommandContext): Promise<ExitCode> {
  const [, kindArg, file] = args.positionals;
  const kind = chooseKind(kindArg);
  const { text, source } = readInput(file, kind);
  const rows = parseLookupInput(kind, text, source);
  const body = lookupObjectBody(kind, rows, new Date(context.now()).toISOString());
  const stack = stringValue(args, 'stack');
  requireStackForAwsOptions(args);
  const table = LOOKUP_SPECS[kind].table;
  if (stack !== undefined) {
    const clientConfig = awsClientConfig(args);
    const resources = await readStackResources(
      new CloudFormationClient(clientConfig),
      stack,
      stringValue(args, 'pipeline'),
    );
    const bucket = requireOutput(resources, resources.eventsBucket, StackOutput.EventsBucketName);
    const stored = await replaceStackLookup(new S3Client(clientConfig), bucket, kind, body);
    if (flag(args, 'json')) {
      context.out.line(
        JSON.stringify({
          lookup: kind,
          rows: rows.length,
          location: `s3://${bucket}/${stored.key}`,
          encryption: stored.encryption,
          table,
        }),
      );
      return ExitCode.Ok;
    }
    context.out.line(
      `Loaded ${rows.length} ${kind} into s3://${bucket}/${stored.key} (encryption: ${stored.encryption}); Athena reads them as ${table}.`,
    );
    return ExitCode.Ok;
  }
  const state = resolveStateDir(stringValue(args, 'state-dir'), context.env);
  const path = replaceLocalLookup(state.s3, kind, body);
  if (flag(args, 'json')) {
    context.out.line(JSON.stringify({ lookup: kind, rows: rows.length, location: path, table }));
    return ExitCode.Ok;
  }
  context.out.line(
    `Loaded ${rows.length} ${kind} into ${displayPath(path)}; op-events query reads them as ${table}.`,
  );
  return ExitCode.Ok;
}

/** The lookups of the local state folder: rows and when they were loaded. */
function list(args: ParsedCommandLine, context: CommandContext): ExitCode {
  const state = resolveStateDir(stringValue(args, 'state-dir'), context.env);
  const lookups = LOOKUP_KINDS.map((kind) => {
    const path = join(state.s3, lookupKeyFor(kind));
    const { table, cliCommand } = LOOKUP_SPECS[kind];
    if (!existsSync(path))
      return { lookup: kind, table, rows: undefined, loadedAt: undefined, refreshWith: cliCommand };
    const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n').filter(Boolean);
    const loadedAt = lines[0]
      ? String((JSON.parse(lines[0]) as { loaded_at?: unknown }).loaded_at)
      : undefined;
    return { lookup: kind, table, rows: lines.length, loadedAt, refreshWith: cliCommand };
  });
  if (flag(args, 'json')) {
    for (const lookup of lookups)
      context.out.line(JSON.stringify({ ...lookup, loaded: lookup.rows !== undefined }));
    return ExitCode.Ok;
  }
  const rows = lookups.map((l) =>
    l.rows === undefined
      ? [l.lookup, l.table, '-', 'not loaded', l.refreshWith]
      : [l.lookup, l.table, String(l.rows), l.loadedAt ?? '-', l.refreshWith],
  );
  context.out.line(formatTable(['lookup', 'table', 'rows', 'loaded', 'refresh with'], rows));
  return ExitCode.Ok;
}

async function run(args: ParsedCommandLine, context: CommandContext): Promise<ExitCode> {
  const [action] = args.positionals;
  if (action === 'load') return load(args, context);
  if (action === 'list') {
    if (args.positionals.length > 1) throw new UsageError('lookups list takes no other argument.');
    if (stringValue(args, 'stack') !== undefined) {
      throw new UsageError(
        'lookups list shows the local state folder; on AWS, query the lookup_* tables in Athena.',
      );
    }
    return list(args, context);
  }
  throw new UsageError(
    `${action === undefined ? 'Say what to do' : `Unknown action ${JSON.stringify(action)}`}: op-events lookups load KIND FILE, or op-events lookups list.`,
  );
}

export const lookupsCommand: Command = {
  spec: {
    name: 'lookups',
    brief: 'Load vault, item, user and group names (from the 1Password CLI) for the views.',
    usage:
      'op-events lookups load KIND FILE [--json] [--stack NAME | --state-dir DIR]  |  op-events lookups list [--json]',
    summary:
      'Stores the JSON the 1Password CLI prints (op vault|item|user|group list --format json) as lookup tables, ' +
      `so that queries show names instead of uuids. KIND is one of ${KINDS}. Each load replaces that lookup whole; ` +
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
    details: `Only ids, names, titles, emails, categories and states are kept (no URLs or usernames of items).`,
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
  run,
};
