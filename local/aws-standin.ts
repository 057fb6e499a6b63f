import type { AwsCall, AwsJsonServer, AwsTransportFault, ServiceFault } from './aws-json-server';
import type { LocalCredentials } from './request-auth';

/**
 * What every AWS stand-in offers the tests and the local run besides its service's operations:
 * where it listens, what to sign requests with, faults to inject, and stopping it. `Extra` is the
 * stand-in's own kind of fault (e.g. Firehose's per-record failures).
 */
export abstract class AwsStandIn<Extra extends ServiceFault = never> {
  /** The loopback server, set by the stand-in's static `start` once it listens. */
  protected server!: AwsJsonServer<Extra>;

  get url(): string {
    return this.server.url;
  }

  /** What a client must sign its requests with. */
  get credentials(): LocalCredentials {
    return this.server.credentials;
  }

  enqueueFault(...faults: (AwsTransportFault | Extra)[]): void {
    this.server.faults.enqueue(...faults);
  }

  setFaultPlan(plan: ((call: AwsCall) => AwsTransportFault | Extra | undefined) | undefined): void {
    this.server.faults.setPlan(plan);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
