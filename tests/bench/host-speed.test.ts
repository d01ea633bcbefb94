import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { median } from '../../bench/stats'
import {
  arrayLoop,
  describeHostAtRest,
  HOST_LOOPS,
  hostAtRest,
  hostWarning,
  integerLoop,
  jsonLoop,
  spreadOf,
  unsteadyLoops,
  UNSTEADY_RATIO,
  type HostAtRest,
  type HostLoop,
  type LoopSpread
} from '../../bench/host-speed'

/** A host whose loops had these p10 and p90 (p50 between them). */
function hostOf(spreads: Record<HostLoop, [number, number]>): HostAtRest {
  const loops = Object.fromEntries(HOST_LOOPS.map((name) => {
    const [p10, p90] = spreads[name]
    return [name, { p10, p50: (p10 + p90) / 2, p90 }]
  })) as Record<HostLoop, LoopSpread>
  const series = Object.fromEntries(HOST_LOOPS.map((name) => [name, [loops[name].p10, loops[name].p90]])) as Record<HostLoop, number[]>
  return { seconds: 1, samples: 2, loops, series }
}

const steady: Record<HostLoop, [number, number]> = { integers: [400, 420], 'array 512 KB': [270, 290], JSON: [3600, 3800] }

describe('host at rest', () => {
  it('takes p10, p50 and p90 within the samples, in order, the p50 their median, and refuses none', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }), (values) => {
        const { p10, p50, p90 } = spreadOf(values)
        expect(Math.min(...values)).toBeLessThanOrEqual(p10)
        expect(p10).toBeLessThanOrEqual(p50)
        expect(p50).toBeLessThanOrEqual(p90)
        expect(p90).toBeLessThanOrEqual(Math.max(...values))
        expect(p50).toBe(median(values))
      })
    )
    expect(spreadOf([5, 1, 9, 3, 7, 2, 8, 4, 6, 10, 0])).toEqual({ p10: 1, p50: 5, p90: 9 })
    expect(() => spreadOf([])).toThrow(/no samples/)
  })

  it('warns where a memory loop changed speed at rest, and names it; not for the integer loop alone', () => {
    expect(hostWarning(hostOf(steady))).toBeUndefined()
    expect(hostWarning(hostOf({ ...steady, integers: [400, 800] }))).toBeUndefined()
    const warning = hostWarning(hostOf({ ...steady, 'array 512 KB': [270, 540] }))
    expect(warning).toMatch(/^warning: .*array 512 KB at changing speed/)
    expect(warning).not.toMatch(/JSON/)
    fc.assert(
      fc.property(
        fc.record({
          integers: fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 1, max: 3, noNaN: true })),
          'array 512 KB': fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 1, max: 3, noNaN: true })),
          JSON: fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 1, max: 3, noNaN: true }))
        }),
        (drawn) => {
          const host = hostOf(Object.fromEntries(HOST_LOOPS.map((name) => [name, [drawn[name][0], drawn[name][0] * drawn[name][1]]])) as Record<HostLoop, [number, number]>)
          const unsteady = HOST_LOOPS.filter((name) => host.loops[name].p90 >= UNSTEADY_RATIO * host.loops[name].p10)
          expect(unsteadyLoops(host)).toEqual(unsteady)
          const warning = hostWarning(host)
          expect(warning !== undefined).toBe(unsteady.some((name) => name !== 'integers'))
          for (const name of ['array 512 KB', 'JSON'] as const) if (warning) expect(warning.includes(name)).toBe(unsteady.includes(name))
        }
      )
    )
  })

  it('says each loop’s p10–p90, and how many times apart where it changed speed', () => {
    const line = describeHostAtRest(hostOf({ ...steady, JSON: [3600, 7200] }))
    expect(line).toBe('host at rest, p10–p90 of 2 samples over 1 s: integers 400–420 µs, array 512 KB 270–290 µs, JSON 3600–7200 µs (2.0×)')
  })

  it('times each loop on this host: every loop sampled as often, the spreads in order', async () => {
    const host = await hostAtRest(0.3)
    expect(host.samples).toBeGreaterThanOrEqual(1)
    for (const name of HOST_LOOPS) {
      expect(host.series[name]).toHaveLength(host.samples)
      const { p10, p50, p90 } = host.loops[name]
      expect(p10).toBeGreaterThan(0)
      expect(p10).toBeLessThanOrEqual(p50)
      expect(p50).toBeLessThanOrEqual(p90)
    }
  })

  it('runs loops whose results do not change from one call to the next', () => {
    expect(integerLoop()).toBe(integerLoop())
    expect(arrayLoop()).toBe(0)
    // The answer line parses and is written again as it was: 100 characters, 2,000 times.
    expect(jsonLoop()).toBe(2000 * 100)
  })
})
