/**
 * `npm run bench:plots`: only the measurements the plots of RESULTS.md are drawn from (drain rounds,
 * freshness, memory sizes), for redrawing them without the whole bench. It writes bench/plots/ and
 * leaves RESULTS.md as it is; each plot names the run that measured it.
 */
import { createBenchContext } from './bench-context';
import { measureDrain } from './drain';
import { measureFreshness } from './freshness';
import { isolateFromAws } from './loopback-aws';
import { machineInfo } from './machine';
import { measureMemorySizes } from './memory-sizes';
import { benchPlots, PLOTS_FOLDER, plotSource, writePlots } from './plots';

async function main(): Promise<void> {
  isolateFromAws();
  const machine = machineInfo();
  const context = await createBenchContext();
  try {
    const drain = await measureDrain(context);
    const freshness = await measureFreshness(context);
    const memorySizes = await measureMemorySizes(context);
    writePlots(
      PLOTS_FOLDER,
      benchPlots({
        drain,
        freshness,
        memorySizes,
        stackMemoryMb: context.memoryMb,
        source: plotSource('npm run bench:plots (drain, freshness, memory sizes only)', machine),
      }),
    );
    process.stdout.write(`Wrote the plots to ${PLOTS_FOLDER}\n`);
  } finally {
    context.dispose();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench:plots failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
