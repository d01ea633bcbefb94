/**
 * Counter-based pseudo-random numbers for the generated data of `sum-file` and `linreg`.
 *
 * The n-th number of a seed is a pure function of `(seed, n)`, not the next state of a sequence.
 * That is what lets a worker produce exactly its own slice of a data set without producing the
 * slices before it, and makes the data independent of how work is split and scheduled.
 */

/** 2^32, the number of distinct 32-bit hash values. */
const TWO_POW_32 = 4_294_967_296

/**
 * Mixes a 32-bit integer into a well-spread 32-bit hash: Chris Wellons' "lowbias32" finalizer
 * (https://nullprogram.com/blog/2018/07/31/), chosen for its low bias at two multiplies.
 */
export function mix32(value: number): number {
  let x = value >>> 0
  x ^= x >>> 16
  x = Math.imul(x, 0x7feb352d)
  x ^= x >>> 15
  x = Math.imul(x, 0x846ca68b)
  x ^= x >>> 16
  return x >>> 0
}

/**
 * The `index`-th 32-bit hash of `seed`. Indices past 2^32 wrap; the generators here stay far
 * below that. The seed is mixed on its own first so that nearby seeds give unrelated streams.
 */
export function hashAt(seed: number, index: number): number {
  return mix32(mix32(seed) ^ mix32(index + 0x9e3779b9))
}

/** The `index`-th uniform number of `seed`, in the open interval (0, 1) (never 0: safe for `log`). */
export function uniformAt(seed: number, index: number): number {
  return (hashAt(seed, index) + 0.5) / TWO_POW_32
}

/**
 * A standard normal number built from the uniforms at `index` and `index + 1` (Box–Muller), so a
 * caller reserves two indices per normal.
 */
export function normalAt(seed: number, index: number): number {
  const u1 = uniformAt(seed, index)
  const u2 = uniformAt(seed, index + 1)
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)
}
