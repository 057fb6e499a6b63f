/**
 * `npm run bench:plots`: only the measurements the plots of RESULTS.md are drawn from (drain rounds,
 * freshness, memory sizes), for redrawing them without the whole bench. It writes bench/plots/ and
 * leaves RESULTS.md as it is; each plot names the run that measured it.
 */
import { withBenchContext } from './bench-context';
import { runBenchCommand } from './bench-step';
import { measureDrain } from './drain';
import { measureFreshness } from './freshness';
import { isolateFromAws } from './loopback-aws';
import { machineInfo } from './machine';
import { measureMemorySizes } from './memory-sizes';
import { PLOTS_FOLDER, writeBenchPlots } from './plots';

async function main(): Promise<void> {
  isolateFromAws();
  const machine = machineInfo();
  await withBenchContext(async (context) => {
    const drain = await measureDrain(context);
    const freshness = await measureFreshness(context);
    const memorySizes = await measureMemorySizes(context);
    writeBenchPlots(
      { drain, freshness, memorySizes, stackMemoryMb: context.memoryMb },
      'npm run bench:plots (drain, freshness, memory sizes only)',
      machine,
    );
    process.stdout.write(`Wrote the plots to ${PLOTS_FOLDER}\n`);
  });
}

runBenchCommand('bench:plots', main);
