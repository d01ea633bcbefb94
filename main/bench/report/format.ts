/**
 * How benchmark numbers are written for people (warnings, terminal and Markdown tables). Fixed
 * rules, not the locale, so the same report reads the same on every machine. Machine formats
 * (JSON, CSV) keep full precision and do not use these. Report titles too, for lists and headings.
 */
import type { BenchReport } from '../../../shared/contract'

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

/** A one-line name for a report, for lists and table headings: the task (and backend) or the command. */
export function benchTitle(report: Pick<BenchReport, 'task' | 'command' | 'backend'>): string {
  if (report.task !== undefined) return report.backend === undefined ? report.task : `${report.task} (${report.backend})`
  return report.command ?? 'benchmark'
}

/**
 * A task's parameters as `name=value` words, "n=50000000 m=8", so a heading or a list says what
 * was measured. Empty for a command, whose only parameter (whether a shell ran it) is worded by
 * whoever shows it.
 */
export function benchParamsText(report: Pick<BenchReport, 'command' | 'params'>): string {
  if (report.command !== undefined) return ''
  return Object.entries(report.params)
    .map(([name, value]) => `${name}=${Array.isArray(value) ? value.join(',') : typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(' ')
}
