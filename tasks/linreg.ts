/**
 * linreg — fits y = a·x + b by least squares on chunks of a generated sample, one chunk per task,
 * and averages the chunks' coefficients (the "train on shards, combine the models" pattern).
 *
 * Determinism: sample i is a pure function of (seed, i) (see `seeded-random.ts`) and the chunk
 * boundaries depend only on `samples` and `chunks`. A worker generates its own chunk, so no data
 * crosses between processes, and results are combined in chunk order whatever order they finish
 * in: the same parameters give the same coefficients to the last bit, on any number of workers.
 */
import { defineTask } from './task-definition'
import { integer, number } from './params'
import { normalAt, uniformAt } from './seeded-random'

/** The slope of the line the samples are drawn around. */
export const TRUE_SLOPE = 2
/** The intercept of the line the samples are drawn around. */
export const TRUE_INTERCEPT = 1
/** x is uniform in [0, X_RANGE). */
const X_RANGE = 10
const X_MEAN = X_RANGE / 2
const X_VARIANCE = (X_RANGE * X_RANGE) / 12
/** Random numbers reserved per sample: one for x, two for the normal noise. */
const DRAWS_PER_SAMPLE = 3
/** Fewer points make a chunk's slope wildly uncertain (two close x's give any slope at all). */
export const MIN_SAMPLES_PER_CHUNK = 10
/** The check allows this many standard errors between a coefficient and the true value. */
const TOLERANCE_SIGMAS = 6
/** Rounding slack for noise 0, where the fit is exact up to floating-point error. */
const ROUNDING_SLACK = 1e-9

/** Sample `i` of the data set: x uniform in [0, 10), y = 2x + 1 + noise·N(0, 1). */
export function sampleAt(seed: number, i: number, noise: number): { x: number; y: number } {
  const x = uniformAt(seed, DRAWS_PER_SAMPLE * i) * X_RANGE
  const y = TRUE_SLOPE * x + TRUE_INTERCEPT + noise * normalAt(seed, DRAWS_PER_SAMPLE * i + 1)
  return { x, y }
}

/** `[from, to)` of chunk `index`: sizes differ by at most one. */
export function chunkBounds(samples: number, chunks: number, index: number): { from: number; to: number } {
  return { from: Math.floor((samples * index) / chunks), to: Math.floor((samples * (index + 1)) / chunks) }
}

/** One chunk's least-squares line, with the sums that let the parent fit all the data at once too. */
export interface ChunkFit {
  chunk: number
  count: number
  slope: number
  intercept: number
  sums: { x: number; y: number; xx: number; xy: number }
}

/**
 * Worker side: generates samples `[from, to)` and fits them by least squares. Centred sums
 * (x − x̄) keep the slope accurate where the raw Σx² − n·x̄² would cancel badly.
 */
export function fitChunk(seed: number, noise: number, chunk: number, from: number, to: number): ChunkFit {
  const count = to - from
  const xs = new Float64Array(count)
  const ys = new Float64Array(count)
  let sumX = 0
  let sumY = 0
  for (let i = 0; i < count; i++) {
    const { x, y } = sampleAt(seed, from + i, noise)
    xs[i] = x
    ys[i] = y
    sumX += x
    sumY += y
  }
  const meanX = sumX / count
  const meanY = sumY / count
  let sxx = 0
  let sxy = 0
  let sumXX = 0
  let sumXY = 0
  for (let i = 0; i < count; i++) {
    const dx = xs[i] - meanX
    sxx += dx * dx
    sxy += dx * (ys[i] - meanY)
    sumXX += xs[i] * xs[i]
    sumXY += xs[i] * ys[i]
  }
  const slope = sxy / sxx
  return { chunk, count, slope, intercept: meanY - slope * meanX, sums: { x: sumX, y: sumY, xx: sumXX, xy: sumXY } }
}

/** Averages the chunks' coefficients in chunk order (the order fixes the floating-point result). */
export function averageFits(fits: readonly ChunkFit[]): { slope: number; intercept: number } {
  const ordered = [...fits].sort((a, b) => a.chunk - b.chunk)
  let slope = 0
  let intercept = 0
  for (const fit of ordered) {
    slope += fit.slope
    intercept += fit.intercept
  }
  return { slope: slope / ordered.length, intercept: intercept / ordered.length }
}

/** The least-squares line of all samples together, from the chunks' raw sums. */
export function pooledFit(fits: readonly ChunkFit[]): { slope: number; intercept: number } {
  let n = 0
  let x = 0
  let y = 0
  let xx = 0
  let xy = 0
  for (const fit of [...fits].sort((a, b) => a.chunk - b.chunk)) {
    n += fit.count
    x += fit.sums.x
    y += fit.sums.y
    xx += fit.sums.xx
    xy += fit.sums.xy
  }
  const slope = (n * xy - x * y) / (n * xx - x * x)
  return { slope, intercept: (y - slope * x) / n }
}

/**
 * How far the averaged coefficients may lie from 2 and 1: `TOLERANCE_SIGMAS` standard errors of
 * the average of `chunks` chunk fits of about `samples / chunks` points each. A chunk fit of m
 * points has Var(slope) ≈ σ² / ((m − 3)·Var(x)) (the −3 accounts for the spread of a small
 * sample's own Var(x)), and Var(intercept) ≈ σ²/m + x̄²·Var(slope); averaging k of them divides
 * both by k.
 */
export function tolerances(samples: number, chunks: number, noise: number): { slope: number; intercept: number } {
  const m = Math.floor(samples / chunks)
  const slopeVariance = (noise * noise) / ((m - 3) * X_VARIANCE) / chunks
  const interceptVariance = ((noise * noise) / m / chunks) + X_MEAN * X_MEAN * slopeVariance
  return {
    slope: TOLERANCE_SIGMAS * Math.sqrt(slopeVariance) + ROUNDING_SLACK,
    intercept: TOLERANCE_SIGMAS * Math.sqrt(interceptVariance) + ROUNDING_SLACK
  }
}

export default defineTask({
  id: 'linreg',
  title: 'Linear regression on chunks',
  description:
    'Draws samples around the line y = 2x + 1 with normal noise, from a seed, and fits a least-squares line to each ' +
    'chunk in a worker; the parent averages the chunks’ slopes and intercepts. Each worker generates its own chunk ' +
    'from the seed, so no data is sent, and the answer does not depend on the number of workers or on which chunk ' +
    'finishes first: the same seed gives the same coefficients, which must lie close to 2 and 1.',
  pattern: 'Pool.starmap over data chunks, then combining the partial models',
  params: (z) =>
    z
      .object({
        samples: integer({ min: MIN_SAMPLES_PER_CHUNK, max: 20_000_000, default: 200_000, description: 'Number of (x, y) samples' }),
        chunks: integer({ min: 1, max: 10_000, default: 8, description: `Chunks (tasks) the samples are split into, each of at least ${MIN_SAMPLES_PER_CHUNK}` }),
        noise: number({ min: 0, max: 100, default: 1, description: 'Standard deviation of the noise added to y' }),
        seed: integer({ min: 0, max: 4_294_967_295, default: 42, description: 'Seed of the samples: same seed, same answer' })
      })
      .strict()
    .refine((p) => Math.floor(p.samples / p.chunks) >= MIN_SAMPLES_PER_CHUNK, {
      path: ['chunks'],
      error: `must leave at least ${MIN_SAMPLES_PER_CHUNK} samples per chunk (at most samples / ${MIN_SAMPLES_PER_CHUNK})`
    }),
  async run(ctx) {
    const { samples, chunks, noise, seed } = ctx.params
    const pool = await ctx.createPool()
    const argLists = Array.from({ length: chunks }, (_, chunk) => {
      const { from, to } = chunkBounds(samples, chunks, chunk)
      return [seed, noise, chunk, from, to]
    })
    const fits = await pool.starmap<ChunkFit>('linreg:fitChunk', argLists, { chunksize: ctx.chunksize ?? 1, signal: ctx.signal })
    const averaged = averageFits(fits)
    const pooled = pooledFit(fits)
    const tolerance = tolerances(samples, chunks, noise)
    const slopeError = Math.abs(averaged.slope - TRUE_SLOPE)
    const interceptError = Math.abs(averaged.intercept - TRUE_INTERCEPT)
    const isClose = slopeError <= tolerance.slope && interceptError <= tolerance.intercept

    return {
      result: {
        slope: averaged.slope,
        intercept: averaged.intercept,
        pooled,
        tolerance,
        chunks: fits.map(({ chunk, count, slope, intercept }) => ({ chunk, count, slope, intercept }))
      },
      check: {
        ok: isClose,
        summary: isClose
          ? `averaged over ${chunks} chunks: slope ${averaged.slope.toFixed(4)} ≈ 2 (±${tolerance.slope.toPrecision(2)}), ` +
            `intercept ${averaged.intercept.toFixed(4)} ≈ 1 (±${tolerance.intercept.toPrecision(2)})`
          : `slope ${averaged.slope} (off by ${slopeError.toPrecision(3)}, allowed ${tolerance.slope.toPrecision(3)}) or ` +
            `intercept ${averaged.intercept} (off by ${interceptError.toPrecision(3)}, allowed ${tolerance.intercept.toPrecision(3)}) ` +
            'is too far from y = 2x + 1'
      }
    }
  }
})
