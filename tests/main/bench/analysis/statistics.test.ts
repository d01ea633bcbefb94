import { describe, expect, it } from 'vitest'
import {
  amdahlSpeedup,
  coefficientOfVariation,
  efficiency,
  findOutliers,
  fitAmdahl,
  isWideSpread,
  karpFlatt,
  max,
  mean,
  median,
  min,
  modifiedZScores,
  sampleStddev,
  seriesStats,
  speedup
} from '../../../../main/bench/analysis/statistics'

describe('summary statistics', () => {
  it('takes the middle value of an odd count and the mean of the two middle values of an even count', () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([7])).toBe(7)
  })

  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2]
    median(values)
    expect(values).toEqual([3, 1, 2])
  })

  it('finds min, max and mean', () => {
    expect(min([4, -2, 9])).toBe(-2)
    expect(max([4, -2, 9])).toBe(9)
    expect(mean([1, 2, 3, 4])).toBe(2.5)
  })

  it('computes the sample standard deviation with n − 1 in the divisor', () => {
    // Mean 5, squared deviations sum to 32, 32 / 7 under the root.
    expect(sampleStddev([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12)
    expect(sampleStddev([1, 3])).toBeCloseTo(Math.SQRT2, 12)
  })

  it('reports no spread for a single value', () => {
    expect(sampleStddev([42])).toBe(0)
  })

  it('refuses an empty list instead of returning NaN', () => {
    expect(() => median([])).toThrow(RangeError)
    expect(() => mean([])).toThrow(RangeError)
  })

  it('summarises a series into the contract’s SeriesStats', () => {
    expect(seriesStats([100, 110, 120])).toEqual({
      medianMs: 110,
      minMs: 100,
      maxMs: 120,
      meanMs: 110,
      stddevMs: 10,
      runsMs: [100, 110, 120]
    })
  })
})

describe('outliers', () => {
  it('scores each value by 0.6745·(x − median)/MAD', () => {
    // Median 3, absolute deviations [2, 1, 0, 1, 7] → MAD 1.
    expect(modifiedZScores([1, 2, 3, 4, 10])).toEqual([-2, -1, 0, 1, 7].map((d) => 0.6745 * d))
  })

  it('flags a run far from the others and none of the typical ones', () => {
    expect(findOutliers([800, 805, 810, 795, 1234])).toEqual([4])
  })

  it('does not flag ordinary jitter', () => {
    expect(findOutliers([100, 110, 120])).toEqual([])
  })

  it('falls back to the mean absolute deviation when more than half the runs are identical', () => {
    // MAD is 0 here; the fallback still tells a big jump from a one-millisecond tick.
    expect(findOutliers([100, 100, 100, 100, 150])).toEqual([4])
    expect(findOutliers([100, 100, 101])).toEqual([])
  })

  it('finds no outliers in identical runs or in fewer than three runs', () => {
    expect(findOutliers([5, 5, 5, 5])).toEqual([])
    expect(findOutliers([1, 1000])).toEqual([])
  })
})

describe('spread', () => {
  it('calls a series wide when its standard deviation exceeds 10 % of its mean', () => {
    expect(coefficientOfVariation({ meanMs: 200, stddevMs: 30 })).toBeCloseTo(0.15, 12)
    expect(isWideSpread({ meanMs: 200, stddevMs: 30 })).toBe(true)
    expect(isWideSpread({ meanMs: 200, stddevMs: 20 })).toBe(false)
  })
})

describe('parallel metrics', () => {
  it('divides the baseline median by the N-worker median for speedup', () => {
    expect(speedup(1000, 250)).toBe(4)
  })

  it('refuses a zero duration rather than reporting an infinite speedup', () => {
    expect(() => speedup(1000, 0)).toThrow(RangeError)
  })

  it('divides speedup by the worker count for efficiency', () => {
    expect(efficiency(3, 4)).toBe(0.75)
  })

  it('computes the Karp–Flatt serial fraction', () => {
    // (1/1.6 − 1/2) / (1 − 1/2) = 0.125 / 0.5
    expect(karpFlatt(1.6, 2)).toBeCloseTo(0.25, 12)
    // Perfect scaling has no serial part.
    expect(karpFlatt(4, 4)).toBeCloseTo(0, 12)
  })

  it('leaves Karp–Flatt undefined for one worker', () => {
    expect(karpFlatt(1, 1)).toBeUndefined()
  })

  it('applies Amdahl’s law', () => {
    expect(amdahlSpeedup(0, 8)).toBe(8)
    expect(amdahlSpeedup(1, 8)).toBe(1)
    expect(amdahlSpeedup(0.1, 4)).toBeCloseTo(1 / (0.1 + 0.9 / 4), 12)
  })
})

describe('Amdahl fit', () => {
  const points = (f: number, counts: number[]) => counts.map((n) => ({ workers: n, speedup: amdahlSpeedup(f, n) }))

  it('recovers the serial fraction that generated exact speedups', () => {
    expect(fitAmdahl(points(0.1, [1, 2, 4, 8]))).toBeCloseTo(0.1, 8)
    expect(fitAmdahl(points(0.37, [2, 3, 16]))).toBeCloseTo(0.37, 8)
  })

  it('recovers a fraction near the truth from noisy speedups', () => {
    const noisy = points(0.2, [2, 4, 8]).map((p, i) => ({ ...p, speedup: p.speedup * (i % 2 === 0 ? 1.01 : 0.99) }))
    expect(fitAmdahl(noisy)).toBeGreaterThan(0.18)
    expect(fitAmdahl(noisy)).toBeLessThan(0.22)
  })

  it('clamps to 0 for superlinear speedups and to 1 for slowdowns', () => {
    expect(fitAmdahl([{ workers: 2, speedup: 2.4 }])).toBe(0)
    expect(fitAmdahl([{ workers: 2, speedup: 0.7 }])).toBe(1)
  })

  it('has nothing to fit without a point above one worker', () => {
    expect(fitAmdahl([{ workers: 1, speedup: 0.95 }])).toBeUndefined()
    expect(fitAmdahl([])).toBeUndefined()
  })
})
