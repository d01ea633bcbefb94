import { describe, expect, it } from 'vitest'
import { SeriesWindow } from '../../../../renderer/src/lib/series-window'

describe('SeriesWindow', () => {
  it('appends one point per series at the same x', () => {
    const window = new SeriesWindow(2, 1000, 100)
    window.append(10, [1, 2])
    expect(window.series).toEqual([[{ x: 10, y: 1 }], [{ x: 10, y: 2 }]])
    expect(window.newestX).toBe(10)
  })

  it('ignores points that are not newer than the newest, so overlapping history replays harmlessly', () => {
    const window = new SeriesWindow(1, 1000, 100)
    expect(window.append(10, [1])).toBe(true)
    expect(window.append(10, [2])).toBe(false)
    expect(window.append(5, [3])).toBe(false)
    expect(window.series[0]).toEqual([{ x: 10, y: 1 }])
  })

  it('drops points older than the window when trimmed', () => {
    const window = new SeriesWindow(1, 100, 1000)
    for (let x = 0; x <= 300; x += 50) window.append(x, [x])
    window.trim()
    expect(window.series[0]!.map((p) => p.x)).toEqual([200, 250, 300])
  })

  it('caps each series at maxPoints whatever the window', () => {
    const window = new SeriesWindow(1, 1_000_000, 3)
    for (let x = 0; x < 10; x++) window.append(x, [x])
    window.trim()
    expect(window.series[0]!.map((p) => p.x)).toEqual([7, 8, 9])
  })

  it('mutates the same arrays in place, which is what keeps chart.js datasets attached', () => {
    const window = new SeriesWindow(1, 100, 1000)
    const held = window.series[0]
    for (let x = 0; x < 1000; x += 10) {
      window.append(x, [1])
      window.trim()
    }
    expect(window.series[0]).toBe(held)
    expect(held!.length).toBe(11)
    window.clear()
    expect(window.series[0]).toBe(held)
    expect(held!.length).toBe(0)
    expect(window.newestX).toBeUndefined()
  })

  it('skips missing or non-finite values for their series only', () => {
    const window = new SeriesWindow(2, 100, 100)
    window.append(1, [undefined, 5])
    window.append(2, [Number.NaN, 6])
    expect(window.series[0]).toEqual([])
    expect(window.series[1]!.length).toBe(2)
  })
})
