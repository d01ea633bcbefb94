import type { BenchReport } from '../../shared/contract'

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
