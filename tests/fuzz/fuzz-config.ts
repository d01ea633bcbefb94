/**
 * One seed for every property test, printed once per file so any failure can be replayed:
 *
 *   FUZZ_SEED=1234 npx vitest run tests/fuzz/dispatcher.fuzz.test.ts
 *
 * `FUZZ_SCALE` multiplies every case count (`FUZZ_SCALE=10` for a long local hunt; the default 1 keeps
 * `npm test` short). fast-check adds the seed and the counterexample's path to a failure's message.
 */
import fc from 'fast-check'

/** The seed `npm test` runs with; fixed, so a failure on one machine fails on every machine. */
export const DEFAULT_FUZZ_SEED = 20_261_214

/** The seed of this run: `FUZZ_SEED` when set, else {@link DEFAULT_FUZZ_SEED}. */
export const fuzzSeed = readInteger('FUZZ_SEED', DEFAULT_FUZZ_SEED)

const scale = readInteger('FUZZ_SCALE', 1)

// Printed when a test file loads, before any test can redirect the output streams.
process.stdout.write(`fuzz: seed ${fuzzSeed} (replay with FUZZ_SEED=${fuzzSeed}; more cases with FUZZ_SCALE=10)\n`)

/**
 * fast-check parameters for `numRuns` cases (times `FUZZ_SCALE`) with this run's seed. There is no
 * shrinking (`endOnFailure`): the first counterexample is already replayable, and shrinking a 1 MiB
 * input could take minutes.
 */
export function fuzzRuns<T = unknown>(numRuns: number): fc.Parameters<T> {
  return { seed: fuzzSeed, numRuns: numRuns * scale, endOnFailure: true }
}

function readInteger(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`)
  return value
}
