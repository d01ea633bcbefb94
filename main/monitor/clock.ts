/**
 * Time as the samplers and launches see it. Production uses {@link systemClock}; tests pass a
 * manual clock and move time by hand, so no test waits on a real timer to check a rate.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number
  /** Runs `callback` once after `delayMs`; the returned function cancels it. */
  schedule(callback: () => void, delayMs: number): Cancel
}

/** Cancels something scheduled; calling it twice, or after it ran, does nothing. */
export type Cancel = () => void

/** The real clock: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(callback, delayMs) {
    const timer = setTimeout(callback, delayMs)
    return () => clearTimeout(timer)
  }
}
