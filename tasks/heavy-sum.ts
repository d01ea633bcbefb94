/**
 * heavy-sum — the CPU-bound speedup showcase: `m` tasks each sum the integers 0..n-1 with a plain
 * loop. Every sum must equal n(n-1)/2 exactly, even past 2^53 where doubles stop being exact.
 */
import { availableParallelism } from 'node:os'
import { z } from 'zod'
import { defineTask } from './task-definition'
import { integer } from './params'

/** Inner blocks this long keep the running double exact (block sums stay far below 2^53). */
const BLOCK = 1_000_000

/** Worker side: Σ 0..n-1 by plain addition, as a decimal string (exact for any n). */
export function sumBelow(n: number): string {
  let total = 0n
  for (let start = 0; start < n; start += BLOCK) {
    const end = Math.min(n, start + BLOCK)
    let block = 0
    for (let i = start; i < end; i++) block += i
    total += BigInt(block)
  }
  return total.toString()
}

export function expectedSum(n: number): bigint {
  const big = BigInt(n)
  return (big * (big - 1n)) / 2n
}

export default defineTask({
  id: 'heavy-sum',
  title: 'Heavy sum',
  description:
    'Each of m tasks adds up the integers 0 … n−1 with a plain loop: pure CPU work with nothing to share, so N workers ' +
    'on N idle cores should finish close to N times faster. Every sum is checked against n(n−1)/2 exactly.',
  pattern: 'Pool.map over CPU-bound work (speedup versus one process)',
  params: z
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
