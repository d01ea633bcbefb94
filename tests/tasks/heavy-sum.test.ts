import { availableParallelism } from 'node:os'
import { describe, expect, it } from 'vitest'
import heavySum, { expectedRangeSum, expectedSum, MAX_EXACT_END, sumBelow, sumRange } from '../../tasks/heavy-sum'

describe('heavy-sum', () => {
  it('sumBelow adds up 0 … n−1 and returns the sum as a decimal string', () => {
    expect(sumBelow(1)).toBe('0')
    expect(sumBelow(2)).toBe('1')
    expect(sumBelow(10)).toBe('45')
  })

  it('sumBelow stays exact across its inner blocks', () => {
    for (const n of [99_999, 100_000, 100_001, 999_999, 1_000_000, 1_000_001, 2_500_000]) {
      expect(sumBelow(n)).toBe(expectedSum(n).toString())
    }
  })

  it('sumRange is exact at the top of the range n may reach, where one block of a million would pass 2^53', () => {
    // The last two million integers below 1e10, the largest n: the same additions sumBelow(1e10)
    // ends with, checked against the closed form without looping ten billion times. Blocks of a
    // million were off by 99,184 here.
    const end = 10_000_000_000
    for (const start of [end - 2_000_000, end - 1_234_567]) {
      expect(sumRange(start, end)).toBe(expectedRangeSum(start, end).toString())
    }
    expect(sumRange(MAX_EXACT_END - 300_000, MAX_EXACT_END)).toBe(expectedRangeSum(MAX_EXACT_END - 300_000, MAX_EXACT_END).toString())
  })

  it('sumRange refuses a range its blocks could not add exactly', () => {
    expect(() => sumRange(0, MAX_EXACT_END + 1)).toThrow(RangeError)
    expect(() => sumRange(0.5, 10)).toThrow(RangeError)
    expect(sumRange(5, 5)).toBe('0')
  })

  it('expectedSum is n(n−1)/2 computed exactly, past 2^53 where doubles round', () => {
    expect(expectedSum(1)).toBe(0n)
    expect(expectedSum(200_000)).toBe(19_999_900_000n)
    expect(expectedSum(10_000_000_000)).toBe(49_999_999_995_000_000_000n)
    // The same formula in doubles is off: the reason the check uses BigInt.
    const n = 10_000_000_000
    expect(BigInt((n * (n - 1)) / 2)).not.toBe(expectedSum(n))
  })

  it('expectedRangeSum agrees with expectedSum and is 0 for an empty range', () => {
    expect(expectedRangeSum(0, 10)).toBe(45n)
    expect(expectedRangeSum(10, 20)).toBe(expectedSum(20) - expectedSum(10))
    expect(expectedRangeSum(7, 7)).toBe(0n)
  })

  it('defaults to 20,000,000 per task and one task per core, and bounds n and m', () => {
    expect(heavySum.params.parse({})).toEqual({ n: 20_000_000, m: availableParallelism() })
    expect(heavySum.params.safeParse({ n: 0 }).success).toBe(false)
    expect(heavySum.params.safeParse({ n: 10_000_000_001 }).success).toBe(false)
    expect(heavySum.params.safeParse({ m: 10_001 }).success).toBe(false)
    expect(heavySum.params.safeParse({ n: 2.5 }).success).toBe(false)
    expect(heavySum.params.safeParse({ extra: 1 }).success).toBe(false)
    // The schema's largest n is inside the range sumRange adds exactly.
    expect(10_000_000_000).toBeLessThanOrEqual(MAX_EXACT_END)
  })
})
