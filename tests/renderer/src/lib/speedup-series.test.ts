import { describe, expect, it } from 'vitest'
import { amdahlCurve, amdahlSpeedup, describeBaseline, describeProjection, reportTitle, speedupSeries } from '../../../../renderer/src/lib/speedup-series'
import { benchReport } from '../../fixtures'

describe('speedupSeries', () => {
  const series = speedupSeries(benchReport())

  it('orders measured points by worker count, with whiskers from the slowest and fastest runs', () => {
    expect(series.workers).toEqual([1, 2, 4])
    const four = series.measured[2]!
    expect(four.x).toBe(4)
    expect(four.y).toBeCloseTo(1000 / 300)
    expect(four.yMin).toBeCloseTo(1000 / 400)
    expect(four.yMax).toBeCloseTo(1000 / 250)
  })

  it('gives efficiency in percent, and splits projections into those on the chart and those beyond it', () => {
    expect(series.efficiency[2]!.y).toBeCloseTo((1000 / 300 / 4) * 100)
    expect(series.projected.map((p) => p.x)).toEqual([1, 2, 4])
    expect(series.projectedBeyond).toEqual([{ x: 8, y: 5.9 }])
    expect(describeProjection(series)).toBe('5.9× at 8 workers')
  })

  it('spans the worker axis over the measured counts, with ideal and Amdahl lines across it', () => {
    expect(series.xMax).toBe(4)
    expect(series.ideal).toEqual([
      { x: 1, y: 1 },
      { x: 4, y: 4 }
    ])
    expect(series.amdahl[0]).toEqual({ x: 1, y: 1 })
    expect(series.amdahl[series.amdahl.length - 1]!.x).toBe(4)
    expect(series.amdahl[series.amdahl.length - 1]!.y).toBeCloseTo(amdahlSpeedup(0.05, 4))
  })

  it('makes the speedup axis tall enough for every whisker and the ideal line up to the largest measured count', () => {
    expect(series.yMax).toBeCloseTo(4)
    const superLinear = speedupSeries(benchReport({ results: [{ ...benchReport().results[0]!, workers: 4, minMs: 100 }] }))
    expect(superLinear.yMax).toBeCloseTo(10)
  })
})

describe('amdahlSpeedup', () => {
  it('is 1 for one worker, n with no serial part, and bounded by 1/f', () => {
    expect(amdahlSpeedup(0.3, 1)).toBeCloseTo(1)
    expect(amdahlSpeedup(0, 16)).toBeCloseTo(16)
    expect(amdahlSpeedup(0.1, 1_000_000)).toBeCloseTo(10, 3)
    expect(amdahlCurve(0.1, 2, 2)).toEqual([{ x: 2, y: amdahlSpeedup(0.1, 2) }])
  })
})

describe('report wording', () => {
  it('states the baseline the speedups divide by', () => {
    expect(describeBaseline(benchReport())).toBe(
      "Baseline: task heavy-sum in one process without a pool — median 1000.0 ms over 3 timed runs (min 990.0, max 1010.0 ms) on 4 cores. Every speedup is this median divided by the series' median."
    )
  })

  it('names a report by its task or command', () => {
    expect(reportTitle(benchReport())).toBe('heavy-sum')
    expect(reportTitle(benchReport({ task: undefined, command: 'make -j{workers}' }))).toBe('make -j{workers}')
  })
})
