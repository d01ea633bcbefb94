/**
 * heavy-sum — the CPU-bound speedup showcase: `m` tasks each sum the integers 0..n-1 with a plain
 * loop. Every sum must equal n(n-1)/2 exactly, even past 2^53 where doubles stop being exact.
 */
import { availableParallelism } from 'node:os'
import { defineTask } from './task-definition'
import { integer } from './params'

/**
 * The inner loop adds in a double, which is exact only while every partial sum stays below
 * 2^53 ≈ 9.007e15. A block of BLOCK consecutive integers below `end` sums to less than
 * BLOCK · end, so with blocks of 100,000 and n up to 1e10 (the schema's bound) a block stays under
 * 1e15. Blocks of a million were not enough: near 1e10 one block passes 1e16, and the sum came
 * out wrong in its last digits. The BigInt addition once per block costs nothing measurable.
 */
const BLOCK = 100_000

/** The largest `end` for which {@link sumRange}'s blocks stay exact: BLOCK · end ≤ 2^53. */
export const MAX_EXACT_END = Math.floor(2 ** 53 / BLOCK)

/**
 * Worker side: Σ start..end−1 by plain addition, as a decimal string. Exact for any range ending at
 * or below {@link MAX_EXACT_END}; a range reaching further is refused rather than rounded.
 */
export function sumRange(start: number, end: number): string {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0) {
    throw new RangeError(`sumRange needs whole numbers 0 ≤ start, got ${start} and ${end}`)
  }
  if (end > MAX_EXACT_END) throw new RangeError(`sumRange is exact only up to ${MAX_EXACT_END}, got end ${end}`)
  let total = 0n
  for (let blockStart = start; blockStart < end; blockStart += BLOCK) {
    const blockEnd = Math.min(end, blockStart + BLOCK)
    let block = 0
    for (let i = blockStart; i < blockEnd; i++) block += i
    total += BigInt(block)
  }
  return total.toString()
}

/** Worker side: Σ 0..n-1 by plain addition, as a decimal string (exact for every n the schema allows). */
export function sumBelow(n: number): string {
  return sumRange(0, n)
}

/** Σ start..end−1 by the closed form (end − start)(start + end − 1)/2, in BigInt. */
export function expectedRangeSum(start: number, end: number): bigint {
  if (end <= start) return 0n
  const a = BigInt(start)
  const b = BigInt(end)
  return ((b - a) * (a + b - 1n)) / 2n
}

/** Σ 0..n−1 by the closed form n(n−1)/2, in BigInt: what every task's sum is checked against. */
export function expectedSum(n: number): bigint {
  return expectedRangeSum(0, n)
}

export default defineTask({
  id: 'heavy-sum',
  title: 'Heavy sum',
  description:
    'Each of m tasks adds up the integers 0 … n−1 with a plain loop: pure CPU work with nothing to share, so N workers ' +
    'on N idle cores should finish close to N times faster. Every sum is checked against n(n−1)/2 exactly.',
  pattern: 'Pool.map over CPU-bound work (speedup versus one process)',
  params: (z) =>
    z
      .object({
        n: integer({ min: 1, max: 10_000_000_000, default: 20_000_000, description: 'Sum the integers 0 … n−1' }),
        m: integer({ min: 1, max: 10_000, default: () => availableParallelism(), description: 'Number of tasks (default: one per core)' })
      })
      .strict(),
  async run(ctx) {
    const { n, m } = ctx.params
    const pool = await ctx.createPool()
    const sums = await pool.map<string>(
      'heavy-sum:sumBelow',
      Array.from({ length: m }, () => n),
      { chunksize: ctx.chunksize ?? 1, signal: ctx.signal }
    )
    const expected = expectedSum(n).toString()
    const wrong = sums.filter((s) => s !== expected).length
    return {
      result: { n, m, expected, sums, allExact: wrong === 0 },
      check: {
        ok: wrong === 0,
        summary:
          wrong === 0
            ? `all ${m} sums equal n(n−1)/2 = ${expected} exactly`
            : `${wrong} of ${m} sums differ from n(n−1)/2 = ${expected}`
      }
    }
  }
})
