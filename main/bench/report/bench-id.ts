/**
 * Benchmark ids: `bench-20261124-153012-ab12`, the UTC date and time the benchmark started and four
 * random hex digits. UTC because `createdAt` is UTC and ids sort the same on every machine; the
 * random part keeps two benchmarks started in the same second apart.
 */
import { randomBytes } from 'node:crypto'

/** What a benchmark id looks like; also guards file names built from ids against path tricks. */
export const BENCH_ID_PATTERN = /^bench-\d{8}-\d{6}-[0-9a-f]{4}$/

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/**
 * A new id for a benchmark started at `startedAt`.
 *
 * @param suffixHex four hex digits; random unless given (tests pass one)
 */
export function createBenchId(startedAt: Date, suffixHex: string = randomBytes(2).toString('hex')): string {
  const d = startedAt
  const date = `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`
  const time = `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`
  const id = `bench-${date}-${time}-${suffixHex}`
  if (!BENCH_ID_PATTERN.test(id)) throw new RangeError(`not a valid benchmark id: ${id}`)
  return id
}
