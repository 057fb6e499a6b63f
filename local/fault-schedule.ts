/**
 * Which fault, if any, the next request gets: queued faults first (first one that matches the
 * request, in the order they were queued), else the plan (a function of the request, for random or
 * periodic schedules). A queued fault is used once.
 */
export class FaultSchedule<Fault, Request> {
  private readonly queue: Fault[] = [];
  private plan: ((request: Request) => Fault | undefined) | undefined;

  constructor(private readonly matches: (fault: Fault, request: Request) => boolean) {}

  enqueue(...faults: Fault[]): void {
    this.queue.push(...faults);
  }

  setPlan(plan: ((request: Request) => Fault | undefined) | undefined): void {
    this.plan = plan;
  }

  take(request: Request): Fault | undefined {
    const index = this.queue.findIndex((fault) => this.matches(fault, request));
    if (index >= 0) return this.queue.splice(index, 1)[0];
    return this.plan?.(request);
  }

  get pending(): number {
    return this.queue.length;
  }

  clear(): void {
    this.queue.length = 0;
    this.plan = undefined;
  }
}
