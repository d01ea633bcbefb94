/**
 * The arithmetic of a speedup benchmark: summary statistics of one series of run times, outlier
 * and spread rules, and the parallel-performance metrics (speedup, efficiency, Karp–Flatt serial
 * fraction, an Amdahl's-law fit). Pure functions of numbers: no clocks, no I/O.
 */
import type { SeriesStats } from '../../../shared/contract'

/**
 * A run is an outlier when its modified Z-score exceeds this. 3.5 is the cut-off recommended by
 * Iglewicz and Hoaglin (1993), "How to Detect and Handle Outliers", the reference hyperfine's
 * outlier detection cites. hyperfine itself is looser: it warns when |x − median| / MAD exceeds
 * 1.4826 · 10, about ten standard deviations, because it prints a single warning for a whole
 * benchmark. Here each flagged run is named, so the textbook cut-off is the useful one.
 */
export const OUTLIER_Z_THRESHOLD = 3.5

/**
 * The spread of a series is "wide" when its sample standard deviation is more than this fraction
 * of its mean (coefficient of variation above 10 %). pyperf uses the same 10 % rule for its
 * "benchmark seems unstable" warning: beyond it, a speedup computed from medians is unreliable in
 * its first digit after the point, which is the digit people compare.
 */
export const WIDE_SPREAD_RATIO = 0.1

/**
 * 0.6745 is the 0.75 quantile of the standard normal distribution: it makes the MAD comparable to a
 * standard deviation, so a modified Z-score reads like an ordinary one.
 */
const MAD_TO_Z = 0.6745

/**
 * When more than half the values are equal the MAD is 0 and the modified Z-score is undefined;
 * Iglewicz and Hoaglin's fallback then scales the mean absolute deviation by √(π/2) ≈ 1.253314,
 * which makes it too a consistent estimator of the standard deviation.
 */
const MEAN_AD_TO_SIGMA = 1.253314

function requireValues(values: readonly number[], what: string): void {
  if (values.length === 0) throw new RangeError(`${what} of an empty list is undefined`)
}

/** The middle value of `values` (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  requireValues(values, 'median')
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** The smallest of `values`. */
export function min(values: readonly number[]): number {
  requireValues(values, 'min')
  return values.reduce((a, b) => Math.min(a, b))
}

/** The largest of `values`. */
export function max(values: readonly number[]): number {
  requireValues(values, 'max')
  return values.reduce((a, b) => Math.max(a, b))
}

/** The arithmetic mean of `values`. */
export function mean(values: readonly number[]): number {
  requireValues(values, 'mean')
  return values.reduce((sum, v) => sum + v, 0) / values.length
}

/**
 * The sample standard deviation (divisor n − 1, Bessel's correction), because a benchmark's runs
 * are a sample of the runs it could have made. 0 for a single value, where spread is unknown.
 */
export function sampleStddev(values: readonly number[]): number {
  requireValues(values, 'standard deviation')
  if (values.length < 2) return 0
  const m = mean(values)
  const squares = values.reduce((sum, v) => sum + (v - m) ** 2, 0)
  return Math.sqrt(squares / (values.length - 1))
}

/** Summary statistics of one series of run times in milliseconds. */
export function seriesStats(runsMs: readonly number[]): SeriesStats {
  return {
    medianMs: median(runsMs),
    minMs: min(runsMs),
    maxMs: max(runsMs),
    meanMs: mean(runsMs),
    stddevMs: sampleStddev(runsMs),
    runsMs: [...runsMs]
  }
}

/**
 * Modified Z-scores, 0.6745·(x − median)/MAD, where MAD is the median absolute deviation from the
 * median. Unlike ordinary Z-scores they are not dragged by the outlier they are looking for.
 * When the MAD is 0 the mean absolute deviation stands in (see {@link MEAN_AD_TO_SIGMA}); when that
 * is 0 too every value equals the median and every score is 0.
 */
export function modifiedZScores(values: readonly number[]): number[] {
  const center = median(values)
  const deviations = values.map((v) => Math.abs(v - center))
  const mad = median(deviations)
  if (mad > 0) return values.map((v) => (MAD_TO_Z * (v - center)) / mad)
  const sigma = MEAN_AD_TO_SIGMA * mean(deviations)
  if (sigma === 0) return values.map(() => 0)
  return values.map((v) => (v - center) / sigma)
}

/**
 * Indices (0-based) of the values whose modified Z-score exceeds `threshold` in absolute value.
 * Fewer than three values never have outliers: with two, neither is more typical than the other.
 */
export function findOutliers(values: readonly number[], threshold = OUTLIER_Z_THRESHOLD): number[] {
  if (values.length < 3) return []
  return modifiedZScores(values).flatMap((z, i) => (Math.abs(z) > threshold ? [i] : []))
}

/** The sample standard deviation as a fraction of the mean (0.12 means 12 %). */
export function coefficientOfVariation(stats: Pick<SeriesStats, 'meanMs' | 'stddevMs'>): number {
  return stats.meanMs > 0 ? stats.stddevMs / stats.meanMs : 0
}

/** Whether a series spreads more than {@link WIDE_SPREAD_RATIO} around its mean. */
export function isWideSpread(stats: Pick<SeriesStats, 'meanMs' | 'stddevMs'>): boolean {
  return coefficientOfVariation(stats) > WIDE_SPREAD_RATIO
}

/** How many times faster the N-worker run is than the baseline: baseline median / N-worker median. */
export function speedup(baselineMedianMs: number, medianMs: number): number {
  if (!(baselineMedianMs > 0) || !(medianMs > 0)) {
    throw new RangeError(`speedup needs positive durations, got ${baselineMedianMs} ms and ${medianMs} ms`)
  }
  return baselineMedianMs / medianMs
}

/** Speedup per worker: 1 is perfect scaling. */
export function efficiency(speedupRatio: number, workers: number): number {
  return speedupRatio / workers
}

/**
 * The Karp–Flatt metric, the experimentally determined serial fraction
 * e = (1/S − 1/N) / (1 − 1/N). A value that grows with N points to overhead growing with the
 * number of workers rather than a fixed serial part. Undefined for N ≤ 1.
 */
export function karpFlatt(speedupRatio: number, workers: number): number | undefined {
  if (workers <= 1) return undefined
  return (1 / speedupRatio - 1 / workers) / (1 - 1 / workers)
}

/** Amdahl's law: the speedup of N workers when a fraction `serialFraction` of the work is serial. */
export function amdahlSpeedup(serialFraction: number, workers: number): number {
  return 1 / (serialFraction + (1 - serialFraction) / workers)
}

/** A measured point for {@link fitAmdahl}. */
export interface SpeedupPoint {
  workers: number
  speedup: number
}

/** Grid steps of the coarse search in {@link fitAmdahl}, before golden-section refinement. */
const FIT_GRID_STEPS = 1000
const GOLDEN = (Math.sqrt(5) - 1) / 2

/**
 * The serial fraction f in [0, 1] that minimises Σ (Sᵢ − 1/(f + (1 − f)/Nᵢ))², the squared error
 * of Amdahl's law against the measured speedups (not against their reciprocals, so each point is
 * weighted as it was measured). A sum of per-point errors need not have a single minimum, so a
 * coarse grid finds the best neighbourhood and a golden-section search refines inside it.
 * Superlinear points pull f to 0 and slowdowns pull it to 1: the clamp is part of the model.
 *
 * @returns `undefined` when no point has more than one worker, since then every f fits equally.
 */
export function fitAmdahl(points: readonly SpeedupPoint[]): number | undefined {
  const informative = points.filter((p) => p.workers > 1)
  if (informative.length === 0) return undefined
  const error = (f: number): number =>
    informative.reduce((sum, p) => sum + (p.speedup - amdahlSpeedup(f, p.workers)) ** 2, 0)

  let bestStep = 0
  let bestError = Infinity
  for (let step = 0; step <= FIT_GRID_STEPS; step++) {
    const e = error(step / FIT_GRID_STEPS)
    if (e < bestError) {
      bestError = e
      bestStep = step
    }
  }

  let lo = Math.max(0, (bestStep - 1) / FIT_GRID_STEPS)
  let hi = Math.min(1, (bestStep + 1) / FIT_GRID_STEPS)
  while (hi - lo > 1e-12) {
    const a = hi - GOLDEN * (hi - lo)
    const b = lo + GOLDEN * (hi - lo)
    if (error(a) <= error(b)) hi = b
    else lo = a
  }
  const refined = (lo + hi) / 2
  // The grid point can beat the refinement at the clamp edges, where the minimum sits on the bound.
  return error(refined) <= bestError ? refined : bestStep / FIT_GRID_STEPS
}
