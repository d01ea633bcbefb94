/**
 * How benchmark numbers are written for people (warnings, terminal and Markdown tables). Fixed
 * rules, not the locale, so the same report reads the same on every machine. Machine formats
 * (JSON, CSV) keep full precision and do not use these.
 */

/** "1234 ms", "81.2 ms", "3.14 ms": about three significant digits, whole milliseconds from 100 up. */
export function formatMs(ms: number): string {
  const abs = Math.abs(ms)
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2
  return `${ms.toFixed(digits)} ms`
}

/** "1.93×". */
export function formatSpeedup(ratio: number): string {
  return `${ratio.toFixed(2)}×`
}

/** "97 %" from 97.2, or from 0.972 with `isFraction`; `digits` after the point (default none). */
export function formatPercent(value: number, isFraction = false, digits = 0): string {
  const percent = isFraction ? value * 100 : value
  return `${percent.toFixed(digits)} %`
}

/** "1 worker", "4 workers". */
export function formatWorkers(workers: number): string {
  return `${workers} ${workers === 1 ? 'worker' : 'workers'}`
}
