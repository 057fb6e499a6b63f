/**
 * The Events API simulator in a process of its own (the real API runs on another machine): the
 * collector's Firehose and DynamoDB traffic in the bench process then cannot delay its pages.
 * Bundled by the bench and forked with plain `node`; driven over IPC.
 */
import { EventsApiSimulator } from '../local/events-api-simulator';
import { EVENT_TYPES, type EventType } from '../shared/contracts/event-types';
import { seedDemoEvents } from './demo-pages';

export type ApiHostRequest =
  | { readonly kind: 'seed'; readonly type: EventType; readonly count: number; readonly seed: number }
  | { readonly kind: 'exit' };

export type ApiHostReport = { readonly kind: 'ready'; readonly url: string } | { readonly kind: 'seeded' };

async function main(): Promise<void> {
  const [token, latency] = process.argv.slice(2);
  if (!token) throw new Error('usage: api-host <token> <latencyMs>');
  const simulator = await EventsApiSimulator.start({
    tokens: { [token]: { features: [...EVENT_TYPES] } },
    latencyMs: Number(latency ?? 0),
  });
  const send = (report: ApiHostReport) => process.send?.(report);
  // The bench that forked this process is gone: nothing will ask for more.
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (request: ApiHostRequest) => {
    if (request.kind === 'exit') {
      await simulator.stop();
      process.exit(0);
    }
    seedDemoEvents(simulator, request.type, request.count, request.seed);
    send({ kind: 'seeded' });
  });
  send({ kind: 'ready', url: simulator.url });
}

main().catch((error: unknown) => {
  process.stderr.write(`api-host: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
