import { describe, expect, it } from 'vitest'
import { DecimatingSeries } from '../../../../renderer/src/lib/decimating-series'

describe('DecimatingSeries', () => {
  it('keeps every point until the capacity is reached', () => {
    const series = new DecimatingSeries(1, 10)
    for (let x = 0; x < 10; x++) series.append(x, [x])
    expect(series.series[0]!.map((p) => p.x)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(series.currentStride).toBe(1)
  })

  it('halves its resolution instead of growing past the capacity', () => {
    const series = new DecimatingSeries(1, 10)
    for (let x = 0; x < 11; x++) series.append(x, [x])
    expect(series.currentStride).toBe(2)
    expect(series.series[0]!.map((p) => p.x)).toEqual([0, 2, 4, 6, 8, 10])
  })

  it('stays bounded and evenly spaced over a very long run, ending at the newest sample', () => {
    const series = new DecimatingSeries(2, 600)
    const total = 36_000 // an hour at 10 updates a second
    for (let x = 0; x < total; x++) series.append(x, [x, -x])
    const xs = series.series[0]!.map((p) => p.x)
    expect(xs.length).toBeLessThanOrEqual(601)
    expect(xs[0]).toBe(0)
    expect(xs[xs.length - 1]).toBe(total - 1)
    const gaps = new Set(xs.slice(1, -1).map((x, i) => x - xs[i]!))
    expect(gaps.size).toBe(1)
    expect(series.series[1]!.map((p) => -p.y)).toEqual(xs)
  })

  it('replaces the provisional newest point rather than piling them up', () => {
    const series = new DecimatingSeries(1, 4)
    for (let x = 0; x < 5; x++) series.append(x, [x]) // compacts to stride 2: 0, 2, 4
    series.append(5, [5]) // off the grid: shown provisionally
    series.append(6, [6]) // on the grid: replaces the provisional 5
    expect(series.series[0]!.map((p) => p.x)).toEqual([0, 2, 4, 6])
  })

  it('clears in place back to full resolution', () => {
    const series = new DecimatingSeries(1, 4)
    const held = series.series[0]
    for (let x = 0; x < 20; x++) series.append(x, [x])
    series.clear()
    expect(series.series[0]).toBe(held)
    expect(held).toEqual([])
    expect(series.currentStride).toBe(1)
  })
})
