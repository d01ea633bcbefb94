import type { ProcessUsage } from '../platform'

/** A process's CPU over the last window. */
export interface CpuRate {
  /** % of one core since the previous reading (can exceed 100 for multi-threaded processes). */
  cpuPercent: number
  /** CPU time spent so far, ms: read where the source has it, otherwise added up from percentages. */
  cpuTimeMs: number
}

interface Previous {
  cpuTimeMs: number
  atMs: number
}

/**
 * Turns successive readings of cumulative CPU time into percentages.
 *
 * A process seen for the first time gets its lifetime average (CPU time over age), which is what
 * `ps` shows and is far closer than 0 for a process found mid-run. Processes are told apart by pid
 * and start token, so a reused pid starts afresh. Sources that give only a percentage
 * (systeminformation) pass it through, and CPU time is added up from it.
 */
export class CpuRateTracker {
  private previous = new Map<string, Previous>()

  /**
   * Rates for one complete reading taken at `atMs` (epoch ms), in the same order. Processes absent
   * from this reading are forgotten.
   */
  update(readings: readonly ProcessUsage[], atMs: number): CpuRate[] {
    const next = new Map<string, Previous>()
    const rates = readings.map((reading) => {
      const key = `${reading.pid}:${reading.startToken ?? ''}`
      const before = this.previous.get(key)
      const rate = rateOf(reading, before, atMs)
      next.set(key, { cpuTimeMs: rate.cpuTimeMs, atMs })
      return rate
    })
    this.previous = next
    return rates
  }
}

function rateOf(reading: ProcessUsage, before: Previous | undefined, atMs: number): CpuRate {
  if (reading.cpuTimeMs === undefined) {
    const cpuPercent = Math.max(0, reading.cpuPercent ?? 0)
    const elapsedMs = before === undefined ? 0 : atMs - before.atMs
    return { cpuPercent, cpuTimeMs: (before?.cpuTimeMs ?? 0) + (cpuPercent / 100) * elapsedMs }
  }
  const cpuTimeMs = reading.cpuTimeMs
  if (before !== undefined && atMs > before.atMs) {
    return { cpuPercent: Math.max(0, ((cpuTimeMs - before.cpuTimeMs) / (atMs - before.atMs)) * 100), cpuTimeMs }
  }
  if (reading.ageMs !== undefined && reading.ageMs > 0) {
    return { cpuPercent: (cpuTimeMs / reading.ageMs) * 100, cpuTimeMs }
  }
  return { cpuPercent: 0, cpuTimeMs }
}
