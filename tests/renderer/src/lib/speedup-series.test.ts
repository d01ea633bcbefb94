import { describe, expect, it } from 'vitest'
import {
  amdahlCurve,
  amdahlSpeedup,
  chartCaption,
  compareReports,
  describeBaseline,
  describeBenchStep,
  describeProjection,
  reportTitle,
  speedupSeries
} from '../../../../renderer/src/lib/speedup-series'
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

  it('pads the worker axis around the measured counts instead of starting it at 0', () => {
    expect(series.xAxis.min).toBeCloseTo(0.75)
    expect(series.xAxis.max).toBeCloseTo(4.25)
    const two = speedupSeries(benchReport({ results: benchReport().results.filter((r) => r.workers <= 2) }))
    expect(two.xAxis).toEqual({ min: 0.75, max: 2.25 })
    const wide = speedupSeries(benchReport({ results: [1, 64].map((workers) => ({ ...benchReport().results[1]!, workers })) }))
    expect(wide.xAxis.min).toBe(0)
    expect(wide.xAxis.max).toBeCloseTo(64 + 63 * 0.04)
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

describe('compareReports', () => {
  it('lines up the baseline and every worker count either report measured, comparing median times', () => {
    const first = benchReport()
    const second = benchReport({
      id: 'b-2',
      baseline: { ...benchReport().baseline, medianMs: 800 },
      results: [{ ...benchReport().results[2]!, medianMs: 400, speedup: 2 }, { ...benchReport().results[1]!, workers: 8, medianMs: 200, speedup: 4 }]
    })
    const rows = compareReports(first, second)
    expect(rows.map((r) => r.workers)).toEqual([undefined, 1, 2, 4, 8])
    expect(rows[0]).toEqual({ workers: undefined, medianMs: [1000, 800], speedup: [1, 1], ratio: 1.25 })
    expect(rows[2]).toMatchObject({ workers: 2, medianMs: [520, 400], ratio: 1.3 })
    expect(rows[1]).toMatchObject({ workers: 1, medianMs: [1050, undefined], ratio: undefined })
    expect(rows[4]).toMatchObject({ workers: 8, speedup: [undefined, 4], ratio: undefined })
  })
})

describe('report wording', () => {
  it('says where a running benchmark is, the baseline reporting 0 workers', () => {
    expect(describeBenchStep(undefined)).toBe('Starting…')
    const base = { benchId: 'b', done: 0, total: 12 }
    expect(describeBenchStep({ ...base, phase: 'warmup', workers: 0, run: 1, of: 1 })).toBe('baseline · warm-up 1 of 1')
    expect(describeBenchStep({ ...base, phase: 'baseline', workers: 0, run: 2, of: 3 })).toBe('baseline · timed run 2 of 3')
    expect(describeBenchStep({ ...base, phase: 'run', workers: 1, run: 3, of: 3 })).toBe('1 worker · timed run 3 of 3')
    expect(describeBenchStep({ ...base, phase: 'run', workers: 4, run: 1, of: 3 })).toBe('4 workers · timed run 1 of 3')
  })

  it('states the baseline the speedups divide by', () => {
    expect(describeBaseline(benchReport())).toBe(
      "Baseline: task heavy-sum in one process without a pool — median 1000.0 ms over 3 timed runs (min 990.0, max 1010.0 ms) on 4 cores. Every speedup is this median divided by the series' median."
    )
  })

  it('captions a saved chart with what ran, its parameters, the cores, the runs and when', () => {
    expect(chartCaption(benchReport())).toBe('heavy-sum (process) · n=1000 · 4 cores · 3 runs each · 2026-11-24 10:00 UTC')
    expect(chartCaption(benchReport({ task: undefined, backend: undefined, command: 'make -j{workers}', params: { shell: true } }))).toBe(
      'make -j{workers} · through the shell · 4 cores · 3 runs each · 2026-11-24 10:00 UTC'
    )
  })

  it('names a report by its task or command', () => {
    expect(reportTitle(benchReport())).toBe('heavy-sum')
    expect(reportTitle(benchReport({ task: undefined, command: 'make -j{workers}' }))).toBe('make -j{workers}')
  })
})
