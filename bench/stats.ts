/** Order statistics for benchmark samples. Medians, not means: one stall on a noisy VM moves a mean a lot. */

export function median(values: readonly number[]): number {
  return quantile(values, 0.5)
}

/** Linear-interpolated quantile (q in 0..1) of unsorted values; NaN when there are none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const at = (sorted.length - 1) * q
  const low = Math.floor(at)
  const high = Math.ceil(at)
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low)
}

export interface Summary {
  median: number
  min: number
  max: number
  /** (max − min) / median: how far apart the runs were. */
  spread: number
  runs: number
}

export function summarize(values: readonly number[]): Summary {
  const mid = median(values)
  const min = Math.min(...values)
  const max = Math.max(...values)
  return { median: mid, min, max, spread: mid === 0 ? 0 : (max - min) / Math.abs(mid), runs: values.length }
}
