import { fileURLToPath } from 'node:url';
import type { EventType } from '../shared/contracts/event-types';
import type { ApiHostReport, ApiHostRequest } from './api-host';
import { bundleNodeScript, IpcChild } from './ipc-child';

/** The Events API simulator running in its own process (see api-host.ts). */
export class ApiProcess {
  private constructor(
    private readonly child: IpcChild<ApiHostRequest, ApiHostReport>,
    readonly url: string,
  ) {}

  static async start(options: { workDir: string; token: string; latencyMs: number }): Promise<ApiProcess> {
    const script = await bundleNodeScript(
      fileURLToPath(new URL('./api-host.ts', import.meta.url)),
      options.workDir,
      'api-host',
    );
    const child = IpcChild.fork<ApiHostRequest, ApiHostReport>(script, {
      args: [options.token, String(options.latencyMs)],
      env: {},
      stepTimeoutMs: 120_000,
    });
    const { url } = await child.next('ready');
    return new ApiProcess(child, url);
  }

  /** Appends `count` demo events of a type (generated in the API process, deterministic for `seed`). */
  async seed(type: EventType, count: number, seed = 1): Promise<void> {
    this.child.send({ kind: 'seed', type, count, seed });
    await this.child.next('seeded');
  }

  stop(): Promise<void> {
    return this.child.stop({ kind: 'exit' });
  }
}
