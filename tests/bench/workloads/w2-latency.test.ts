import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formats, type Metric, type Row, type Section } from '../../../bench/report'
import { w2Targets, warmUpCount } from '../../../bench/workloads/w2-latency'

const p50: Metric = { key: 'p50', label: 'p50', better: 'lower', format: formats.micros }
const p99: Metric = { key: 'p99', label: 'p99', better: 'lower', format: formats.micros }
const GROUP = '2,000 sequential tasks'

/** A W2 section whose contenders have these p50s and p99s over their runs. */
function sectionOf(runs: Record<string, { p50: number[]; p99: number[] }>): Section {
  const rows: Row[] = Object.entries(runs).flatMap(([contenderId, values]) =>
    [p50, p99].map((metric) => ({ group: GROUP, contenderId, label: contenderId, metric, values: values[metric.key as 'p50' | 'p99'], isReference: contenderId === 'poolscope-process' }))
  )
  return { id: 'w2', title: 'latency', notes: [], rows, targets: [] }
}

describe('W2 targets', () => {
  it('judges p50 against the best process peer, p99 against workerpool, and shows the host’s own spread beside PoolScope’s', () => {
    const [median, tail, spread] = w2Targets(
      sectionOf({
        'poolscope-process': { p50: [60, 70, 80], p99: [300, 320, 500] },
        workerpool: { p50: [90, 100, 110], p99: [400, 410, 420] },
        tinypool: { p50: [200, 220, 240], p99: [800, 810, 820] },
        python: { p50: [380, 390, 400], p99: [1000, 1100, 1200] },
        piscina: { p50: [40, 50, 60], p99: [200, 250, 300] },
        'raw-fork': { p50: [70, 80, 100], p99: [250, 300, 350] }
      })
    )
    expect(median).toMatchObject({ measured: 'PoolScope 70.0 µs vs workerpool 100 µs', isMet: true })
    expect(tail).toMatchObject({ measured: 'PoolScope 320 µs vs workerpool 410 µs', isMet: true })
    // (80 − 60) ÷ 70 = 29 %; workerpool 20 %, piscina 40 %, the floor (100 − 70) ÷ 80 = 38 %.
    expect(spread).toMatchObject({
      target: 'p50 spread between runs under 30 %',
      measured: '29 % (PoolScope process; in the same runs workerpool 20 %, piscina 40 %, the plain fork floor 38 %)',
      isMet: true
    })
  })

  it('misses where PoolScope is slower or its runs disagree, and leaves out what was not measured', () => {
    const [median, tail, spread] = w2Targets(
      sectionOf({
        'poolscope-process': { p50: [50, 70, 90], p99: [450, 500, 550] },
        workerpool: { p50: [60, 65, 70], p99: [400, 410, 420] }
      })
    )
    expect(median.isMet).toBe(false)
    expect(tail.isMet).toBe(false)
    expect(spread).toMatchObject({ measured: '57 % (PoolScope process; in the same runs workerpool 15 %)', isMet: false })
  })

  it('says n/a rather than met or missed where PoolScope’s own rows are missing', () => {
    const targets = w2Targets(sectionOf({ workerpool: { p50: [60], p99: [400] } }))
    expect(targets.map((t) => t.isMet)).toEqual([undefined, undefined, undefined])
  })
})

describe('BENCH_W2_WARM_UP', () => {
  it('gives 8,000 untimed round trips unless set, and takes any whole number', () => {
    expect(warmUpCount(undefined)).toBe(8_000)
    expect(warmUpCount('')).toBe(8_000)
    expect(warmUpCount('0')).toBe(0)
    expect(warmUpCount('2000')).toBe(2_000)
  })

  it('refuses by name anything that is not a whole number of round trips', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((text) => !/^\d+$/.test(text)),
        (text) => {
          expect(() => warmUpCount(text)).toThrow(`BENCH_W2_WARM_UP: "${text}" is not a whole number of round trips`)
        }
      )
    )
    for (const text of ['-1', '1.5', '1e3', ' 5', '0x10', '9007199254740993']) expect(() => warmUpCount(text)).toThrow(/^BENCH_W2_WARM_UP: /)
  })
})
