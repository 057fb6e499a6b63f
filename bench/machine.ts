import { cpus, loadavg, totalmem } from 'node:os';

/** What the figures were measured on: they mean little without it. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly date: string;
  /** 1-minute load average when the bench started: other work on the machine skews timings. */
  readonly loadAverage: number;
}

export function machineInfo(now = new Date()): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    date: `${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    loadAverage: Number((loadavg()[0] ?? 0).toFixed(2)),
  };
}
