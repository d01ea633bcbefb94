import { describe, expect, it } from 'vitest'
import { analyseBench, effectiveProcessors } from '../../../../main/bench/analysis/bench-analysis'
import { amdahlSpeedup } from '../../../../main/bench/analysis/statistics'

const busy = [50, 50]

describe('effectiveProcessors', () => {
  it('caps the worker count at the core count', () => {
    expect(effectiveProcessors(8, 2)).toBe(2)
    expect(effectiveProcessors(2, 8)).toBe(2)
  })
})

describe('analyseBench', () => {
  it('turns run times into speedup, efficiency and Karp–Flatt per worker count', () => {
    const analysis = analyseBench(
      { runsMs: [1000, 990, 1010], coreBusyPercent: busy },
      [
        { workers: 1, runsMs: [1000, 1000, 1000], coreBusyPercent: busy },
        { workers: 2, runsMs: [625, 620, 630], coreBusyPercent: busy }
      ],
      2
    )
    expect(analysis.baseline.medianMs).toBe(1000)
    expect(analysis.results[1]).toMatchObject({ workers: 2, medianMs: 625, speedup: 1.6, efficiency: 0.8 })
    expect(analysis.results[1].karpFlatt).toBeCloseTo(0.25, 12)
    expect(analysis.results[0].karpFlatt).toBeUndefined()
  })

  it('fits Amdahl’s law and projects to two and four times the core count', () => {
    const f = 0.2
    const series = [2, 4].map((n) => ({ workers: n, runsMs: [1000 / amdahlSpeedup(f, n)], coreBusyPercent: [] }))
    const analysis = analyseBench({ runsMs: [1000], coreBusyPercent: [] }, series, 4)
    expect(analysis.amdahl.serialFraction).toBeCloseTo(f, 6)
    expect(analysis.amdahl.projected.map((p) => p.workers)).toEqual([8, 16])
    expect(analysis.amdahl.projected[1].speedup).toBeCloseTo(amdahlSpeedup(f, 16), 5)
  })

  it('counts workers beyond the core count as the cores they share for Karp–Flatt', () => {
    // 8 workers on 2 cores at 1.9×: a small serial fraction on 2 processors, not a large one on 8.
    const analysis = analyseBench(
      { runsMs: [1900], coreBusyPercent: [] },
      [{ workers: 8, runsMs: [1000], coreBusyPercent: [] }],
      2
    )
    expect(analysis.results[0].karpFlatt).toBeCloseTo((1 / 1.9 - 1 / 2) / (1 - 1 / 2), 12)
    expect(analysis.results[0].efficiency).toBeCloseTo(1.9 / 8, 12)
  })

  it('reports a serial fraction of 1 when no run could use more than one core', () => {
    const analysis = analyseBench({ runsMs: [100], coreBusyPercent: [] }, [{ workers: 1, runsMs: [100], coreBusyPercent: [] }], 1)
    expect(analysis.amdahl.serialFraction).toBe(1)
    expect(analysis.amdahl.projected).toEqual([
      { workers: 2, speedup: 1 },
      { workers: 4, speedup: 1 }
    ])
  })
})
