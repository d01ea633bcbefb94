import { describe, expect, it } from 'vitest'
import { SamplingLoop, checkRateHz } from '../../../main/monitor/sampling-loop'
import { ManualClock } from './manual-clock'

/** A reading the test finishes by hand. */
function deferred(): { promise: Promise<number>; resolve: (value: number) => void; reject: (err: unknown) => void } {
  let resolve!: (value: number) => void
  let reject!: (err: unknown) => void
  const promise = new Promise<number>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Lets the reading's `finally` (and what it schedules) run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('SamplingLoop', () => {
  it('reads one interval after start, then one interval after each reading ends', async () => {
    const clock = new ManualClock()
    const times: number[] = []
    const loop = new SamplingLoop({ clock, intervalMs: 100, read: async () => times.push(clock.now()), onError: () => {} })
    const startedAt = clock.now()
    loop.start()
    expect(clock.nextDueMs).toBe(startedAt + 100)
    clock.advance(100)
    await settle()
    clock.advance(100)
    await settle()
    expect(times).toEqual([startedAt + 100, startedAt + 200])
    loop.stop()
    expect(clock.pendingCount).toBe(0)
  })

  it('reads at once on start when asked to', async () => {
    const clock = new ManualClock()
    let reads = 0
    const loop = new SamplingLoop({ clock, intervalMs: 500, readsAtStart: true, read: async () => ++reads, onError: () => {} })
    loop.start()
    expect(reads).toBe(1)
    await settle()
    expect(clock.nextDueMs).toBe(clock.now() + 500)
    loop.stop()
  })

  it('never overlaps readings: the next timer is armed only when a slow reading ends', async () => {
    const clock = new ManualClock()
    const slow = deferred()
    const loop = new SamplingLoop({ clock, intervalMs: 100, read: () => slow.promise, onError: () => {} })
    loop.start()
    clock.advance(100)
    expect(clock.pendingCount).toBe(0)
    clock.advance(1000)
    slow.resolve(1)
    await settle()
    expect(clock.nextDueMs).toBe(clock.now() + 100)
    loop.stop()
  })

  it('shares a reading in flight with readNow', async () => {
    const clock = new ManualClock()
    let reads = 0
    const loop = new SamplingLoop({ clock, intervalMs: 100, read: async () => ++reads, onError: () => {} })
    const [a, b] = await Promise.all([loop.readNow(), loop.readNow()])
    expect([a, b, reads]).toEqual([1, 1, 1])
  })

  it('applies a new interval at once, or reads now if that moment has passed', async () => {
    const clock = new ManualClock()
    const loop = new SamplingLoop({ clock, intervalMs: 10_000, read: async () => 0, onError: () => {} })
    loop.start()
    clock.advance(5000)
    loop.setIntervalMs(1000)
    expect(clock.nextDueMs).toBe(clock.now())
    loop.setIntervalMs(8000)
    expect(clock.nextDueMs).toBe(clock.now() + 3000)
    loop.stop()
  })

  it('tells a reading begun before stop that it is stale', async () => {
    const clock = new ManualClock()
    const slow = deferred()
    let isCurrent: (() => boolean) | undefined
    const loop = new SamplingLoop({
      clock,
      intervalMs: 100,
      read: (current) => {
        isCurrent = current
        return slow.promise
      },
      onError: () => {}
    })
    loop.start()
    clock.advance(100)
    expect(isCurrent?.()).toBe(true)
    loop.stop()
    expect(isCurrent?.()).toBe(false)
    slow.resolve(1)
    await settle()
    expect(clock.pendingCount).toBe(0)
  })

  it('reports a failed reading as an Error and goes on', async () => {
    const clock = new ManualClock()
    const errors: Error[] = []
    let reads = 0
    const loop = new SamplingLoop({
      clock,
      intervalMs: 100,
      read: async () => {
        reads += 1
        if (reads === 1) throw 'gone' // not an Error: the loop wraps it
        return reads
      },
      onError: (err) => errors.push(err)
    })
    loop.start()
    clock.advance(100)
    await settle()
    expect(errors.map((err) => err.message)).toEqual(['gone'])
    clock.advance(100)
    await settle()
    expect(reads).toBe(2)
    loop.stop()
  })

  it('says nothing of a reading that failed after stop', async () => {
    const clock = new ManualClock()
    const slow = deferred()
    const errors: Error[] = []
    const loop = new SamplingLoop({ clock, intervalMs: 100, read: () => slow.promise, onError: (err) => errors.push(err) })
    loop.start()
    clock.advance(100)
    loop.stop()
    slow.reject(new Error('late'))
    await settle()
    expect(errors).toEqual([])
  })
})

describe('checkRateHz', () => {
  it('accepts 0.1 to 10 Hz and refuses the rest, NaN included', () => {
    expect(checkRateHz(0.1)).toBe(0.1)
    expect(checkRateHz(10)).toBe(10)
    for (const rate of [0, 0.09, 10.5, Number.NaN]) expect(() => checkRateHz(rate)).toThrow(RangeError)
  })
})
