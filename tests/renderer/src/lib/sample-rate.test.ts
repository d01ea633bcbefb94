import { describe, expect, it } from 'vitest'
import { estimateRateHz, nearestRate } from '../../../../renderer/src/lib/sample-rate'

describe('estimateRateHz', () => {
  it('takes the median gap, so one late sample does not swing it', () => {
    expect(estimateRateHz([0, 500, 1000, 1500, 4000])).toBe(2)
    expect(estimateRateHz([0])).toBeUndefined()
  })

  it('snaps to the nearest offered rate', () => {
    expect(nearestRate(1.9)).toBe(2)
    expect(nearestRate(7)).toBe(10)
    expect(nearestRate(undefined)).toBeUndefined()
  })
})
