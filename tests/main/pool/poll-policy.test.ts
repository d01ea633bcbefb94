/**
 * A placement reading (`main/pool/poll-policy.ts`) is trusted for a moment, read again sooner when
 * a slow message distrusts it, and never takes more than its share of a side's time, however
 * often it is distrusted and whatever a read costs on the host. Time here is a fake clock that
 * each read advances by its cost. The poll window turns the event loop at most once per
 * `TURN_MS` while it waits, and stops turning at the first turn after the wait is over.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PLACEMENT_READ_SHARE, PLACEMENT_TRUSTED_MS, PlacementReading, POLL_MS, PollWindow, TURN_MS } from '../../../main/pool/poll-policy'

/** A reading on a fake clock whose reads cost `costOf(n)` ms each (n from 0) and answer `answer()`. */
function fakeReading(costOf: (n: number) => number, answer: () => boolean | undefined = () => false) {
  let now = 0
  let reads = 0
  let readTime = 0
  const reading = new PlacementReading(
    () => {
      const cost = costOf(reads++)
      now += cost
      readTime += cost
      return answer()
    },
    () => now
  )
  return {
    reading,
    /** Lets `ms` pass, then asks as a side does, distrusting the reading first when `slow`. */
    ask(ms: number, slow: boolean) {
      now += ms
      if (slow) reading.distrust()
      return reading.sharesCpu(now)
    },
    get now() {
      return now
    },
    get reads() {
      return reads
    },
    get readTime() {
      return readTime
    }
  }
}

describe('PlacementReading', () => {
  it('reads once per trusted period while nothing distrusts it', () => {
    const side = fakeReading(() => 0.002)
    for (let i = 0; i < 10_000; i++) side.ask(0.01, false)
    // 100 ms of asking every 10 µs: one read per period, not one per ask.
    expect(side.reads).toBeGreaterThanOrEqual(Math.floor(side.now / PLACEMENT_TRUSTED_MS) - 1)
    expect(side.reads).toBeLessThanOrEqual(Math.ceil(side.now / PLACEMENT_TRUSTED_MS) + 1)
  })

  it('reads again soon after a slow message, where reads are cheap', () => {
    const side = fakeReading(() => 0.002)
    for (let i = 0; i < 20; i++) side.ask(0.2, false)
    const before = side.reads
    // Every ask 0.2 ms apart and distrusted: well past the spacing 2 µs ÷ the share allows.
    for (let i = 0; i < 100; i++) side.ask(0.2, true)
    expect(side.reads - before).toBe(100)
  })

  it('sees a change of placement within a trusted period, or sooner once distrusted', () => {
    let shares = true
    const side = fakeReading(() => 0.004, () => shares)
    expect(side.ask(0, false)).toBe(true)
    shares = false
    let waited = 0
    while (side.ask(0.05, true) !== false) waited += 0.05
    expect(waited).toBeLessThan(PLACEMENT_TRUSTED_MS)
    shares = true
    waited = 0
    while (side.ask(0.05, false) !== true) waited += 0.05
    expect(waited).toBeLessThanOrEqual(PLACEMENT_TRUSTED_MS + 0.05)
  })

  it('takes at most its share of the time, or one read per trusted period where a read costs more, however often it is distrusted (property)', () => {
    fc.assert(
      fc.property(
        // A host's cost of a reading: 1 µs to 50 µs.
        fc.double({ min: 0.001, max: 0.05, noNaN: true }),
        fc.array(fc.record({ gap: fc.double({ min: 0, max: 0.3, noNaN: true }), slow: fc.boolean() }), { minLength: 50, maxLength: 400 }),
        (cost, asks) => {
          const side = fakeReading(() => cost)
          for (let round = 0; round < 20; round++) for (const { gap, slow } of asks) side.ask(gap, slow)
          const share = Math.max(PLACEMENT_READ_SHARE, cost / PLACEMENT_TRUSTED_MS)
          expect(side.readTime).toBeLessThanOrEqual(share * side.now * (1 + 1e-9) + cost)
        }
      ),
      { numRuns: 200 }
    )
  })

  it('after a reading the kernel preempted, reads again within a trusted period', () => {
    const side = fakeReading((n) => (n === 3 ? 5 : 0.002))
    for (let i = 0; i < 4; i++) side.ask(0.5, true)
    expect(side.reads).toBe(4)
    // That read took 5 ms: its spacing (250 ms) gives way to the trusted period.
    let waited = 0
    while (side.reads === 4) {
      side.ask(0.1, true)
      waited += 0.1
    }
    expect(waited).toBeLessThanOrEqual(PLACEMENT_TRUSTED_MS + 0.1 + 1e-9)
  })

  it('on a host where every message is slow, reads a fraction of the asks, not every one', () => {
    // A reading of 12 µs (two reads of /proc on the thirteenth session's host) and a round trip of
    // 80 µs, every one slower than SLOW_MS: before the spacing, every ask read again, 12 µs of each
    // side's CPU per round trip.
    const side = fakeReading(() => 0.012)
    for (let i = 0; i < 10_000; i++) side.ask(0.08, true)
    expect(side.readTime / side.now).toBeLessThanOrEqual(PLACEMENT_READ_SHARE * 1.1)
    expect(side.reads).toBeLessThan(10_000 / 3)
  })
})

describe('PollWindow', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  it('turns the event loop no sooner than TURN_MS after its last turn, each turn of Node’s loop being garbage', async () => {
    const gaps: number[] = []
    // Windows of 2 ms (open() takes the time it opens at), where Node's loop would turn every
    // 2–5 µs, until they have given 100 gaps between turns (a busy host gives fewer per window).
    while (gaps.length < 100) {
      const turnsAt: number[] = []
      const window = new PollWindow(() => {
        turnsAt.push(performance.now())
        return true
      })
      const until = performance.now() + 2 + POLL_MS
      window.open(until - POLL_MS)
      await sleep(10)
      gaps.push(...turnsAt.slice(1).map((at, i) => at - turnsAt[i]!))
      // It stopped turning at the window's end: every turn but the last came before it.
      expect(turnsAt.slice(0, -1).every((at) => at < until)).toBe(true)
    }
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(TURN_MS - 1e-9)
  })

  it('stops at the first turn after the wait is over, and opens again later', async () => {
    let waiting = true
    let turns = 0
    const window = new PollWindow(() => {
      turns++
      return waiting
    })
    waiting = false
    window.open()
    await sleep(5)
    expect(turns).toBe(1)
    waiting = true
    turns = 0
    window.open()
    await sleep(5)
    expect(turns).toBeGreaterThanOrEqual(1)
  })
})
