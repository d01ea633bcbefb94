import { once } from 'node:events'
import { cpus } from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import type { MonitorSample } from '../../../shared/contract'
import { SystemSampler } from '../../../main/monitor/system-sampler'
import { ManualClock } from './manual-clock'

let sampler: SystemSampler | undefined

afterEach(() => {
  sampler?.stop()
  sampler = undefined
})

/** Moves the clock by `ms` and waits for the sample that falls due. */
async function nextSample(s: SystemSampler, clock: ManualClock, ms: number): Promise<MonitorSample> {
  const sample = once(s, 'sample')
  clock.advance(ms)
  return (await sample)[0] as MonitorSample
}

describe('SystemSampler', () => {
  it('emits samples with one busy percentage per core, memory and load average', async () => {
    const clock = new ManualClock()
    sampler = new SystemSampler({ clock })
    sampler.start()
    const sample = await nextSample(sampler, clock, 1000)
    expect(sample.t).toBe(clock.now())
    expect(sample.cores).toHaveLength(cpus().length)
    expect(sample.totalPercent).toBeGreaterThanOrEqual(0)
    expect(sample.totalPercent).toBeLessThanOrEqual(100)
    expect(sample.memTotalBytes).toBeGreaterThan(0)
    expect(sample.memUsedBytes).toBeGreaterThan(0)
    expect(sample.loadAvg).toHaveLength(3)
    expect(sample.samplerCpuPercent).toBeGreaterThanOrEqual(0)
  })

  it('samples at 1 Hz by default and at a new rate as soon as it is changed', async () => {
    const clock = new ManualClock()
    sampler = new SystemSampler({ clock })
    sampler.start()
    expect(sampler.rateHz).toBe(1)
    const first = await nextSample(sampler, clock, 1000)

    sampler.setRate(10)
    expect(clock.nextDueMs).toBe(first.t + 100)
    const times: number[] = []
    for (let i = 0; i < 10; i++) times.push((await nextSample(sampler, clock, 100)).t)
    expect(times.map((t, i) => t - (i === 0 ? first.t : times[i - 1]))).toEqual(new Array(10).fill(100))

    sampler.setRate(0.5)
    expect(clock.nextDueMs).toBe(times[9] + 2000)
  })

  it('samples at once after slowing down past a moment already gone', async () => {
    const clock = new ManualClock()
    sampler = new SystemSampler({ clock, rateHz: 0.1 })
    sampler.start()
    clock.advance(5000)
    const sample = once(sampler, 'sample')
    sampler.setRate(1)
    expect(clock.nextDueMs).toBe(clock.now())
    clock.advance(0)
    await sample
  })

  it('leaves no timer behind and emits nothing after stop', async () => {
    const clock = new ManualClock()
    sampler = new SystemSampler({ clock, rateHz: 10 })
    const seen: MonitorSample[] = []
    sampler.on('sample', (s) => seen.push(s))
    sampler.start()
    await nextSample(sampler, clock, 100)
    sampler[Symbol.dispose]()
    expect(sampler.isRunning).toBe(false)
    expect(clock.pendingCount).toBe(0)
    clock.advance(10_000)
    expect(seen).toHaveLength(1)
  })

  it('keeps the last minutes for a window opened late, and only those', async () => {
    const clock = new ManualClock()
    sampler = new SystemSampler({ clock, historyMs: 5000 })
    sampler.start()
    const times: number[] = []
    for (let i = 0; i < 8; i++) times.push((await nextSample(sampler, clock, 1000)).t)
    expect(sampler.history().map((s) => s.t)).toEqual(times.slice(3))
    expect(sampler.history(times[5]).map((s) => s.t)).toEqual(times.slice(6))
  })

  it('bounds its history at the window size even at the fastest rate', async () => {
    const clock = new ManualClock()
    sampler = new SystemSampler({ clock, rateHz: 10, historyMs: 1000 })
    sampler.start()
    for (let i = 0; i < 25; i++) await nextSample(sampler, clock, 100)
    expect(sampler.history()).toHaveLength(10)
  })

  it('refuses rates outside 0.1 to 10 Hz', () => {
    expect(() => new SystemSampler({ rateHz: 0 })).toThrow(RangeError)
    sampler = new SystemSampler()
    expect(() => sampler?.setRate(11)).toThrow(RangeError)
    expect(() => sampler?.setRate(Number.NaN)).toThrow(RangeError)
    expect(sampler.rateHz).toBe(1)
  })
})
