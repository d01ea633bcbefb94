import { describe, expect, it } from 'vitest'
import { sparklinePoints } from '../../../../renderer/src/lib/sparkline'

describe('sparklinePoints', () => {
  it('spreads values across the width and scales the largest to the top', () => {
    expect(sparklinePoints([0, 50, 100], 100, 10, 1)).toEqual([
      { x: 0, y: 10 },
      { x: 50, y: 5 },
      { x: 100, y: 0 }
    ])
  })

  it('keeps a tiny series low using the floor, and handles one value', () => {
    expect(sparklinePoints([1, 1], 10, 10, 100).map((p) => p.y)).toEqual([9.9, 9.9])
    expect(sparklinePoints([5], 10, 10)).toEqual([{ x: 10, y: 0 }])
    expect(sparklinePoints([], 10, 10)).toEqual([])
  })
})
