import type { CallCounts, RunCounts } from './call-counts';
import { type ColdStartResult, DEFAULT_CHAIN } from './cold-start';
import { MONTH, type MonthlyCosts } from './cost-model';
import type { DrainResult } from './drain';
import type { HotPathRow } from './hot-path';
import { BENCH_FIREHOSE_QUOTA_MIB } from './loopback-aws';
import type { MemoryResult } from './memory';
import { PRICES } from './prices';
import { kb, mb, n, PLOT_FILES, plotImage, TARGETS, table, usd } from './report-format';
import type { SharedBudgetResult } from './shared-budget';

/** The detailed sections of RESULTS.md, one per measurement. */

export function hotPathSection(rows: readonly HotPathRow[]): string {
  return [
    '## 1. Hot path CPU (bench/hot-path.ts)',
    '',
    'One page of 1,000 demo events (`generateDemoEvents`) as the API sends it. Collector: `parsePageBody` + ' +
      '`pageToLines` + `packRecords` (parse, keep each raw event text, schema check, metadata line, pack into ' +
      'Firehose records). Floor: `JSON.parse` + `JSON.stringify` of the same body. Both timed alternately in ' +
      'rounds after a warm-up; the ratio is the median of per-round ratios.',
    '',
    table(
      ['Type', 'Page', 'Collector µs/event', 'Floor µs/event', 'Ratio', 'parse / lines / pack µs'],
      rows.map((r) => [
        r.type,
        kb(r.pageBytes),
        n(r.collectorUsPerEvent, 2),
        n(r.floorUsPerEvent, 2),
        `${n(r.ratio, 2)}x`,
        `${n(r.stages.parse, 2)} / ${n(r.stages.lines, 2)} / ${n(r.stages.pack, 2)}`,
      ]),
    ),
    '',
    'Before this issue the ratio was 3.3–3.5x. What changed in shared/: the schema check runs a function ' +
      'generated from the zod/mini schemas, which also names the fields of an event that does not match as zod ' +
      'would (a fully drifted page costs about as much as a clean one); timestamps are read character by ' +
      'character; the metadata text is made once per date; records are encoded straight into a record-sized ' +
      'buffer; an item is compacted only when it has whitespace outside its strings; the parsed page is a class, ' +
      'not an object whose getter closes over its items (V8 kept such pages alive through young-generation ' +
      'collections, which tripled the cost of reading one). Property tests check each against the code it ' +
      'replaced (test/shared/collector/delivery/hot-path.property.test.ts).',
  ].join('\n');
}

const percentages = (ratios: readonly number[]) => ratios.map((r) => `${n(r * 100, 1)}%`).join(', ');

export function drainSection(drain: DrainResult, budget: SharedBudgetResult, memoryMb: number): string {
  const rate = (label: string, r: DrainResult['floor']) => [
    label,
    n(r.events),
    n(r.pages),
    n(r.ms),
    n(r.cpuMs),
    n(r.eventsPerSecond),
  ];
  const perPage = (r: DrainResult['floor']) => r.ms / r.pages;
  return [
    '## 2. Drain throughput and the shared request budget (bench/drain.ts)',
    '',
    "The deployed artifact in its own process (with the Lambda runtime's heap flags for the stack's memory size), " +
      `draining ${n(drain.options.eventsPerRun)} ${drain.options.type} events per run in pages of ${n(drain.options.pageSize)}, ` +
      `with the stack's request budget on. The Events API simulator runs in a third process and answers each ` +
      `request ${drain.options.apiLatencyMs} ms after it arrived; the Firehose stand-in answers each call ` +
      `${drain.options.firehoseLatencyMs} ms after it arrived. ` +
      'The floor is a handler that only pages through the same API (request, read, parse for the cursor: ' +
      'bench/paging-floor.ts), bundled and run the same way. The three handlers (floor, collector, collector ' +
      'with REQUEST_BUDGET_PER_MINUTE=0) stay warm in processes side by side and run back to back in each of ' +
      `${drain.rounds} rounds, so each ratio compares runs seconds apart; the median round is shown ` +
      `(ratios: ${percentages(drain.ratios)}).`,
    '',
    plotImage(
      `Collector events per second as a share of the floor in each round, with and without the request budget, against the ${TARGETS.drainRatio * 100}% target`,
      PLOT_FILES.drainRounds,
    ),
    '',
    table(
      ['Run', 'Events', 'Pages', 'ms', 'CPU ms', 'Events/s'],
      [
        rate('paging-only floor (warm)', drain.floor),
        rate('collector (warm)', drain.collector),
        rate('collector (cold: token, scope check, JIT)', drain.collectorCold),
      ],
    ),
    '',
    `Per page: the floor takes ${n(perPage(drain.floor), 1)} ms, ${drain.options.apiLatencyMs} ms of it the simulated ` +
      'latency (the simulator prepares the page within it, as a remote API would) and ' +
      `${n(perPage(drain.floor) - drain.options.apiLatencyMs, 1)} ms to send, read and parse ` +
      `${n(drain.options.pageSize)} events before the next cursor is known. That is why no client that takes the ` +
      `cursor from the body reaches the nominal limit (page size / latency: ${n(drain.nominalLimit)} events/s; the ` +
      `floor reaches ${n((drain.floor.eventsPerSecond / drain.nominalLimit) * 100, 1)}% of it), and why the floor, ` +
      'not the nominal figure, is the API-bound limit the collector is held to. The collector takes ' +
      `${n(perPage(drain.collector), 1)} ms per page, its whole run included. It requests the next page as soon as ` +
      'a page arrives (yielding once, so the request leaves before the page is processed), keeps up to one more ' +
      'page waiting behind the one being delivered, and delivers and commits pages one after another in order. ' +
      "What it adds to the floor: the last page's delivery and commit, which no fetch overlaps; the lease at both " +
      `ends; and its CPU per page (${n(drain.collector.cpuMs / drain.collector.pages, 1)} ms against the floor's ` +
      `${n(drain.floor.cpuMs / drain.floor.pages, 1)}: checking the page, building and packing the lines, the SDK ` +
      'serialising, signing and sending 1 MB to Firehose, the commit, garbage collection), which competes with ' +
      'reading the next page on a 2-core machine shared with the simulator and the stand-ins. With ' +
      `REQUEST_BUDGET_PER_MINUTE=0, the same rounds: ${percentages(drain.ratiosWithoutBudget)}. On Lambda at the ` +
      `stack's ${memoryMb} MB (about ${n(memoryMb / MONTH.mbPerVcpu, 2)} vCPU) the same CPU per page is roughly ` +
      `${n(Math.max(1, MONTH.mbPerVcpu / memoryMb), 1)} times longer (section 7 measures a run behind at each memory size).`,
    '',
    `These rounds give the stream a Direct PUT quota of ${n(BENCH_FIREHOSE_QUOTA_MIB)} MiB/s (and tell the collector), so ` +
      "they measure the collector, not the quota. At its region's default quota " +
      `(${drain.paced.quotaMiBPerSecond} MiB/s in ${drain.paced.region}, enforced by the stand-in), the collector, ` +
      `left to its default, paced a warm run of ${n(drain.paced.run.events)} events at ` +
      `${n(drain.paced.mibPerSecond, 2)} MiB/s (${n(drain.paced.run.eventsPerSecond)} events/s, ${n(drain.paced.run.ms)} ms) ` +
      `with ${n(drain.paced.throttledCalls)} calls throttled.`,
    '',
    '### Three types draining at once under REQUEST_BUDGET_PER_MINUTE',
    '',
    `A minute of budget cannot be observed in seconds of real time, so this part runs the three collectors (in-process, ` +
      `warm runtimes) on a clock ${budget.options.timeScale}x faster than real time: the budget's one-minute windows, run ` +
      'deadlines (the stack timeout) and every backoff wait use it, so one simulated minute lasts ' +
      `${n(60 / budget.options.timeScale, 1)} s. Each simulated minute starts the three runs as the schedules would. ` +
      `Pages of ${budget.options.pageSize} events at ${budget.options.apiLatencyMs} ms make the three types ask for ` +
      "more requests than the budget allows, so it binds. Request times come from the simulator's log, mapped onto the " +
      'simulated clock.',
    '',
    table(
      [
        'Budget',
        'Simulated minutes',
        'Requests',
        'Peak per budget window',
        'Peak per sliding 60 s',
        'Bound per hour',
        'Runs',
        'Runs ended by the budget',
        'Events delivered',
      ],
      [
        [
          `${n(budget.options.budgetPerMinute)}/min`,
          budget.options.minutes,
          n(budget.requests),
          n(budget.peakPerWindow),
          n(budget.peakPerSlidingMinute),
          n(budget.boundPerHour),
          budget.runs,
          budget.runsStoppedByBudget,
          n(budget.events),
        ],
      ],
    ),
    '',
    'The budget counts calendar minutes, so a sliding minute can hold the end of one window and the start of the ' +
      `next: at most twice the budget (${n(2 * budget.options.budgetPerMinute)}), which the stack's default of half ` +
      `the API's limit keeps within ${TARGETS.apiPerMinute}/min. Per hour: at most 61 windows' worth ` +
      `(${n(budget.boundPerHour)} < ${n(TARGETS.apiPerHour)}). A run that finds the budget spent until its ` +
      'deadline stops normally (stop reason request_budget) and the next run continues.',
  ].join('\n');
}

export function memorySection(memory: MemoryResult): string {
  const row = (label: string, p: MemoryResult['small']) => [
    label,
    n(p.events),
    p.runs,
    mb(p.peakRssMb),
    mb(p.peakHeapMb),
    mb(p.peakExternalMb),
  ];
  return [
    '## 3. Memory (bench/memory.ts)',
    '',
    'One execution environment of the deployed artifact, started with the Node flags the Lambda runtime uses for ' +
      `${memory.memoryMb} MB (new space = memory/10, old space = the rest): a run of 20,000 events, then runs of ` +
      '120,000 (120 pages) and 60,000 more. The stand-ins, which keep ' +
      "every record, run in the bench process. Peak RSS is Linux's VmHWM (getrusage's maxRSS is inherited from " +
      'the forking parent and would count the stand-ins); heap and external memory sampled every 10 ms.',
    '',
    table(
      [
        'After',
        'Events drained',
        'Runs',
        'Peak RSS',
        'Peak V8 heap (last run)',
        'Peak external buffers (last run)',
      ],
      [row('the 20k run', memory.small), row('200k in total', memory.large)],
    ),
    '',
    `RSS after importing the artifact: ${mb(memory.importedRssMb)}. Growth from 20k to 200k: ${n(memory.growth, 2)}x: ` +
      'a run holds at most three pages (one being delivered, one waiting, one being fetched), whatever it drains. Peak RSS leaves ' +
      `${mb(memory.memoryMb - memory.large.peakRssMb)} of ${memory.memoryMb} MB, the smallest size section 7 measures, whose ` +
      'heap V8 collects soonest, so growth here is what a run keeps. With the flags for ' +
      `${memory.alternative.memoryMb} MB (the stack's) the same sequence ` +
      (memory.alternative.error
        ? `fails (${memory.alternative.error}).`
        : `peaks at ${mb(memory.alternative.peakRssMb)}: with a larger heap V8 collects later, and RSS grows with it.`),
  ].join('\n');
}

export function coldStartSection(cold: ColdStartResult): string {
  return [
    '## 4. Cold start and bundle (bench/cold-start.ts)',
    '',
    `The artifact \`cdk synth\` builds (${n(cold.artifactBytes)} bytes) and the bench's own esbuild call with the ` +
      `stack's options (${n(cold.rebuiltBytes)} bytes${cold.rebuiltBytes === cold.artifactBytes ? ', identical' : ''}), ` +
      'whose metafile gives the breakdown. Variants change one choice each.',
    '',
    table(
      ['Bundle', 'Bytes', 'gzip -9', 'What it is'],
      cold.sizes.map((s) => [s.name, n(s.bytes), n(s.gzipBytes), s.note]),
    ),
    '',
    table(
      ['Part of the deployed bundle', 'Bytes', 'Share'],
      cold.packages.map((p) => [p.name, n(p.bytes), `${n((p.bytes / cold.rebuiltBytes) * 100, 1)}%`]),
    ),
    '',
    'Start-up, median of fresh processes with the Lambda heap flags: import the bundle, then a first and a ' +
      'second invocation against the loopback stand-ins (each sample a new cursor table, so the first invocation ' +
      'always reads the token, checks its scope, takes the lease, collects one page of 100 events and releases).',
    '',
    table(
      [
        'Bundle',
        'Bytes',
        'Import ms',
        'First invocation ms',
        'Warm invocation ms',
        'RSS after import',
        'Samples',
      ],
      cold.timings.map((t) => [
        t.name,
        n(t.bytes),
        n(t.importMs, 1),
        n(t.firstInvokeMs, 1),
        n(t.warmInvokeMs, 1),
        mb(t.rssAfterImportMb),
        t.samples,
      ]),
    ),
    '',
    `Choices: zod/mini instead of classic zod saves ${kb(bytesOf(cold, 'zod (classic)') - bytesOf(cold, 'zod/mini'))} for ` +
      `the same program; Powertools (logger, metrics) is ${share(cold, 'Powertools')} of the bundle; the AWS SDK's ` +
      `core and credential chain ${share(cold, 'AWS SDK')}, its three clients ${share(cold, '@aws-sdk/client-')}. The default credential chain ` +
      `(${share(cold, 'credential chain')}: SSO, shared files, credential processes, web identity, IMDS) never runs in ` +
      'Lambda, where credentials come from the environment, so the stack resolves `@aws-sdk/credential-provider-node` ' +
      `to \`fromEnv\` at bundle time (functions/lambda-credentials.ts), which saves ${kb(chainBytes(cold))} ` +
      `(${n((chainBytes(cold) / bytesOf(cold, DEFAULT_CHAIN)) * 100)}%). ` +
      'Import time barely depends on size (V8 compiles lazily); the first invocation is what costs: clients, ' +
      'first calls and JIT.',
  ].join('\n');
}

function bytesOf(cold: ColdStartResult, name: string): number {
  return cold.sizes.find((s) => s.name.startsWith(name))?.bytes ?? 0;
}

/** Share of the deployed bundle of the package groups whose name contains `part`. */
function share(cold: ColdStartResult, part: string): string {
  const bytes = cold.packages.filter((p) => p.name.includes(part)).reduce((sum, p) => sum + p.bytes, 0);
  return `${n((bytes / cold.rebuiltBytes) * 100)}%`;
}

/** Bytes the stack's fromEnv alias keeps out of the deployed artifact. */
export function chainBytes(cold: ColdStartResult): number {
  return bytesOf(cold, DEFAULT_CHAIN) - cold.artifactBytes;
}

export function callsSection(counts: CallCounts): string {
  const row = (r: RunCounts) => [
    r.label,
    n(r.events),
    r.apiRequests,
    r.cursorWrites,
    r.budgetWrites,
    r.reads,
    r.secretsCalls,
    r.firehoseCalls,
    r.firehoseRecords,
    n(r.rawBytes),
    n(r.billedBytes),
    n(r.ms),
    n(r.cpuMs),
    n(r.logBytes),
  ];
  return [
    '## 5. Counted calls per run (bench/call-counts.ts)',
    '',
    `The deployed artifact with the stack's settings (PAGE_SIZE ${counts.pageSize}, MAX_EVENTS_PER_RUN ` +
      `${n(counts.eventsPerRun)}, REQUEST_BUDGET_PER_MINUTE on), DynamoDB calls counted by a proxy in front of ` +
      'dynalite, Firehose and Secrets Manager calls by their stand-ins.',
    '',
    table(
      [
        'Run',
        'Events',
        'API requests',
        'Cursor writes',
        'Budget writes',
        'Reads',
        'Secrets calls',
        'PutRecordBatch',
        'Records',
        'Raw bytes',
        'Billed bytes',
        'ms',
        'CPU ms',
        'Log bytes',
      ],
      [row(counts.coldBusy), row(counts.warmBusy), row(counts.warmIdle)],
    ),
    '',
    `Cursor writes: lease, one commit per page, release. The same ${n(counts.warmBusy.events)} events one per record ` +
      `(the naive design): ${n(counts.naive.records)} records, ${n(counts.naive.calls)} PutRecordBatch calls, ` +
      `${n(counts.naive.billedBytes)} billed bytes (${n(counts.naive.billedBytes / counts.warmBusy.billedBytes, 1)}x ` +
      `the packed design). Delivered NDJSON gzips to ${n(counts.gzipRatio * 100, 1)}% of its size. The cursor row is ` +
      `at most ${n(counts.cursorRowBytes)} bytes (1 write unit per write). Metrics per run: ` +
      `${[...new Set([...counts.warmIdle.metricNames, ...counts.warmBusy.metricNames])].join(', ')}.`,
  ].join('\n');
}

export function costSection(costs: MonthlyCosts, counts: CallCounts): string {
  const volumes = costs.volumes.map((v) => `${n(v)} events/month`);
  const usage = costs.usage;
  return [
    '## 6. Cost model (bench/cost-model.ts, prices in bench/prices.ts)',
    '',
    `An account polled every minute by the three collectors (${n(usage[0]?.runs ?? 0)} runs a month), events ` +
      'spread evenly over types and minutes. From the counts above: per-run calls and bytes, bytes per event ' +
      `(${n(counts.warmBusy.rawBytes / counts.warmBusy.events)} with the metadata), run times stretched to the CPU share ` +
      `Lambda gives the stack's memory (${MONTH.mbPerVcpu} MB = 1 vCPU), one new execution environment per function per ` +
      'hour (INIT billed), the token cache default, the Firehose buffer interval of the stack, and the alarms and ' +
      'dashboard counted in the synthesized template. List prices, no free tier.',
    '',
    table(
      ['Item', ...volumes, 'Basis'],
      [
        ...costs.lines.map((l) => [l.item, ...l.usd.map(usd), l.basis]),
        ['**Total, packed records (this design)**', ...costs.total.map((t) => `**${usd(t)}**`), ''],
        [
          'Firehose ingestion, one event per record',
          ...costs.naiveIngestion.map(usd),
          'each event billed as 5 KB',
        ],
        ['**Total, one event per record**', ...costs.naiveTotal.map((t) => `**${usd(t)}**`), ''],
      ],
    ),
    '',
    table(
      ['Usage counted', ...volumes],
      [
        ['Lambda GB-seconds', ...usage.map((u) => n(u.lambdaGbSeconds))],
        ['DynamoDB write units', ...usage.map((u) => n(u.dynamoWrites))],
        ['Secrets Manager calls', ...usage.map((u) => n(u.secretsCalls))],
        ['Firehose billed GB, packed', ...usage.map((u) => n(u.billedGb, 3))],
        ['Firehose billed GB, one event per record', ...usage.map((u) => n(u.naiveBilledGb, 3))],
        ['S3 objects (dynamic partitioning)', ...usage.map((u) => n(u.s3Objects))],
      ],
    ),
    '',
    `Each further million events, at volume: ${usd(costs.perMillion.packed)} packed, ${usd(costs.perMillion.naive)} one ` +
      'event per record. Below about one event per run (10k a month), every event travels alone anyway and both ' +
      'designs bill 5 KB per event; the fixed monthly cost is custom metrics, alarms, the secret and the per-minute ' +
      'runs.',
    '',
    `Not in the totals: Firehose's JQ processing for the partition key, ${usd(PRICES.jqProcessingHour.usd)} per "JQ ` +
      `processing hour", whose metering the pricing page does not define: from about $0 (billed on processing time) ` +
      `to ${usd(costs.jqRange[1])} a month (if each of the 3 streams were billed every hour); check the ` +
      'JQProcessing usage type in Cost Explorer after a day. Also not in it: Athena queries (per TB scanned, usage ' +
      'dependent), S3 GET requests, data transfer (none leaves the region).',
    '',
    '### Prices (us-east-1)',
    '',
    table(
      ['Item', 'Price', 'Source', 'Read from'],
      Object.values(PRICES).map((p) => [p.item, p.quoted, p.source, p.readFrom]),
    ),
    '',
    'Read in November 2026. The bench machine reaches no AWS page, so each figure comes from a stored copy of ' +
      'the page or a summary quoting it (last column); check them against the source before relying on a total. ' +
      'The DynamoDB rates are those after the November 2024 on-demand reduction. Free tiers left out: Lambda 1M ' +
      'requests and 400,000 GB-s a month, EventBridge Scheduler 14M invocations a month, CloudWatch 10 custom ' +
      'metrics, 10 alarms, 3 dashboards and 5 GB of logs. Since 1 August 2025 Lambda bills the INIT phase.',
  ].join('\n');
}
