import { randomUUID } from 'node:crypto';
import { EVENTBRIDGE } from '../shared/contracts/aws-limits';
import { entrySizeBytes } from '../shared/detections/alert-event';
import { AwsJsonServer, AwsServiceError, type AwsTransportFault } from './aws-json-server';
import { AwsStandIn } from './aws-standin';
import type { LocalCredentials } from './request-auth';

/** Per-entry failures for the next PutEvents: the entries at these indexes are refused in the 200 answer. */
export interface FailEntriesFault {
  readonly kind: 'fail-entries';
  readonly indexes: readonly number[];
  readonly errorCode?: string;
  readonly operation?: 'PutEvents';
}

export type EventBridgeFault = AwsTransportFault | FailEntriesFault;

/** An event the stand-in accepted, as a rule on its bus would see it. */
export interface AcceptedEvent {
  readonly id: string;
  readonly eventBusName: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: unknown;
  readonly time: string;
  /** Epoch ms when the stand-in accepted it (the detection-latency bench reads it). */
  readonly acceptedAtMs: number;
}

export interface EventBridgeStandInOptions {
  /** Event buses that exist besides `default`; any other name or ARN is ResourceNotFoundException. */
  readonly buses?: readonly string[];
  readonly port?: number;
  readonly latencyMs?: number;
  readonly credentials?: LocalCredentials;
  readonly clock?: () => number;
  /** Called with each accepted event (the local run prints them). */
  readonly onEvent?: (event: AcceptedEvent) => void;
}

/**
 * Amazon EventBridge's PutEvents on 127.0.0.1, with the limits of shared/contracts/aws-limits.ts
 * (EVENTBRIDGE), each from the page the limits table cites: at most 10 entries per call ("PutEvents", API
 * Reference: Entries, maximum 10 items) and the call's entries together under 256 KB, each counted as
 * "Calculating PutEvents event entry size" says (so one entry over it is refused with its call). An entry
 * that fails (a missing bus, a malformed detail, an injected fault) is reported in the 200 answer with its
 * ErrorCode and counted in FailedEntryCount while the others are accepted, as the service does; the caller
 * must send the failed ones again.
 */
export class EventBridgeStandIn extends AwsStandIn<FailEntriesFault> {
  readonly events: AcceptedEvent[] = [];

  private constructor(
    server: AwsJsonServer<FailEntriesFault>,
    private readonly options: EventBridgeStandInOptions,
  ) {
    super();
    this.server = server;
  }

  static async start(options: EventBridgeStandInOptions = {}): Promise<EventBridgeStandIn> {
    let self: EventBridgeStandIn | undefined;
    const server = await AwsJsonServer.start<FailEntriesFault>({
      targetPrefix: 'AWSEvents',
      maxRequestBytes: EVENTBRIDGE.maxRequestBytes,
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      operations: {
        PutEvents: (input, { fault }) => (self as EventBridgeStandIn).putEvents(input, fault),
      },
    });
    self = new EventBridgeStandIn(server, options);
    return self;
  }

  /** The fault schedule itself (enqueue, setPlan, clear). */
  get faults() {
    return this.server.faults;
  }

  calls(): number {
    return this.server.calls('PutEvents');
  }

  private putEvents(input: Record<string, unknown>, fault: FailEntriesFault | undefined): unknown {
    const entries = input.Entries;
    if (!Array.isArray(entries) || entries.length === 0) {
      throw new AwsServiceError(
        'ValidationException',
        "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must " +
          'have length greater than or equal to 1',
      );
    }
    if (entries.length > EVENTBRIDGE.maxEntriesPerPutEvents) {
      throw new AwsServiceError(
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must ` +
          `have length less than or equal to ${EVENTBRIDGE.maxEntriesPerPutEvents}`,
      );
    }
    const total = entries.reduce((sum: number, entry) => sum + entrySizeBytes(entry as object), 0);
    if (total > EVENTBRIDGE.maxPutEventsBytes) {
      throw new AwsServiceError(
        'ValidationException',
        `Total size of the entries in the request is over the limit (${total} bytes; at most ` +
          `${EVENTBRIDGE.maxPutEventsBytes}).`,
      );
    }
    const failing = new Set(fault?.indexes ?? []);
    const now = (this.options.clock ?? Date.now)();
    let failed = 0;
    const results = entries.map((raw, index) => {
      const refusal = failing.has(index)
        ? { ErrorCode: fault?.errorCode ?? 'InternalFailure', ErrorMessage: 'Injected entry failure' }
        : this.refusal(raw as Record<string, unknown>);
      if (refusal) {
        failed++;
        return refusal;
      }
      const entry = raw as Record<string, unknown>;
      const id = randomUUID();
      const event: AcceptedEvent = {
        id,
        eventBusName: String(entry.EventBusName ?? 'default'),
        source: String(entry.Source),
        detailType: String(entry.DetailType),
        detail: JSON.parse(String(entry.Detail)),
        time: new Date(now).toISOString(),
        acceptedAtMs: now,
      };
      this.events.push(event);
      this.options.onEvent?.(event);
      return { EventId: id };
    });
    return { FailedEntryCount: failed, Entries: results };
  }

  /** Why the service would refuse one entry, or undefined when it accepts it. */
  private refusal(entry: Record<string, unknown>): { ErrorCode: string; ErrorMessage: string } | undefined {
    for (const member of ['Source', 'DetailType', 'Detail'] as const) {
      if (typeof entry[member] !== 'string' || (entry[member] as string).length === 0) {
        return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${member} is not valid.` };
      }
    }
    try {
      const detail = JSON.parse(entry.Detail as string);
      if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) throw new Error();
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    const bus = typeof entry.EventBusName === 'string' ? entry.EventBusName : 'default';
    const name = bus.startsWith('arn:') ? bus.slice(bus.lastIndexOf('/') + 1) : bus;
    if (name !== 'default' && !(this.options.buses ?? []).includes(name)) {
      return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${name} does not exist.` };
    }
    return undefined;
  }
}
