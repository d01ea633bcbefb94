import type { ProcessStat } from '../../shared/contract'
import { defaultPlatform, type Platform } from '../platform'
import { systemClock, type Clock } from './clock'
import { CpuRateTracker } from './cpu-rate-tracker'
import { LoopedEmitter, SamplingLoop, checkRateHz } from './sampling-loop'

/** Rate, clock and platform of a {@link ProcessSampler}. */
export interface ProcessSamplerOptions {
  /** Readings per second, 0.1..10; default 1. */
  rateHz?: number
  clock?: Clock
  platform?: Platform
}

/** One reading of every watched process (the contract's `monitor:processes` payload). */
export interface ProcessSample {
  t: number
  processes: ProcessStat[]
}

/** `sample` every interval while started; `error` when a reading fails (that reading is skipped). */
export interface ProcessSamplerEvents {
  sample: [ProcessSample]
  error: [Error]
}

/**
 * CPU % and RSS of a set of pids (the pool's workers, launched trees), read through the platform
 * module: on Linux one small `/proc/<pid>/stat` per pid.
 *
 * Chosen by measurement on the 2-core Linux dev box (86 processes running), CPU of this process
 * per reading, median of 200 (systeminformation: 10 readings 600 ms apart, past its 500 ms cache):
 *
 * | pids | platform `/proc` | pidusage 4.1 | systeminformation `processes()`                    |
 * |------|------------------|--------------|----------------------------------------------------|
 * | 1    | 0.035 ms         | 0.10 ms      | 13 ms + 85 ms in its `ps`/shell children, ~0.2 s wall |
 * | 8    | 0.15 ms          | 0.2–0.3 ms   | the same (it lists every process)                  |
 *
 * Correctness on a child spinning one core: `/proc` 100.8 %, pidusage 100.0 %, systeminformation
 * 49.8 % (it divides by all cores; the platform table multiplies back). RSS: `/proc/<pid>/stat`
 * (ours and pidusage's) read 0.2 % below `VmRSS`, which is the kernel batching per-CPU RSS
 * counters, not an error worth a second file read. pidusage also keeps every pid's file open in a
 * module-wide cache swept by its own interval, and has no notion of start time, so a reused pid
 * inherits the old one's history.
 */
export class ProcessSampler extends LoopedEmitter<ProcessSamplerEvents> {
  private readonly clock: Clock
  private readonly platform: Platform
  private readonly rates = new CpuRateTracker()
  protected readonly loop: SamplingLoop<void>
  private watched: number[] = []
  private rate: number

  constructor(options: ProcessSamplerOptions = {}) {
    super()
    this.rate = checkRateHz(options.rateHz ?? 1)
    this.clock = options.clock ?? systemClock
    this.platform = options.platform ?? defaultPlatform()
    this.loop = new SamplingLoop({
      clock: this.clock,
      intervalMs: 1000 / this.rate,
      read: async (isCurrent) => {
        const sample = await this.sample()
        if (isCurrent()) this.emit('sample', sample)
      },
      onError: this.reportError
    })
  }

  get rateHz(): number {
    return this.rate
  }

  /** The pids being watched. */
  get pids(): number[] {
    return [...this.watched]
  }

  /** Replaces the watched set. */
  setPids(pids: Iterable<number>): void {
    this.watched = [...new Set(pids)]
  }

  /**
   * Changes the rate at once: the next reading is due one new interval after the previous one.
   * @throws RangeError outside 0.1..10 Hz.
   */
  setRate(rateHz: number): void {
    this.rate = checkRateHz(rateHz)
    this.loop.setIntervalMs(1000 / this.rate)
  }

  /** Reads the watched pids once; pids that have exited are left out. */
  async sample(): Promise<ProcessSample> {
    const readings = await this.platform.readUsage(this.watched)
    const t = this.clock.now()
    const rates = this.rates.update(readings, t)
    return {
      t,
      processes: readings.map((reading, i) => ({ pid: reading.pid, cpuPercent: rates[i].cpuPercent, rssBytes: reading.rssBytes }))
    }
  }
}
