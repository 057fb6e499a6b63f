/**
 * The `op-events` program: main() on this process's arguments and streams. The bin launcher
 * (packages/cli/bin/op-events.mjs) runs this file, as TypeScript in a clone or as the bundle
 * scripts/build-cli.ts makes of it in the installed package.
 */
import { Output, processIo } from './io';
import { packageVersion, VERSION_FLAGS } from './version';

const argv = process.argv.slice(2);
if (VERSION_FLAGS.has(argv[0] ?? '')) {
  // The version needs none of the commands (nor the AWS SDK and DuckDB they load): answered before them.
  new Output(processIo()).line(packageVersion());
} else {
  const { main } = await import('./main');
  process.exitCode = await main(argv, processIo());
}
