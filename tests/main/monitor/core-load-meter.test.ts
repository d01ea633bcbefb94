import { cpus, type CpuInfo } from 'node:os'
import { describe, expect, it } from 'vitest'
import { CoreLoadMeter } from '../../../main/monitor/core-load-meter'

function core(busyMs: number, idleMs: number): CpuInfo {
  return { model: 'test', speed: 0, times: { user: busyMs, nice: 0, sys: 0, idle: idleMs, irq: 0 } }
}

describe('CoreLoadMeter', () => {
  it('reads one busy percentage per logical core', () => {
    const busy = new CoreLoadMeter().read()
    expect(busy).toHaveLength(cpus().length)
    for (const percent of busy) expect(percent).toBeGreaterThanOrEqual(0)
    for (const percent of busy) expect(percent).toBeLessThanOrEqual(100)
  })

  it('measures busy time over the window since the previous reading', () => {
    let now = [core(100, 900), core(0, 1000)]
    const meter = new CoreLoadMeter(() => now)
    now = [core(175, 925), core(0, 1100)]
    expect(meter.read()).toEqual([75, 0])
    now = [core(200, 1000), core(50, 1150)]
    expect(meter.read()).toEqual([25, 50])
  })

  it('keeps the old baseline for a core whose counters did not move', () => {
    let now = [core(0, 0)]
    const meter = new CoreLoadMeter(() => now)
    expect(meter.read()).toEqual([0])
    now = [core(30, 10)]
    expect(meter.read()).toEqual([75])
  })
})
