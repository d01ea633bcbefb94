import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { MONITOR_CAPACITY, useMonitorStore } from '../../../../renderer/src/stores/use-monitor-store'
import { sample } from '../../fixtures'

describe('useMonitorStore', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('accepts only samples newer than the last, ticking its version for each', () => {
    const monitor = useMonitorStore()
    expect(monitor.ingest(sample(1000), 5)).toBe(true)
    expect(monitor.ingest(sample(1000), 6)).toBe(false)
    expect(monitor.ingest(sample(900), 7)).toBe(false)
    expect(monitor.version).toBe(1)
    expect(monitor.receivedAt).toBe(5)
    expect(monitor.latest?.t).toBe(1000)
  })

  it('merges history that arrives after live samples, in time order without duplicates', () => {
    const monitor = useMonitorStore()
    monitor.ingest(sample(3000))
    monitor.seed([sample(1000), sample(2000), sample(3000)])
    expect(monitor.samples.toArray().map((s) => s.t)).toEqual([1000, 2000, 3000])
    expect(monitor.latest?.t).toBe(3000)
  })

  it('holds a bounded number of samples: an hour at 10 Hz keeps only the last window', () => {
    const monitor = useMonitorStore()
    const cores = Array.from({ length: 128 }, () => 50)
    for (let i = 0; i < 36_000; i++) monitor.ingest(sample(i * 100, cores))
    expect(monitor.samples.length).toBe(MONITOR_CAPACITY)
    expect(monitor.samples.at(0)!.t).toBe((36_000 - MONITOR_CAPACITY) * 100)
  })

  it('indexes the latest per-process figures by pid', () => {
    const monitor = useMonitorStore()
    monitor.ingestProcesses({ t: 1, processes: [{ pid: 7, cpuPercent: 12, rssBytes: 1024 }] })
    expect(monitor.processes.get(7)?.cpuPercent).toBe(12)
  })
})
