import type { LookupKind } from '../../shared/contracts/lookup-schema';
import { formatTable } from '../format-table';
import type { CommandResult, ResultView } from '../render';
import { displayPath } from '../state-dir';

/** A lookup stored whole: in a stack's events bucket (with its encryption) or a local folder. */
export interface LookupLoaded extends CommandResult {
  readonly action: 'load';
  readonly lookup: LookupKind;
  readonly rows: number;
  /** `s3://bucket/key` on a stack, the file's path locally. */
  readonly location: string;
  /** The bucket's encryption the object was stored with (absent locally). */
  readonly encryption?: string;
  readonly table: string;
}

/** One lookup of the local state folder: its rows and when they were loaded (undefined: never). */
export interface LookupState {
  readonly lookup: LookupKind;
  readonly table: string;
  readonly rows: number | undefined;
  readonly loadedAt: string | undefined;
  readonly refreshWith: string;
}

export interface LookupListing extends CommandResult {
  readonly action: 'list';
  readonly lookups: readonly LookupState[];
}

export type LookupsResult = LookupLoaded | LookupListing;

function loadedText({ rows, lookup, location, encryption, table }: LookupLoaded): string {
  if (encryption === undefined) {
    return `Loaded ${rows} ${lookup} into ${displayPath(location)}; op-events query reads them as ${table}.`;
  }
  return (
    `Loaded ${rows} ${lookup} into ${location} (encryption: ${encryption}); Athena reads them as ` +
    `${table}.`
  );
}

function listTable(lookups: readonly LookupState[]): string {
  const rows = lookups.map((l) =>
    l.rows === undefined
      ? [l.lookup, l.table, '-', 'not loaded', l.refreshWith]
      : [l.lookup, l.table, String(l.rows), l.loadedAt ?? '-', l.refreshWith],
  );
  return formatTable(['lookup', 'table', 'rows', 'loaded', 'refresh with'], rows);
}

function json(result: LookupsResult) {
  if (result.action === 'list') {
    return { lines: result.lookups.map((l) => ({ ...l, loaded: l.rows !== undefined })) };
  }
  const { lookup, rows, location, encryption, table } = result;
  return { lines: [{ lookup, rows, location, encryption, table }] };
}

export const lookupsView: ResultView<LookupsResult> = {
  text: (result) => ({ lines: [result.action === 'list' ? listTable(result.lookups) : loadedText(result)] }),
  json,
};
