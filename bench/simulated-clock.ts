/**
 * A clock that runs `timeScale` times faster than real time, for measurements over minutes of
 * schedule (budget windows, run deadlines, Firehose buffers) that take seconds to run. Before
 * `start` it reads real time; `start` moves it to the next whole minute and lets it run from there.
 */
export class SimulatedClock {
  private realStart = Date.now();
  private simStart = this.realStart;

  constructor(readonly timeScale: number) {}

  /** Simulated time begins at the next whole minute, now. */
  start(): void {
    this.realStart = Date.now();
    this.simStart = Math.ceil(this.realStart / 60_000) * 60_000;
  }

  /** The simulated instant `start` began at. */
  get startedAt(): number {
    return this.simStart;
  }

  readonly now = (): number => this.toSimulated(Date.now());

  /** Waits `ms` of simulated time. */
  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => setTimeout(resolve, Math.max(0, ms) / this.timeScale));

  sleepUntil(instant: number): Promise<void> {
    return this.sleep(instant - this.now());
  }

  /** A real instant (epoch ms, such as a request log's) on the simulated clock. */
  toSimulated(realMs: number): number {
    return this.simStart + (realMs - this.realStart) * this.timeScale;
  }
}
