import { describe, expect, it } from 'vitest'
import type { ProcessUsage } from '../../../main/platform'
import { CpuRateTracker } from '../../../main/monitor/cpu-rate-tracker'

function usage(pid: number, fields: Partial<ProcessUsage>): ProcessUsage {
  return { pid, cpuTimeMs: 0, cpuPercent: undefined, rssBytes: 1, ageMs: undefined, startToken: 's', state: 'running', ...fields }
}

describe('CpuRateTracker', () => {
  it('gives a new process its lifetime average', () => {
    const [rate] = new CpuRateTracker().update([usage(1, { cpuTimeMs: 500, ageMs: 1000 })], 0)
    expect(rate).toEqual({ cpuPercent: 50, cpuTimeMs: 500 })
  })

  it('gives a known process its CPU over the window since the last reading', () => {
    const tracker = new CpuRateTracker()
    tracker.update([usage(1, { cpuTimeMs: 1000 })], 10_000)
    expect(tracker.update([usage(1, { cpuTimeMs: 1750 })], 11_000)).toEqual([{ cpuPercent: 75, cpuTimeMs: 1750 }])
  })

  it('starts afresh when a pid is reused by another process', () => {
    const tracker = new CpuRateTracker()
    tracker.update([usage(1, { cpuTimeMs: 5000, startToken: 'old' })], 0)
    const [rate] = tracker.update([usage(1, { cpuTimeMs: 100, ageMs: 200, startToken: 'new' })], 1000)
    expect(rate.cpuPercent).toBe(50)
  })

  it('adds up CPU time from percentages when the source gives no times', () => {
    const tracker = new CpuRateTracker()
    tracker.update([usage(1, { cpuTimeMs: undefined, cpuPercent: 100 })], 0)
    expect(tracker.update([usage(1, { cpuTimeMs: undefined, cpuPercent: 50 })], 2000)).toEqual([{ cpuPercent: 50, cpuTimeMs: 1000 }])
  })

  it('forgets processes missing from a reading', () => {
    const tracker = new CpuRateTracker()
    tracker.update([usage(1, { cpuTimeMs: 1000 })], 0)
    tracker.update([], 1000)
    expect(tracker.update([usage(1, { cpuTimeMs: 1000 })], 2000)[0].cpuPercent).toBe(0)
  })
})
