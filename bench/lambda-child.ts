/**
 * A stand-in for the Lambda Node.js runtime, run as its own process: it imports a handler bundle
 * (timing the import, as INIT), then invokes `handler` whenever the parent asks, reporting how long
 * each invocation took and the process's memory. Bundled by the bench and run with plain `node`, so
 * nothing but the bundle and this file is loaded.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

export type ChildRequest =
  | {
      readonly kind: 'invoke';
      readonly remainingMs: number;
      /** Sample heap and buffer sizes every 10 ms (it costs CPU: only the memory measurement asks). */
      readonly sampleMemory: boolean;
    }
  | { readonly kind: 'exit' };

export type ChildReport =
  | { readonly kind: 'ready'; readonly bootMs: number; readonly importMs: number; readonly rssBytes: number }
  | {
      readonly kind: 'invoked';
      readonly ms: number;
      /** CPU time the process used during the invocation (user + system), in milliseconds. */
      readonly cpuMs: number;
      readonly result?: unknown;
      readonly error?: string;
      readonly rssBytes: number;
      /** Peak resident set size of the process so far (VmHWM). */
      readonly maxRssBytes: number;
      readonly heapUsedBytes: number;
      /** Largest values seen while the invocation ran (sampled every 10 ms when asked, else at the end). */
      readonly peak: { readonly heapTotal: number; readonly external: number; readonly arrayBuffers: number };
    };

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/**
 * The process's peak RSS. Linux's VmHWM, not getrusage: ru_maxrss survives exec, so a process forked
 * from a large parent reports the parent's size at fork time as its own peak.
 */
function peakRssBytes(): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // Not Linux: fall through.
  }
  return process.resourceUsage().maxRSS * 1024;
}

async function main(): Promise<void> {
  const send = (report: ChildReport) => process.send?.(report);
  const bootMs = performance.now();
  const bundle = process.argv[2];
  if (!bundle) throw new Error('usage: lambda-child <bundle.mjs>');
  const started = performance.now();
  const { handler } = (await import(pathToFileURL(bundle).href)) as { handler: Handler };
  send({ kind: 'ready', bootMs, importMs: performance.now() - started, rssBytes: process.memoryUsage.rss() });

  let invocation = 0;
  // The bench that forked this process is gone: nothing will ask for more.
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (request: ChildRequest) => {
    if (request.kind === 'exit') process.exit(0);
    const deadline = Date.now() + request.remainingMs;
    const context = {
      getRemainingTimeInMillis: () => deadline - Date.now(),
      awsRequestId: `bench-${process.pid}-${++invocation}`,
    };
    const peak = { heapTotal: 0, external: 0, arrayBuffers: 0 };
    const sample = () => {
      const usage = process.memoryUsage();
      peak.heapTotal = Math.max(peak.heapTotal, usage.heapTotal);
      peak.external = Math.max(peak.external, usage.external);
      peak.arrayBuffers = Math.max(peak.arrayBuffers, usage.arrayBuffers);
    };
    const sampler = request.sampleMemory ? setInterval(sample, 10) : undefined;
    const start = performance.now();
    const cpuBefore = process.cpuUsage();
    let outcome: { result?: unknown; error?: string };
    try {
      outcome = { result: await handler({}, context) };
    } catch (error) {
      outcome = { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    sample();
    send({
      kind: 'invoked',
      ms: performance.now() - start,
      cpuMs: (cpu.user + cpu.system) / 1000,
      ...outcome,
      rssBytes: process.memoryUsage.rss(),
      maxRssBytes: peakRssBytes(),
      heapUsedBytes: process.memoryUsage().heapUsed,
      peak,
    });
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`lambda-child: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
