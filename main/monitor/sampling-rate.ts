/** Slowest sampling rate, Hz (the contract's `monitor:configure` allows the same range). */
export const MIN_RATE_HZ = 0.1
/** Fastest sampling rate, Hz. */
export const MAX_RATE_HZ = 10

/**
 * Returns `rateHz` if it is a usable sampling rate.
 * @throws RangeError outside {@link MIN_RATE_HZ}..{@link MAX_RATE_HZ} (NaN included).
 */
export function checkRateHz(rateHz: number): number {
  if (!(rateHz >= MIN_RATE_HZ && rateHz <= MAX_RATE_HZ)) {
    throw new RangeError(`rateHz must be between ${MIN_RATE_HZ} and ${MAX_RATE_HZ}, got ${rateHz}`)
  }
  return rateHz
}
