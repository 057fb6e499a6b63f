/**
 * One side of one bench:compare round, in a fresh process: imports the hot-path bench given as the
 * argument (a tree's bench/hot-path.ts), runs its measureHotPath() with that tree's defaults, and
 * prints each type's ratio as one line on stdout. It is CPU work only; the parent gives it an
 * environment without AWS credentials. It imports nothing of this tree's product code, so that the
 * measured tree's modules are the only ones loaded.
 */
import { pathToFileURL } from 'node:url';
import { RESULT_MARKER, type TypeRatio } from './compare-summary';

async function main(hotPathModule: string): Promise<void> {
  const module = (await import(pathToFileURL(hotPathModule).href)) as {
    measureHotPath?: () => readonly { type: string; ratio: number }[];
  };
  if (typeof module.measureHotPath !== 'function') {
    throw new Error(`${hotPathModule} exports no measureHotPath function`);
  }
  const rows: TypeRatio[] = module.measureHotPath().map(({ type, ratio }) => ({ type, ratio }));
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(rows)}\n`);
}

const hotPathModule = process.argv[2];
if (hotPathModule === undefined) {
  process.stderr.write('usage: compare-child.ts <a tree>/bench/hot-path.ts\n');
  process.exit(2);
}
main(hotPathModule).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
