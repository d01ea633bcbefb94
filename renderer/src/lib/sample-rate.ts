/** Rates offered for the monitor sampler, Hz (the contract accepts 0.1..10). */
export const SAMPLE_RATES_HZ = [0.5, 1, 2, 4, 10] as const

/**
 * The sampling rate implied by sample times (epoch ms, ascending): the median gap, so one late
 * sample does not swing it. `undefined` with fewer than two samples.
 */
export function estimateRateHz(times: readonly number[]): number | undefined {
  const gaps: number[] = []
  for (let i = 1; i < times.length; i++) {
    const gap = times[i]! - times[i - 1]!
    if (gap > 0) gaps.push(gap)
  }
  if (gaps.length === 0) return undefined
  gaps.sort((a, b) => a - b)
  const mid = gaps.length >> 1
  const median = gaps.length % 2 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2
  return 1000 / median
}

/** The offered rate closest to an estimate, for the rate picker. */
export function nearestRate(rateHz: number | undefined): number | undefined {
  if (rateHz === undefined) return undefined
  return SAMPLE_RATES_HZ.reduce((best, r) => (Math.abs(Math.log(r / rateHz)) < Math.abs(Math.log(best / rateHz)) ? r : best))
}
