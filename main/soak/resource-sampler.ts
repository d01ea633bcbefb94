/**
 * Samples this process's memory and live handles at a fixed rate and keeps, per figure, the first
 * sample, the peak and the last: enough to tell a bounded process (peak reached early, end near
 * start) from a leaking one (end near peak, both climbing with the run's length).
 */

export interface ResourceSample {
  rssBytes: number
  heapUsedBytes: number
  /** Handles and requests keeping the event loop alive (sockets, timers, child processes…). */
  handles: number
}

export type Figure = keyof ResourceSample

export interface FigureRange {
  start: number
  peak: number
  end: number
}

export type ResourceRanges = Record<Figure, FigureRange>

export function sampleResources(): ResourceSample {
  const memory = process.memoryUsage()
  return { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, handles: process.getActiveResourcesInfo().length }
}

export class ResourceSampler {
  #ranges: ResourceRanges | undefined
  #timer: NodeJS.Timeout | undefined
  samples = 0

  constructor(readonly everyMs: number) {}

  /** Takes the first sample now, then one every `everyMs`. */
  start(): void {
    this.sample()
    this.#timer = setInterval(() => this.sample(), this.everyMs)
    // The sampler must not be what keeps a finished process alive, nor count itself as a leak.
    this.#timer.unref()
  }

  /** Takes one last sample and stops. */
  stop(): ResourceRanges {
    clearInterval(this.#timer)
    this.#timer = undefined
    this.sample()
    return this.ranges()
  }

  sample(): void {
    const now = sampleResources()
    this.samples++
    if (!this.#ranges) {
      this.#ranges = {
        rssBytes: { start: now.rssBytes, peak: now.rssBytes, end: now.rssBytes },
        heapUsedBytes: { start: now.heapUsedBytes, peak: now.heapUsedBytes, end: now.heapUsedBytes },
        handles: { start: now.handles, peak: now.handles, end: now.handles }
      }
      return
    }
    for (const figure of Object.keys(now) as Figure[]) {
      const range = this.#ranges[figure]
      range.peak = Math.max(range.peak, now[figure])
      range.end = now[figure]
    }
  }

  ranges(): ResourceRanges {
    if (!this.#ranges) throw new Error('no sample taken yet: call start() first')
    return this.#ranges
  }
}

/** Bytes as mebibytes, one decimal. */
export function toMb(bytes: number): number {
  return Math.round((bytes / 2 ** 20) * 10) / 10
}
