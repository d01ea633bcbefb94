/**
 * A benchmark report written out: JSON (the report itself), CSV (one row per series, full
 * precision, for spreadsheets and pandas), Markdown (a table for issues and READMEs) and a plain
 * terminal table (the CLI's default output). JSON and CSV keep every digit; the tables for people
 * round through `format.ts`.
 */
import Table from 'cli-table3'
import type { BenchReport, SeriesStats } from '../../preload/contract'
import { formatMs, formatPercent, formatSpeedup } from './format'
import { benchTitle } from './bench-title'

/** The machine and document formats a report can be exported in (the `bench:export` formats). */
export type BenchExportFormat = 'json' | 'csv' | 'markdown'

/** A report that may not be saved yet (the CLI prints before or without saving). */
export type ExportableBenchReport = Omit<BenchReport, 'id' | 'file'> & Partial<Pick<BenchReport, 'id' | 'file'>>

/** The result shape of the `bench:export` request. */
export interface BenchExport {
  filename: string
  mime: string
  content: string
}

/** One series as the tables and CSV see it: the baseline is a row like the others. */
interface SeriesRow extends SeriesStats {
  label: string
  workers: number
  speedup: number
  efficiency: number
  karpFlatt: number | undefined
  coreBusyPercent: number[]
}

function seriesRows(report: ExportableBenchReport): SeriesRow[] {
  return [
    // The baseline is one process: one worker's worth, by definition 1× of itself.
    { label: 'baseline', workers: 1, speedup: 1, efficiency: 1, karpFlatt: undefined, ...report.baseline },
    ...report.results.map((row) => ({ label: String(row.workers), ...row }))
  ]
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0)
}

function busyCores(row: SeriesRow, cores: number): string {
  return row.coreBusyPercent.length === 0 ? '–' : `${(sum(row.coreBusyPercent) / 100).toFixed(1)} of ${cores}`
}

function amdahlLine(report: ExportableBenchReport): string {
  const { serialFraction, projected } = report.amdahl
  const projections = projected.map((p) => `${formatSpeedup(p.speedup)} on ${p.workers} cores`).join(', ')
  return `Amdahl fit: serial fraction ${formatPercent(serialFraction, true, 1)}; projected ${projections}`
}

/** Pretty-printed JSON of the report, ending in a newline; `JSON.parse` gives the report back. */
export function benchReportToJson(report: ExportableBenchReport): string {
  return `${JSON.stringify(report, null, 2)}\n`
}

/** RFC 4180: a field with a comma, quote or line break is quoted, and its quotes doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

/** Numbers in full precision (they parse back exactly); absent values as empty cells. */
function csvNumber(value: number | undefined): string {
  return value === undefined ? '' : String(value)
}

/**
 * CSV with a header row and one row per series, baseline first: statistics in ms, speedup,
 * efficiency, Karp–Flatt, mean busy % over all cores, then each run's time and each core's busy %.
 * Lines end in CRLF as RFC 4180 specifies. Every cell is a label or a number, so nothing a
 * spreadsheet opens can be mistaken for a formula.
 */
export function benchReportToCsv(report: ExportableBenchReport): string {
  const rows = seriesRows(report)
  const runCount = Math.max(...rows.map((r) => r.runsMs.length))
  const coreCount = Math.max(...rows.map((r) => r.coreBusyPercent.length))
  const header = [
    'series',
    'workers',
    'median_ms',
    'min_ms',
    'max_ms',
    'mean_ms',
    'stddev_ms',
    'speedup',
    'efficiency',
    'karp_flatt',
    'mean_core_busy_percent',
    ...Array.from({ length: runCount }, (_, i) => `run_${i + 1}_ms`),
    ...Array.from({ length: coreCount }, (_, i) => `core_${i + 1}_busy_percent`)
  ]
  const lines = rows.map((row) => [
    row.label,
    csvNumber(row.workers),
    csvNumber(row.medianMs),
    csvNumber(row.minMs),
    csvNumber(row.maxMs),
    csvNumber(row.meanMs),
    csvNumber(row.stddevMs),
    csvNumber(row.speedup),
    csvNumber(row.efficiency),
    csvNumber(row.karpFlatt),
    csvNumber(row.coreBusyPercent.length === 0 ? undefined : sum(row.coreBusyPercent) / row.coreBusyPercent.length),
    ...Array.from({ length: runCount }, (_, i) => csvNumber(row.runsMs[i])),
    ...Array.from({ length: coreCount }, (_, i) => csvNumber(row.coreBusyPercent[i]))
  ])
  return [header, ...lines].map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n'
}

/** Inline code that survives backticks and newlines in the text (CommonMark's fence rule). */
function inlineCode(text: string): string {
  const flat = text.replace(/\s*[\r\n]+\s*/g, ' ')
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longestRun + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${flat}${pad}${fence}`
}

function markdownCell(text: string): string {
  return text.replaceAll('|', '\\|')
}

function formatKarpFlatt(value: number | undefined): string {
  return value === undefined ? '–' : formatPercent(value, true, 1)
}

/** A Markdown section: heading, one-line context, the table, the Amdahl fit and the notes. */
export function benchReportToMarkdown(report: ExportableBenchReport): string {
  const title = report.command !== undefined ? inlineCode(report.command) : benchTitle(report)
  const runs = report.baseline.runsMs.length
  const head = ['Workers', 'Median', 'Min', 'Max', 'Stddev', 'Speedup', 'Efficiency', 'Karp–Flatt', 'Busy cores']
  const rows = seriesRows(report).map((row) => [
    row.label,
    formatMs(row.medianMs),
    formatMs(row.minMs),
    formatMs(row.maxMs),
    formatMs(row.stddevMs),
    formatSpeedup(row.speedup),
    formatPercent(row.efficiency, true),
    formatKarpFlatt(row.karpFlatt),
    busyCores(row, report.cores)
  ])
  const lines = [
    `## Benchmark: ${title}`,
    '',
    `${report.createdAt} · ${report.cores} cores · ${runs} timed ${runs === 1 ? 'run' : 'runs'} per series`,
    '',
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i === 0 ? ':---' : '---:')).join(' | ')} |`,
    ...rows.map((cells) => `| ${cells.map(markdownCell).join(' | ')} |`),
    '',
    amdahlLine(report)
  ]
  if (report.warnings.length > 0) {
    lines.push('', '**Notes**', '', ...report.warnings.map((w) => `- ${w}`))
  }
  return `${lines.join('\n')}\n`
}

/**
 * The CLI's default output: a title line, a compact table with the numbers people compare
 * (min/max are in the other formats), the Amdahl fit and the notes. No colours, so it reads the
 * same in a terminal, a log file or a pipe.
 */
export function benchReportToTerminalTable(report: ExportableBenchReport): string {
  const table = new Table({
    head: ['workers', 'median', 'stddev', 'speedup', 'efficiency', 'Karp–Flatt', 'busy cores'],
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    style: { head: [], border: [], compact: true }
  })
  for (const row of seriesRows(report)) {
    table.push([
      row.label,
      formatMs(row.medianMs),
      formatMs(row.stddevMs),
      formatSpeedup(row.speedup),
      formatPercent(row.efficiency, true),
      formatKarpFlatt(row.karpFlatt),
      busyCores(row, report.cores)
    ])
  }
  const runs = report.baseline.runsMs.length
  const lines = [
    `${benchTitle(report)} — ${report.cores} cores, median of ${runs} ${runs === 1 ? 'run' : 'runs'}`,
    table.toString(),
    amdahlLine(report)
  ]
  if (report.warnings.length > 0) lines.push('', 'Notes:', ...report.warnings.map((w) => `  - ${w}`))
  return `${lines.join('\n')}\n`
}

const EXPORTS: Record<BenchExportFormat, { extension: string; mime: string; write: (r: ExportableBenchReport) => string }> = {
  json: { extension: 'json', mime: 'application/json', write: benchReportToJson },
  csv: { extension: 'csv', mime: 'text/csv', write: benchReportToCsv },
  markdown: { extension: 'md', mime: 'text/markdown', write: benchReportToMarkdown }
}

/** The report in `format` with a file name (`<id>.<ext>`) and MIME type, as `bench:export` returns it. */
export function exportBenchReport(report: ExportableBenchReport, format: BenchExportFormat): BenchExport {
  const spec = EXPORTS[format]
  return { filename: `${report.id ?? 'bench'}.${spec.extension}`, mime: spec.mime, content: spec.write(report) }
}
