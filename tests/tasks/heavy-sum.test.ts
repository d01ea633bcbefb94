import { availableParallelism } from 'node:os'
import { describe, expect, it } from 'vitest'
import heavySum, { expectedSum, sumBelow } from '../../tasks/heavy-sum'

describe('heavy-sum', () => {
  it('sumBelow adds up 0 … n−1 and returns the sum as a decimal string', () => {
    expect(sumBelow(1)).toBe('0')
    expect(sumBelow(2)).toBe('1')
    expect(sumBelow(10)).toBe('45')
  })

  it('sumBelow stays exact across its inner blocks of a million', () => {
    for (const n of [999_999, 1_000_000, 1_000_001, 2_500_000]) expect(sumBelow(n)).toBe(expectedSum(n).toString())
  })

  it('expectedSum is n(n−1)/2 computed exactly, past 2^53 where doubles round', () => {
    expect(expectedSum(1)).toBe(0n)
    expect(expectedSum(200_000)).toBe(19_999_900_000n)
    expect(expectedSum(10_000_000_000)).toBe(49_999_999_995_000_000_000n)
    // The same formula in doubles is off: the reason the check uses BigInt.
    const n = 10_000_000_000
    expect(BigInt((n * (n - 1)) / 2)).not.toBe(expectedSum(n))
  })

  it('defaults to 20,000,000 per task and one task per core, and bounds n and m', () => {
    expect(heavySum.params.parse({})).toEqual({ n: 20_000_000, m: availableParallelism() })
    expect(heavySum.params.safeParse({ n: 0 }).success).toBe(false)
    expect(heavySum.params.safeParse({ n: 10_000_000_001 }).success).toBe(false)
    expect(heavySum.params.safeParse({ m: 10_001 }).success).toBe(false)
    expect(heavySum.params.safeParse({ n: 2.5 }).success).toBe(false)
    expect(heavySum.params.safeParse({ extra: 1 }).success).toBe(false)
  })
})
