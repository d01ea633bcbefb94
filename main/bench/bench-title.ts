import type { BenchReport } from '../../preload/contract'

/** A one-line name for a report, for lists and table headings: the task (and backend) or the command. */
export function benchTitle(report: Pick<BenchReport, 'task' | 'command' | 'backend'>): string {
  if (report.task !== undefined) return report.backend === undefined ? report.task : `${report.task} (${report.backend})`
  return report.command ?? 'benchmark'
}
