import os from 'node:os'
import { describe, expect, it } from 'vitest'
import { startCoreUsage, type ReadCpus } from '../../../../main/bench/analysis/core-usage'

function times(user: number, idle: number) {
  return { times: { user, nice: 0, sys: 0, idle, irq: 0 } }
}

/** A fake `os.cpus()` that returns each snapshot in turn. */
function snapshots(...readings: ReturnType<typeof times>[][]): ReadCpus {
  let next = 0
  return () => readings[Math.min(next++, readings.length - 1)]
}

describe('startCoreUsage', () => {
  it('returns one busy percentage per logical core, each within 0..100', () => {
    const window = startCoreUsage()
    let spin = 0
    for (let i = 0; i < 1e6; i++) spin += i
    expect(spin).toBeGreaterThan(0)
    const busy = window.stop()
    expect(busy).toHaveLength(os.cpus().length)
    for (const percent of busy) {
      expect(percent).toBeGreaterThanOrEqual(0)
      expect(percent).toBeLessThanOrEqual(100)
    }
  })

  it('computes busy time over total time from the counters’ deltas', () => {
    const read = snapshots([times(1000, 5000), times(0, 0)], [times(1750, 5250), times(100, 900)])
    // Core 0: 750 busy of 1000; core 1: 100 busy of 1000.
    expect(startCoreUsage(read).stop()).toEqual([75, 10])
  })

  it('reads a core whose counters did not move as idle', () => {
    const read = snapshots([times(10, 10)], [times(10, 10)])
    expect(startCoreUsage(read).stop()).toEqual([0])
  })

  it('reads a core that disappeared during the window as idle', () => {
    const read = snapshots([times(0, 0), times(0, 0)], [times(50, 50)])
    expect(startCoreUsage(read).stop()).toEqual([50, 0])
  })
})
