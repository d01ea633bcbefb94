/**
 * Per-core busy percentage over a window of time, from the kernel's cumulative CPU time counters
 * (`os.cpus()[i].times`). Two snapshots and a subtraction: exact over the window (no sampling
 * gaps), cheap, the same code on Linux, macOS and Windows, and it counts every process on the
 * machine, so a benchmarked command's whole process tree is included without tracking its pids.
 * The flip side is that other programs' load is counted too; the runner's baseline check is there
 * to notice it.
 */
import os from 'node:os'

/** What `os.cpus()` returns; injected by tests. */
export type ReadCpus = () => Pick<os.CpuInfo, 'times'>[]

/** A window opened by {@link startCoreUsage}. */
export interface CoreUsageWindow {
  /**
   * Closes the window: busy % (0..100) of each logical core since the window opened, one value per
   * core. A core whose counters did not move (a window shorter than the kernel's tick) reads 0.
   */
  stop(): number[]
}

function totalMs(times: os.CpuInfo['times']): number {
  return times.user + times.nice + times.sys + times.idle + times.irq
}

/** Opens a window now; call `stop()` on the result to read each core's busy % since. */
export function startCoreUsage(readCpus: ReadCpus = os.cpus): CoreUsageWindow {
  const before = readCpus().map((cpu) => ({ ...cpu.times }))
  return {
    stop(): number[] {
      const after = readCpus()
      return before.map((start, core) => {
        // A core taken offline mid-window has no second reading: report it idle rather than guess.
        const end = after[core]?.times
        if (end === undefined) return 0
        const elapsed = totalMs(end) - totalMs(start)
        if (elapsed <= 0) return 0
        const busy = elapsed - (end.idle - start.idle)
        return Math.min(100, Math.max(0, (busy / elapsed) * 100))
      })
    }
  }
}
